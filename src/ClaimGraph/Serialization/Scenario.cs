using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Serialization;

/// <summary>
/// A scenario: policy options and steps, each step a batch of events given to one <see cref="ClaimPolicy.Step"/>
/// (docs/scenario.md). Read one with <see cref="ScenarioJson.Read(ReadOnlySpan{byte})"/> and replay it with
/// <see cref="Replay"/>. Immutable and thread-safe.
/// </summary>
public sealed class Scenario
{
    /// <summary>Creates a scenario.</summary>
    /// <param name="options">The policy options (validated when replayed).</param>
    /// <param name="steps">The steps, in order; each is the batch of events of one step.</param>
    /// <param name="description">What the scenario shows, for people; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public Scenario(PolicyOptions options, ImmutableArray<ImmutableArray<PolicyEvent>> steps, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Steps = steps.IsDefault ? [] : steps;
        Description = description;
    }

    /// <summary>The policy options (the defaults where the file says nothing).</summary>
    public PolicyOptions Options { get; }

    /// <summary>The steps, in order; each is the batch of events of one <see cref="ClaimPolicy.Step"/>.</summary>
    public ImmutableArray<ImmutableArray<PolicyEvent>> Steps { get; }

    /// <summary>The scenario's <c>"description"</c>, or <see langword="null"/>.</summary>
    public string? Description { get; }

    /// <summary>
    /// Replays every step, in order, from <paramref name="start"/> (<see cref="WorkGraph.Empty"/> when null) with
    /// <see cref="Options"/>: one result per step, each with the graph after it and its decisions. Deterministic.
    /// </summary>
    /// <exception cref="PolicyOptionsException"><see cref="Options"/> are invalid.</exception>
    public ImmutableArray<PolicyStepResult> Replay(WorkGraph? start = null)
    {
        WorkGraph graph = start ?? WorkGraph.Empty;
        var results = ImmutableArray.CreateBuilder<PolicyStepResult>(Steps.Length);
        foreach (ImmutableArray<PolicyEvent> step in Steps)
        {
            PolicyStepResult result = ClaimPolicy.Step(graph, step, Options);
            graph = result.Graph;
            results.Add(result);
        }

        return results.MoveToImmutable();
    }
}
