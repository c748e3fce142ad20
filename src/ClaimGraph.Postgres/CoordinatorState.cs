using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Postgres.Appending;

namespace ClaimGraph.Postgres;

/// <summary>A coordinator's graph, the stream version it is at, and the log's digest there.</summary>
/// <param name="Graph">The graph after the stream's first <paramref name="Version"/> events.</param>
/// <param name="Version">The stream version.</param>
/// <param name="Chain">The log's digest at <paramref name="Version"/> (see <see cref="LoggedEvent.Chain"/>; 64 zeros at version 0).</param>
public sealed record CoordinatorState(WorkGraph Graph, long Version, string Chain)
{
    /// <summary>The empty stream: the empty graph at version 0.</summary>
    public static CoordinatorState Empty { get; } = new(WorkGraph.Empty, 0, LogChain.Genesis);
}

/// <summary>The outcome of <see cref="PostgresCoordinator.ReloadAsync"/>.</summary>
/// <param name="Previous">The replica's state before the reload.</param>
/// <param name="Current">The state loaded from the log.</param>
/// <param name="RunsNoLongerActive">
/// Runs active (with the same fencing token) in <paramref name="Previous"/> but not in <paramref name="Current"/>, by
/// ordinal id: after a divergence, the runs this replica admitted that the log does not have. The orchestrator must
/// stop them.
/// </param>
public sealed record ReloadResult(CoordinatorState Previous, CoordinatorState Current, ImmutableArray<string> RunsNoLongerActive);
