using System.Collections.Immutable;
using System.Diagnostics;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Postgres.Appending;
using ClaimGraph.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ClaimGraph.Postgres;

/// <summary>
/// One orchestrator replica's view of a stream: it keeps the graph in memory, decides new events with
/// <see cref="ClaimPolicy.Step"/>, and appends them with their decisions in one transaction that commits only on the
/// stream head (version and digest) it decided on. Any number of replicas (processes, machines) may append to the same
/// stream: each decision is made on the graph of every event before it, so two replicas never both admit conflicting
/// runs, and every decision is in the log.
/// </summary>
/// <remarks>
/// <para>
/// Appends are idempotent by event id: an id already in the stream's log appends nothing and returns the logged
/// decisions. When an append throws (a lost connection, a cancelled token), its outcome is unknown: send the same
/// events again; what was committed comes back as already logged.
/// </para>
/// <para>
/// The log's identity is a hash chain over its events and decisions (<see cref="LoggedEvent.Chain"/>), not only a
/// counter: when the database loses commits this replica applied (a crash without durable commits, a failover to an
/// asynchronous standby, a restore) and other replicas refill the versions, this replica's next read or append fails
/// with <see cref="ClaimLogErrorCode.StreamDiverged"/> instead of deciding on a history the log does not have. Call
/// <see cref="ReloadAsync"/> to start again from the log.
/// </para>
/// <para>
/// Every database round trip is bounded by <see cref="CoordinatorOptions.CommandTimeout"/>: a killed backend, a dead
/// server or a half-open socket makes the call fail with <see cref="ClaimLogErrorCode.ConnectionFailed"/> instead of
/// waiting forever. The in-memory graph only ever holds committed events, so the coordinator stays usable after such a
/// failure: its next call takes a fresh connection from the pool.
/// </para>
/// <para>
/// A coordinator keeps one connection of its data source between appends, one while it listens for appends, and,
/// under <see cref="CoordinatorConcurrency.Leader"/> while it leads, the connection that holds the leader lock; dispose
/// it to return them. It implements <see cref="ClaimGraph.Coordination.IClaimCoordinator"/> for hosts that take one.
/// </para>
/// <para>
/// Thread-safe: appends, catch-ups, reloads and snapshots of one coordinator run one at a time; <see cref="Graph"/> and
/// <see cref="Version"/> may be read from any thread and always belong together (<see cref="State"/>).
/// </para>
/// </remarks>
public sealed partial class PostgresCoordinator : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _listenerGate = new(1, 1);
    private readonly ILogger _logger;
    private readonly KeyValuePair<string, object?> _concurrencyTag;

    /// <summary>The fingerprint of <see cref="CoordinatorOptions.Policy"/>, computed once (every append sends it; it hashes the options' JSON).</summary>
    private readonly string _policyFingerprint;
    private CoordinatorState _state;
    private AppendListener? _listener;

    /// <summary>
    /// The connection appends reuse from one call to the next (under <see cref="_gate"/>), or null. A pooled connection
    /// returned after every call is reset by the pool before its next use (a handful of statements), which costs the
    /// server about as much as an append.
    /// </summary>
    private NpgsqlConnection? _held;
    private bool _disposed;

    /// <summary>Whether opening changed the stream's policy options (see <see cref="CoordinatorOptions.OptionsChanging"/>).</summary>
    private bool _changedOptions;

    private PostgresCoordinator(PostgresClaimLog log, string streamId, CoordinatorOptions options, CoordinatorState state, long? snapshotVersion)
    {
        Log = log;
        StreamId = streamId;
        Options = options;
        _state = state;
        LoadedSnapshotVersion = snapshotVersion;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PostgresCoordinator>();
        _concurrencyTag = CoordinatorTelemetry.Concurrency(options.Concurrency);
        _policyFingerprint = options.Policy.Fingerprint;
    }

    /// <summary>The log appended to.</summary>
    public PostgresClaimLog Log { get; }

    /// <summary>The stream.</summary>
    public string StreamId { get; }

    /// <summary>The options.</summary>
    public CoordinatorOptions Options { get; }

    /// <summary>The graph, the stream version it is at and the log's digest there, as one consistent value.</summary>
    public CoordinatorState State => Volatile.Read(ref _state);

    /// <summary>The graph after the first <see cref="Version"/> events of the stream.</summary>
    public WorkGraph Graph => State.Graph;

    /// <summary>The stream version this replica has applied (others may have appended since: see <see cref="CatchUpAsync"/>).</summary>
    public long Version => State.Version;

    /// <summary>The snapshot the coordinator started from when it was opened (or last reloaded), or <see langword="null"/> when it replayed from the first event.</summary>
    public long? LoadedSnapshotVersion { get; private set; }

    /// <summary>The listening connection's server process, or null before the first wait (for tests).</summary>
    internal int? ListenerProcessId => _listener?.ProcessId;

    /// <summary>Test hook: runs after deciding and before the append statement (another replica may append here).</summary>
    internal Func<CancellationToken, Task>? BeforeWrite { get; set; }

    /// <summary>Test hook: runs after the append statement and before the commit, on the appending connection.</summary>
    internal Func<NpgsqlConnection, CancellationToken, Task>? BeforeCommit { get; set; }

    /// <summary>
    /// Opens a replica of <paramref name="streamId"/> (created empty when new): loads the newest snapshot (when
    /// <see cref="CoordinatorOptions.UseSnapshots"/>) and replays the events after it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="log"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> or <paramref name="options"/> is invalid.</exception>
    /// <exception cref="ClaimLogException">
    /// The schema is missing or too new, or a snapshot or event row is malformed, of an unknown format, out of sequence,
    /// does not continue the history before it, or its decisions diverge; or <see cref="ClaimLogErrorCode.ConnectionFailed"/>
    /// (or another server failure: open it again).
    /// </exception>
    public static async Task<PostgresCoordinator> OpenAsync(PostgresClaimLog log, string streamId, CoordinatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        PostgresClaimLog.EnsureStreamId(streamId);
        options ??= CoordinatorOptions.Default;
        options.EnsureValid();
        var coordinator = new PostgresCoordinator(log, streamId, options, CoordinatorState.Empty, null);
        (CoordinatorState state, long? snapshotVersion) = await coordinator.LoadAsync(cancellationToken).ConfigureAwait(false);
        coordinator._state = state;
        coordinator.LoadedSnapshotVersion = snapshotVersion;
        if (coordinator._changedOptions)
        {
            // Later opens start from here, under the new options, instead of replaying the earlier events under them.
            await coordinator.SaveSnapshotAsync(cancellationToken).ConfigureAwait(false);
        }

        return coordinator;
    }

    /// <summary>Appends one event. See <see cref="AppendAsync(IEnumerable{PolicyEvent}, CancellationToken)"/>.</summary>
    public Task<AppendResult> AppendAsync(PolicyEvent policyEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policyEvent);
        return AppendAsync([policyEvent], cancellationToken);
    }

    /// <summary>
    /// Decides <paramref name="events"/> on the stream's latest graph and appends them, with their decisions, in one
    /// transaction. Events whose id is already logged (or repeated in <paramref name="events"/>) are not appended again.
    /// When another replica appended first, the coordinator reads its events and decides again. An event the log
    /// cannot store exactly (a lone UTF-16 surrogate in any string, NUL in its id) is not sent: it comes back
    /// <see cref="AppendedEvent.Refused"/> with a <see cref="ReasonCode.InvalidEvent"/> rejection.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="events"/> is null.</exception>
    /// <exception cref="ArgumentException">An event is null or has no id.</exception>
    /// <exception cref="ClaimLogException">
    /// <see cref="ClaimLogErrorCode.ConcurrencyRetriesExhausted"/>; <see cref="ClaimLogErrorCode.StreamDiverged"/> (nothing was
    /// appended: call <see cref="ReloadAsync"/>); or a row read while catching up is malformed, of an unknown format, out
    /// of sequence, or its decisions diverge.
    /// </exception>
    /// <exception cref="ClaimLogException">
    /// <see cref="ClaimLogErrorCode.ConnectionFailed"/>: the connection broke or a round trip took longer than
    /// <see cref="CoordinatorOptions.CommandTimeout"/>. Whether the append committed is unknown: send the same events
    /// again (on this coordinator or a new one); what was committed comes back as already logged.
    /// <see cref="ClaimLogErrorCode.DiskFull"/>, <see cref="ClaimLogErrorCode.TooManyConnections"/>,
    /// <see cref="ClaimLogErrorCode.ServerOutOfResources"/>: the server refused the work; send the same events again later.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the outcome is unknown as above.</exception>
    /// <exception cref="PostgresException">The server refused a statement for another reason (permissions, a dropped schema).</exception>
    public async Task<AppendResult> AppendAsync(IEnumerable<PolicyEvent> events, CancellationToken cancellationToken = default)
    {
        PendingEvents pending = PendingEvents.From(events);
        foreach ((string id, RejectDecision reject) in pending.Refused)
        {
            CoordinatorLog.Refused(_logger, StreamId, id, reject.Detail);
        }

        using Activity? activity = CoordinatorTelemetry.Source.StartActivity("claimgraph.append", ActivityKind.Client);
        activity?.SetTag("claimgraph.stream", StreamId);
        activity?.SetTag(_concurrencyTag.Key, _concurrencyTag.Value);
        activity?.SetTag("claimgraph.events", pending.All.Count);
        long started = Options.TimeProvider.GetTimestamp();
        string outcome = "failed";
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            AppendResult result = pending.Count == 0
                ? Done(pending, new Dictionary<string, AppendedEvent>(), new Dictionary<string, ImmutableArray<Decision>>(), State, 1, null)
                : Options.Concurrency switch
                {
                    CoordinatorConcurrency.GroupCommit => await AppendGroupedAsync(pending, cancellationToken).ConfigureAwait(false),
                    CoordinatorConcurrency.Leader => await AppendThroughLeaderAsync(pending, cancellationToken).ConfigureAwait(false),
                    _ => await AppendDirectAsync(pending, cancellationToken).ConfigureAwait(false),
                };
            outcome = result.Events.Any(e => !e.AlreadyLogged && !e.Refused) ? "appended" : "logged";
            activity?.SetTag("claimgraph.attempts", result.Attempts);
            activity?.SetTag("claimgraph.version", result.Version);
            return result;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            if (ex is ClaimLogException failure)
            {
                Note(failure, "append");
            }

            throw;
        }
        finally
        {
            _gate.Release();
            CoordinatorTelemetry.AppendDuration.Record(
                Options.TimeProvider.GetElapsedTime(started).TotalSeconds,
                _concurrencyTag,
                new KeyValuePair<string, object?>("claimgraph.outcome", outcome));
        }
    }

    /// <summary>Reads and applies the events other replicas appended since <see cref="Version"/>; returns the new version.</summary>
    /// <exception cref="ClaimLogException">
    /// A row is malformed, of an unknown format, out of sequence, or its decisions diverge;
    /// <see cref="ClaimLogErrorCode.StreamDiverged"/> (the log lost events this replica applied: call
    /// <see cref="ReloadAsync"/>); or <see cref="ClaimLogErrorCode.ConnectionFailed"/> (nothing is applied: call it again).
    /// </exception>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CoordinatorState state = State;
            (StreamHead head, List<LoggedEvent> rows) = await RunAsync(
                token => ReadHeadAndTailAsync(state.Version, token),
                "a catch-up",
                "catch_up",
                state.Version,
                "call it again",
                cancellationToken).ConfigureAwait(false);
            CoordinatorState after = Advance(state, head, rows, opening: false, null, null);
            Volatile.Write(ref _state, after);
            return after.Version;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Drops this replica's graph and loads the stream again from the log (the newest snapshot, then the events after
    /// it), as <see cref="OpenAsync"/> does. The way back after <see cref="ClaimLogErrorCode.StreamDiverged"/>: the runs
    /// in <see cref="ReloadResult.RunsNoLongerActive"/> were active in this replica's history but are not in the log's,
    /// so the orchestrator must stop them (as for a <c>Cancel</c>).
    /// </summary>
    /// <exception cref="ClaimLogException">As for <see cref="OpenAsync"/>; the replica keeps its previous state.</exception>
    public async Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CoordinatorState before = State;
            (CoordinatorState after, long? snapshotVersion) = await LoadAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _state, after);
            LoadedSnapshotVersion = snapshotVersion;
            ImmutableArray<string> lost = RunsNoLongerActive(before.Graph, after.Graph);
            CoordinatorLog.Reloaded(_logger, StreamId, after.Version, before.Version, lost.Length);
            return new ReloadResult(before, after, lost);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Waits until another replica appends after <see cref="Version"/> (LISTEN/NOTIFY), then catches up and returns the
    /// new version. The first call opens a listening connection, held until the coordinator is disposed. Under
    /// <see cref="CoordinatorConcurrency.Leader"/> the leader's graph also moves while it logs other replicas' events:
    /// pass the version of the graph you looked at to <see cref="WaitForAppendAsync(long, CancellationToken)"/> instead.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ClaimLogException">
    /// <see cref="ClaimLogErrorCode.ConnectionFailed"/>: the listening connection broke or a round trip timed out; the
    /// next call listens on a new one. Or as for <see cref="CatchUpAsync"/>.
    /// </exception>
    public Task<long> WaitForAppendAsync(CancellationToken cancellationToken = default) => WaitForAppendAsync(Version, cancellationToken);

    /// <summary>
    /// Waits until the stream holds events after <paramref name="afterVersion"/> (returning at once when this replica has
    /// applied some already, as a leader does while it logs other replicas' events), then catches up and returns the new
    /// version. Pass the <see cref="CoordinatorState.Version"/> of the <see cref="State"/> you decided on, so that no
    /// event after it goes unnoticed. The first call opens a listening connection, held until the coordinator is disposed.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ClaimLogException">As for <see cref="WaitForAppendAsync(CancellationToken)"/>.</exception>
    public async Task<long> WaitForAppendAsync(long afterVersion, CancellationToken cancellationToken = default)
    {
        if (Version > afterVersion)
        {
            return Version;
        }

        AppendListener listener = await GetListenerAsync(cancellationToken).ConfigureAwait(false);
        await ListenAsync(listener, listener.WaitForAppendAsync(afterVersion, cancellationToken)).ConfigureAwait(false);
        return await CatchUpAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a snapshot of the graph at <see cref="Version"/> (kept if one exists) and deletes all but the newest
    /// <see cref="CoordinatorOptions.SnapshotsToKeep"/>. Returns the snapshot's version. A replica whose history the log
    /// no longer has cannot store its graph: the snapshot is written only where the log's digest is this replica's.
    /// </summary>
    /// <exception cref="ClaimLogException">
    /// <see cref="ClaimLogErrorCode.StreamDiverged"/> (call <see cref="ReloadAsync"/>); or
    /// <see cref="ClaimLogErrorCode.ConnectionFailed"/>: save it again (idempotent).
    /// </exception>
    public async Task<long> SaveSnapshotAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CoordinatorState state = State;
            string json = WorkGraphSnapshot.Save(state.Graph, false, Options.Policy.Fingerprint);
            bool stored = await RunAsync(
                token => WriteSnapshotAsync(state, json, token),
                "a snapshot",
                "snapshot",
                state.Version,
                "save it again (snapshots are idempotent)",
                cancellationToken).ConfigureAwait(false);
            if (!stored)
            {
                ClaimLogException diverged = Replay.Diverged(StreamId, state.Version, $"the log's event at version {state.Version} is not the one this replica applied; its graph was not stored");
                Note(diverged, "snapshot");
                throw diverged;
            }

            return state.Version;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Ends this replica's term as the stream's leader (releasing the lock), closes the listening connection and returns
    /// the connection kept for appends. The log's data source stays open.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection? held;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            held = _held;
            _held = null;
        }
        finally
        {
            _gate.Release();
        }

        if (held is not null)
        {
            await held.DisposeAsync().ConfigureAwait(false);
        }

        if (_leading is { } leading)
        {
            // Outside the gate: the leader's loop takes it for each round, and sees the coordinator disposed.
            _leading = null;
            await leading.DisposeAsync().ConfigureAwait(false);
        }

        await _listenerGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_listener is not null)
            {
                await _listener.DisposeAsync().ConfigureAwait(false);
                _listener = null;
            }
        }
        finally
        {
            _listenerGate.Release();
        }
    }
}
