using ClaimGraph.Coordination;
using ClaimGraph.Policy;

namespace ClaimGraph.Hosting;

/// <summary>
/// Told about every append made through the host's <see cref="IClaimCoordinator"/> (the application's and the tick
/// service's), after it is recorded: the place to start admitted runs and stop cancelled ones. Register with
/// <see cref="ClaimGraphBuilder.AddDecisionObserver{TObserver}"/>.
/// </summary>
/// <remarks>
/// Called on the appending caller's flow, one observer after the other, after the coordinator has recorded the events;
/// appends from different callers may notify concurrently. It gets no cancellation token: once an append is recorded,
/// its decisions must reach every observer even when the appending caller gives up (keep the handling short, e.g.
/// write to a channel). An exception from an observer is logged and does not fail the
/// append. Decisions made by other replicas of a shared stream are not seen here: read them from the graph after
/// <see cref="IClaimCoordinator.CatchUpAsync"/>.
/// </remarks>
public interface IClaimDecisionObserver
{
    /// <summary>Handles one append: the events sent and what the coordinator returned.</summary>
    /// <param name="events">The events of the append, in order.</param>
    /// <param name="result">The decisions made and the state after the append.</param>
    ValueTask OnAppendedAsync(IReadOnlyList<PolicyEvent> events, ClaimAppendResult result);
}
