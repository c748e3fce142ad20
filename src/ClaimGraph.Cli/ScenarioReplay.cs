using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Cli;

/// <summary>The decisions of one step of a scenario.</summary>
/// <param name="Number">The step's number, from 1.</param>
/// <param name="Decisions">What <c>ClaimPolicy.Step</c> decided for the step's events, in order.</param>
internal sealed record ScenarioStep(int Number, ImmutableArray<Decision> Decisions);

/// <summary>A scenario replayed from an empty graph: every step's decisions and the final graph.</summary>
internal sealed record ScenarioReplay(Scenario Scenario, ImmutableArray<ScenarioStep> Steps, WorkGraph Graph)
{
    /// <summary>Runs every step of <paramref name="scenario"/>, in order, from <see cref="WorkGraph.Empty"/>.</summary>
    public static ScenarioReplay Run(Scenario scenario)
    {
        WorkGraph graph = WorkGraph.Empty;
        var steps = ImmutableArray.CreateBuilder<ScenarioStep>(scenario.Steps.Length);
        for (int i = 0; i < scenario.Steps.Length; i++)
        {
            PolicyStepResult result = ClaimPolicy.Step(graph, scenario.Steps[i], scenario.Options);
            graph = result.Graph;
            steps.Add(new ScenarioStep(i + 1, result.Decisions));
        }

        return new ScenarioReplay(scenario, steps.MoveToImmutable(), graph);
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
