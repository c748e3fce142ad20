using ClaimGraph.Graph;

namespace ClaimGraph.Coordination;

/// <summary>A coordinator's graph and the stream version it is at: the graph after the stream's first <see cref="Version"/> events. Immutable.</summary>
public sealed class ClaimCoordinatorState
{
    /// <summary>Creates the state.</summary>
    /// <param name="Graph">The graph after those events.</param>
    /// <param name="Version">How many events the stream held when <paramref name="Graph"/> was made (0 for an empty stream).</param>
    public ClaimCoordinatorState(WorkGraph Graph, long Version)
    {
        this.Graph = Graph;
        this.Version = Version;
    }

    /// <summary>The graph after the stream's first <see cref="Version"/> events.</summary>
    public WorkGraph Graph { get; }

    /// <summary>How many events the stream held when <see cref="Graph"/> was made (0 for an empty stream).</summary>
    public long Version { get; }
}
