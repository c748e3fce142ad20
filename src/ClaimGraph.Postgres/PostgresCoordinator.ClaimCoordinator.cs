using ClaimGraph.Coordination;
using ClaimGraph.Policy;

namespace ClaimGraph.Postgres;

/// <summary>The coordinator as the core's <see cref="IClaimCoordinator"/> (e.g. for <c>ClaimGraph.Hosting</c>'s <c>UseCoordinator</c>).</summary>
public sealed partial class PostgresCoordinator : IClaimCoordinator
{
    /// <summary>The graph and the stream version it is at (<see cref="State"/> without the log's digest).</summary>
    ClaimCoordinatorState IClaimCoordinator.Current
    {
        get
        {
            CoordinatorState state = State;
            return new ClaimCoordinatorState(state.Graph, state.Version);
        }
    }

    /// <summary>
    /// <see cref="AppendAsync(IEnumerable{PolicyEvent}, CancellationToken)"/>: the decisions of the events this call
    /// appended (and the rejections of events the log cannot store), and the state after it.
    /// </summary>
    async Task<ClaimAppendResult> IClaimCoordinator.AppendAsync(IReadOnlyList<PolicyEvent> events, CancellationToken cancellationToken)
    {
        AppendResult result = await AppendAsync(events, cancellationToken).ConfigureAwait(false);
        return new ClaimAppendResult(result.Decisions, new ClaimCoordinatorState(result.Graph, result.Version));
    }

    /// <summary><see cref="CatchUpAsync"/>, returning the state it reached.</summary>
    async Task<ClaimCoordinatorState> IClaimCoordinator.CatchUpAsync(CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        return ((IClaimCoordinator)this).Current;
    }
}
