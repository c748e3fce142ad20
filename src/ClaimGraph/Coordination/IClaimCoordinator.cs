using ClaimGraph.Policy;

namespace ClaimGraph.Coordination;

/// <summary>
/// Where an orchestrator sends its events and gets the policy's decisions back: one ordered, durable stream of events
/// per repository, decided by <see cref="ClaimPolicy.Step"/> on the graph of every event before them. An in-process
/// coordinator serves a single orchestrator; a shared one (e.g. PostgreSQL) lets many replicas append to one stream.
/// This is an abstraction only: the core package does no I/O, implementations live in other packages.
/// </summary>
/// <remarks>
/// <para>
/// Implementations are thread-safe: appends are serialised (each decided on the graph of every event before it) and
/// <see cref="Current"/> may be read from any thread at any time.
/// </para>
/// <para>
/// Appends are idempotent by event id: an event whose id the stream already holds is not applied again and makes no
/// decision. When an append throws, its outcome may be unknown (a broken connection): send the same events again.
/// </para>
/// </remarks>
public interface IClaimCoordinator
{
    /// <summary>The graph and the stream version it is at, as one consistent pair. Never null.</summary>
    ClaimCoordinatorState Current { get; }

    /// <summary>
    /// Decides <paramref name="events"/>, in order, on the stream's latest graph, records them with their decisions, and
    /// returns the decisions made for the events this call applied (none for events already in the stream).
    /// </summary>
    /// <param name="events">The events, in order; none may be null.</param>
    /// <param name="cancellationToken">Cancels the wait for the stream; once recording has begun the outcome may be unknown.</param>
    /// <exception cref="ArgumentNullException"><paramref name="events"/> is null.</exception>
    /// <exception cref="ArgumentException">An event is null or has no id.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<ClaimAppendResult> AppendAsync(IReadOnlyList<PolicyEvent> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies what other writers of the stream recorded since <see cref="Current"/> and returns the new state. A
    /// coordinator that is the stream's only writer returns <see cref="Current"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<ClaimCoordinatorState> CatchUpAsync(CancellationToken cancellationToken = default);
}
