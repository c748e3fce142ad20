using ClaimGraph.Graph;

namespace ClaimGraph.Coordination;

/// <summary>A coordinator's graph and the stream version it is at: the graph after the stream's first <paramref name="Version"/> events.</summary>
/// <param name="Graph">The graph after those events.</param>
/// <param name="Version">How many events the stream held when <paramref name="Graph"/> was made (0 for an empty stream).</param>
public sealed record ClaimCoordinatorState(WorkGraph Graph, long Version);
