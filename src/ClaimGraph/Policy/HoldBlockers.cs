using System.Collections.Immutable;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>
/// Every blocker of a waiting run, as the admission pass sees them now. A <see cref="HoldDecision"/> names the first
/// <see cref="HoldDecision.MaxReasons"/> and counts the rest, and is emitted only when its hold changes; this lists
/// them all, current. Pure; thread-safe.
/// </summary>
public static class HoldBlockers
{
    /// <summary>
    /// Every blocker of run <paramref name="runId"/> in <paramref name="graph"/> at <see cref="WorkGraph.Now"/> under
    /// <paramref name="options"/> (default <see cref="PolicyOptions.Default"/>), in the order of docs/policy.md: dependencies,
    /// backoff, limits, claim conflicts with active runs, queue places behind reserving held runs. Empty when the graph
    /// has no such run or the run is not waiting (pending or held). O(conflicting runs) plus the options' checks.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> or <paramref name="runId"/> is null.</exception>
    /// <exception cref="PolicyOptionsException"><paramref name="options"/> are invalid.</exception>
    public static ImmutableArray<HoldReason> Of(WorkGraph graph, string runId, PolicyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(runId);
        options ??= PolicyOptions.Default;
        options.EnsureValid();
        if (!graph.TryGetRun(runId, out Run? run) || !run.Status.IsWaiting() || !graph.ContainsWorkItem(run.WorkItemId))
        {
            return [];
        }

        var step = new PolicyStep(graph, new Tick(nameof(HoldBlockers), graph.Now), options);
        return step.Blockers(run);
    }
}
