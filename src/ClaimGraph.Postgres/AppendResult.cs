using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Postgres;

/// <summary>What <see cref="PostgresCoordinator.AppendAsync(IEnumerable{PolicyEvent}, CancellationToken)"/> did with one event id.</summary>
/// <param name="EventId">The event id.</param>
/// <param name="AlreadyLogged">True when the id was in the log before this call: nothing was appended for it and <see cref="DecisionsJson"/> is the logged decisions.</param>
/// <param name="Version">The stream version the event is logged at; 0 when it was <see cref="Refused"/>.</param>
/// <param name="DecisionsJson">The event's decisions as logged: a JSON array of <see cref="PolicyJson.WriteDecision(System.Text.Json.Utf8JsonWriter, Decision)"/> objects written with default writer options (default escaping).</param>
public sealed record AppendedEvent(string EventId, long Version, bool AlreadyLogged, string DecisionsJson)
{
    /// <summary>
    /// True when the event was not logged because the log cannot store it exactly: a string with a lone UTF-16
    /// surrogate (not valid Unicode) or an event id with NUL. <see cref="DecisionsJson"/> then holds its
    /// <see cref="ReasonCode.InvalidEvent"/> rejection, which is also in <see cref="AppendResult.Decisions"/>; nothing
    /// of it reached the server. Default false.
    /// </summary>
    public bool Refused { get; init; }
}

/// <summary>The outcome of an append: the events as logged, the new decisions, and the coordinator's state after it.</summary>
/// <param name="Events">One entry per distinct event id, in the order of first appearance in the input.</param>
/// <param name="Decisions">
/// The decisions made for the events this call appended, and the rejections of refused events, in input order (none
/// for already-logged ones).
/// </param>
/// <param name="Graph">The graph at <paramref name="Version"/>.</param>
/// <param name="Version">The stream version after this append (which includes any events other replicas appended before it).</param>
/// <param name="Attempts">
/// How many rounds the append took: 1, plus one per lost race for the stream head (optimistic), or per wait for
/// another replica's group commit (<see cref="CoordinatorConcurrency.GroupCommit"/>).
/// </param>
/// <param name="SnapshotVersion">The version of the snapshot written with this append, or <see langword="null"/>.</param>
public sealed record AppendResult(
    ImmutableArray<AppendedEvent> Events,
    ImmutableArray<Decision> Decisions,
    WorkGraph Graph,
    long Version,
    int Attempts,
    long? SnapshotVersion);

/// <summary>The outcome of replaying a stream.</summary>
/// <param name="Graph">The graph after every event.</param>
/// <param name="Version">The last event's version (0 for an empty stream).</param>
/// <param name="SnapshotVersion">The snapshot the replay started from, or <see langword="null"/> when it started from the first event.</param>
public sealed record ReplayResult(WorkGraph Graph, long Version, long? SnapshotVersion);

/// <summary>The outcome of <see cref="PostgresClaimLog.MigrateAsync"/>.</summary>
/// <param name="PreviousVersion">The schema version before (0 when there was no schema).</param>
/// <param name="CurrentVersion">The schema version now (<see cref="PostgresClaimLog.LatestSchemaVersion"/>).</param>
public sealed record SchemaMigrationResult(int PreviousVersion, int CurrentVersion);
