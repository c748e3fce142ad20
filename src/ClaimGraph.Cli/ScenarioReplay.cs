using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Cli;

/// <summary>The decisions of one step of a scenario.</summary>
/// <param name="Number">The step's number, from 1.</param>
/// <param name="Decisions">What <c>ClaimPolicy.Step</c> decided for the step's events, in order.</param>
internal sealed record ScenarioStep(int Number, ImmutableArray<Decision> Decisions);

/// <summary>A scenario replayed from an empty graph: every step's decisions and the final graph.</summary>
internal sealed record ScenarioReplay(ScenarioSource Source, ImmutableArray<ScenarioStep> Steps, WorkGraph Graph)
{
    /// <summary>Runs every step of the scenario, in order, from <see cref="WorkGraph.Empty"/> (<see cref="Scenario.Replay"/>).</summary>
    public static ScenarioReplay Run(ScenarioSource source)
    {
        ImmutableArray<PolicyStepResult> results = source.Scenario.Replay();
        var steps = ImmutableArray.CreateBuilder<ScenarioStep>(results.Length);
        for (int i = 0; i < results.Length; i++)
        {
            steps.Add(new ScenarioStep(i + 1, results[i].Decisions));
        }

        return new ScenarioReplay(source, steps.MoveToImmutable(), results.IsEmpty ? WorkGraph.Empty : results[^1].Graph);
    }

    /// <summary>
    /// Loads and replays the scenario in <paramref name="file"/>. On a bad scenario, writes its one-line message to
    /// standard error and returns <see langword="null"/> (the caller exits with <see cref="CliApp.ExitBadInput"/>).
    /// </summary>
    public static ScenarioReplay? Load(CliSession session, string file)
    {
        try
        {
            return Run(ScenarioFile.Load(file));
        }
        catch (ScenarioException ex)
        {
            session.Stderr.WriteLine($"claimgraph: {ex.OneLine}");
            return null;
        }
    }
}
