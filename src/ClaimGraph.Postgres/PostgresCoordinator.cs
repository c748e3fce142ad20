using System.Collections.Immutable;
using System.Diagnostics;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Postgres.Appending;
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

    /// <summary>Loads the stream from the log: the newest snapshot (when allowed), then the events after it.</summary>
    private async Task<(CoordinatorState State, long? SnapshotVersion)> LoadAsync(CancellationToken cancellationToken)
    {
        long? lastChange = null;
        StoredSnapshot? snapshot = await RunAsync(
            async token =>
            {
                await Log.EnsureSchemaAsync(token).ConfigureAwait(false);
                await using NpgsqlConnection connection = await Log.DataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                await PostgresClaimLog.ExecuteAsync(connection, null, Log.Sql.EnsureStream, token, StreamId, Options.Policy.Fingerprint).ConfigureAwait(false);
                lastChange = await ClaimOptionsAsync(connection, token).ConfigureAwait(false);
                return Options.UseSnapshots ? await Log.ReadLatestSnapshotAsync(StreamId, token).ConfigureAwait(false) : null;
            },
            "the opening of the coordinator",
            "open",
            null,
            "open it again",
            cancellationToken).ConfigureAwait(false);

        // A snapshot written before the stream's last options change (or adoption) was kept under the options in force then.
        var snapshotOptions = new SnapshotLoadOptions { ExpectedOptionsFingerprint = Options.Policy.Fingerprint, OptionsChanging = snapshot is not null && snapshot.Version <= lastChange };
        CoordinatorState state = snapshot is null ? CoordinatorState.Empty : new CoordinatorState(snapshot.Load(snapshotOptions), snapshot.Version, snapshot.Chain);
        (StreamHead head, List<LoggedEvent> rows) = await RunAsync(
            token => ReadHeadAndTailAsync(state.Version, token),
            "the opening of the coordinator",
            "open",
            state.Version,
            "open it again",
            cancellationToken).ConfigureAwait(false);
        return (Advance(state, head, rows, opening: true, null, null), snapshot?.Version);
    }

    /// <summary>
    /// Checks the stream's options fingerprint against this replica's, without locking the head row (opening never waits
    /// behind an append). Adopts this replica's fingerprint when the stream has none (a stream created before schema
    /// version 3), changes it when it differs and <see cref="CoordinatorOptions.OptionsChanging"/> (both in one
    /// conditional statement that records them in the options changes), refuses otherwise.
    /// </summary>
    /// <returns>The version of the stream's last recorded options change or adoption, or null when it has none.</returns>
    /// <remarks>Sets <see cref="_changedOptions"/> when it changed another fingerprint.</remarks>
    private async Task<long?> ClaimOptionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        string fingerprint = Options.Policy.Fingerprint;
        while (true)
        {
            long version;
            string? recorded;
            long? lastChange;
            await using (var read = new NpgsqlCommand(Log.Sql.SelectOptions, connection) { Parameters = { PostgresClaimLog.Param(StreamId) } })
            await using (NpgsqlDataReader reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                version = reader.GetInt64(0);
                recorded = reader.IsDBNull(1) ? null : reader.GetString(1);
                lastChange = reader.IsDBNull(2) ? null : reader.GetInt64(2);
            }

            if (string.Equals(recorded, fingerprint, StringComparison.Ordinal))
            {
                return lastChange;
            }

            if (recorded is not null && !Options.OptionsChanging)
            {
                throw OptionsMismatch(recorded, version);
            }

            await using var change = new NpgsqlCommand(Log.Sql.ChangeOptions, connection);
            change.Parameters.Add(PostgresClaimLog.Param(StreamId));
            change.Parameters.Add(PostgresClaimLog.Param(fingerprint));
            change.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)recorded ?? DBNull.Value });
            if (await change.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long changedAt)
            {
                _changedOptions = recorded is not null;
                CoordinatorLog.OptionsChanged(_logger, StreamId, changedAt, recorded, fingerprint);
                return changedAt;
            }

            // Another replica changed the fingerprint meanwhile: look again.
        }
    }

    private ClaimLogException OptionsMismatch(string recorded, long version) =>
        new(
            ClaimLogErrorCode.OptionsMismatch,
            $"the stream records policy options {recorded}; this replica's are {Options.Policy.Fingerprint}",
            StreamId,
            version,
            "open with the stream's policy options, or with CoordinatorOptions.OptionsChanging = true to change them on purpose",
            null);

    /// <summary>
    /// Applies the rows after <paramref name="state"/> (others are ignored) and checks the head read before them: not
    /// behind the replica, and at the replica's digest when the tail ends there.
    /// </summary>
    /// <param name="state">The replica's state.</param>
    /// <param name="head">The head row, read before the rows.</param>
    /// <param name="rows">The tail (and possibly logged rows at or below the state's version), in version order.</param>
    /// <param name="opening">Whether the state came from the log itself (a head behind it is then a broken head row).</param>
    /// <param name="submission">The submission whose rows' decisions to collect into <paramref name="decided"/>, or null.</param>
    /// <param name="decided">Where to put them.</param>
    private CoordinatorState Advance(CoordinatorState state, StreamHead head, List<LoggedEvent> rows, bool opening, Guid? submission, Dictionary<string, ImmutableArray<Decision>>? decided)
    {
        if (head.OptionsFingerprint is not null && !string.Equals(head.OptionsFingerprint, Options.Policy.Fingerprint, StringComparison.Ordinal))
        {
            throw OptionsMismatch(head.OptionsFingerprint, head.Version);
        }

        try
        {
            if (opening && head.Version < state.Version)
            {
                throw new ClaimLogException(
                    ClaimLogErrorCode.VersionGap,
                    $"the stream's head is at version {head.Version}, below its snapshot and events (up to {state.Version})",
                    StreamId,
                    head.Version,
                    "the head row must name the last event's version",
                    null);
            }

            long seen = state.Version;
            CoordinatorState after = state;
            foreach (LoggedEvent row in rows)
            {
                if (row.Version > after.Version)
                {
                    after = Replay.Apply(after, row, Options.Policy, Options.VerifyReplayedDecisions, out ImmutableArray<Decision> decisions);
                    if (submission is not null && row.Submission == submission)
                    {
                        decided![row.EventId] = decisions;
                    }
                }
            }

            Replay.EnsureHead(StreamId, head, seen, after);
            if (after.Version < head.Version)
            {
                throw new ClaimLogException(
                    ClaimLogErrorCode.VersionGap,
                    $"the stream's head row says version {head.Version} but its events end at version {after.Version}",
                    StreamId,
                    head.Version,
                    "the head row must name the last event's version",
                    null);
            }

            return after;
        }
        catch (ClaimLogException ex) when (ex.Code == ClaimLogErrorCode.StreamDiverged)
        {
            CoordinatorLog.Diverged(_logger, StreamId, ex.Version, ex);
            throw;
        }
    }

    /// <summary>Runs one operation's database calls under the command timeout, turning connection and server failures into typed errors.</summary>
    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, string during, string operation, long? version, string hint, CancellationToken cancellationToken)
    {
        using var trip = new RoundTrip(Options.CommandTimeout, cancellationToken, Options.TimeProvider);
        try
        {
            return await trip.RunAsync(call).ConfigureAwait(false);
        }
        catch (Exception ex) when (trip.IsTypedFailure(ex))
        {
            ClaimLogException failure = trip.Failure(ex, during, StreamId, version, hint);
            Note(failure, operation);
            throw failure;
        }
    }

    /// <summary>Counts and logs a typed failure.</summary>
    private void Note(ClaimLogException failure, string operation)
    {
        CoordinatorTelemetry.CountFailure(failure, operation);
        if (failure.Code is ClaimLogErrorCode.ConnectionFailed or ClaimLogErrorCode.DiskFull or ClaimLogErrorCode.TooManyConnections or ClaimLogErrorCode.ServerOutOfResources)
        {
            CoordinatorLog.Failed(_logger, StreamId, failure.Code, operation, failure);
        }
    }

    /// <summary>The head row, then the events after <paramref name="afterVersion"/>, in one round trip (no replay).</summary>
    private async Task<(StreamHead Head, List<LoggedEvent> Rows)> ReadHeadAndTailAsync(long afterVersion, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await Log.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(Log.Sql.SelectHead) { Parameters = { PostgresClaimLog.Param(StreamId) } },
                new NpgsqlBatchCommand(Log.Sql.SelectTail) { Parameters = { PostgresClaimLog.Param(StreamId), PostgresClaimLog.Param(afterVersion) } },
            },
        };
        await using NpgsqlDataReader reader = await ExecuteReaderAsync(batch, cancellationToken).ConfigureAwait(false);
        StreamHead head = await PostgresClaimLog.ReadHeadRowAsync(reader, cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        List<LoggedEvent> rows = await ReadRowsAsync(reader, cancellationToken).ConfigureAwait(false);
        return (head, rows);
    }

    /// <summary>Takes the connection kept from the last append, or opens one (within the round trip's deadline).</summary>
    private async Task<NpgsqlConnection> TakeConnectionAsync(RoundTrip trip)
    {
        NpgsqlConnection? held = _held;
        _held = null;
        if (held is { State: System.Data.ConnectionState.Open })
        {
            return held;
        }

        if (held is not null)
        {
            await held.DisposeAsync().ConfigureAwait(false);
        }

        return await trip.RunAsync(token => Log.DataSource.OpenConnectionAsync(token).AsTask()).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps <paramref name="connection"/> for the next append when this one ended normally; after a failure (a broken
    /// connection, a timeout, a cancellation, an open transaction) returns it to the pool, which discards or resets it.
    /// </summary>
    private async ValueTask GiveBackAsync(RoundTrip trip, NpgsqlConnection? connection, bool succeeded)
    {
        if (connection is null)
        {
            return;
        }

        if (succeeded && trip.Abandoned is null && connection.State == System.Data.ConnectionState.Open && !_disposed)
        {
            _held = connection;
            return;
        }

        await trip.ReleaseAsync(connection).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="batch"/>, prepared on its connection first when <see cref="CoordinatorOptions.PrepareStatements"/>
    /// is set (the server then parses and plans each statement once per connection; a no-op once it has).
    /// </summary>
    private async Task<NpgsqlDataReader> ExecuteReaderAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        if (Options.PrepareStatements)
        {
            await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }

        return await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<LoggedEvent>> ReadRowsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<LoggedEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(PostgresClaimLog.ReadEventRow(reader, StreamId));
        }

        return rows;
    }

    /// <summary>Stores the snapshot where the log's digest at its version is the state's; false when it is not.</summary>
    private async Task<bool> WriteSnapshotAsync(CoordinatorState state, string json, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await Log.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        byte[] chain = LogChain.ToBytes(state.Chain);

        // One batch is one implicit transaction: the snapshot, the check that it is stored and the compaction commit
        // together. Only the check returns rows (Npgsql skips the results of statements without any).
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(Log.Sql.InsertSnapshot)
                {
                    Parameters =
                    {
                        PostgresClaimLog.Param(StreamId),
                        PostgresClaimLog.Param(state.Version),
                        PostgresClaimLog.Param(WorkGraphSnapshot.CurrentVersion),
                        PostgresClaimLog.Param(json),
                        PostgresClaimLog.Param(chain),
                    },
                },
                new NpgsqlBatchCommand(Log.Sql.SnapshotExists)
                {
                    Parameters = { PostgresClaimLog.Param(StreamId), PostgresClaimLog.Param(state.Version), PostgresClaimLog.Param(chain) },
                },
                new NpgsqlBatchCommand(Log.Sql.CompactSnapshots)
                {
                    Parameters = { PostgresClaimLog.Param(StreamId), PostgresClaimLog.Param(Options.SnapshotsToKeep) },
                },
            },
        };
        return (bool)(await batch.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<AppendListener> GetListenerAsync(CancellationToken cancellationToken)
    {
        await _listenerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _listener ??= await AppendListener.StartAsync(Log, StreamId, Options, _logger, logged: Options.Concurrency == CoordinatorConcurrency.Leader, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _listenerGate.Release();
        }
    }

    /// <summary>
    /// Awaits <paramref name="wait"/>, a wait on <paramref name="listener"/>. When the listening connection broke
    /// (<see cref="ClaimLogErrorCode.ConnectionFailed"/>) the listener is dropped, so that the next wait listens on a new
    /// one, and the error is thrown on.
    /// </summary>
    private async Task ListenAsync(AppendListener listener, Task wait)
    {
        try
        {
            await wait.ConfigureAwait(false);
        }
        catch (ClaimLogException ex) when (ex.Code == ClaimLogErrorCode.ConnectionFailed)
        {
            Note(ex, "listen");
            await DropListenerAsync(listener).ConfigureAwait(false);
            throw;
        }
    }

    private async Task DropListenerAsync(AppendListener broken)
    {
        await _listenerGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (ReferenceEquals(_listener, broken))
            {
                _listener = null;
            }
        }
        finally
        {
            _listenerGate.Release();
        }

        await broken.DisposeAsync().ConfigureAwait(false);
    }

    private static ImmutableArray<string> RunsNoLongerActive(WorkGraph before, WorkGraph after)
    {
        var lost = new List<string>();
        foreach (Run run in before.Runs.Values)
        {
            if (run.Status == RunStatus.Active && !(after.Runs.TryGetValue(run.Id, out Run? now) && now.Status == RunStatus.Active && now.FencingToken == run.FencingToken))
            {
                lost.Add(run.Id);
            }
        }

        lost.Sort(StringComparer.Ordinal);
        return [.. lost];
    }

    /// <summary>The call's result: each event's outcome (appended now, logged before, or refused) and the decisions made.</summary>
    private static AppendResult Done(
        PendingEvents pending,
        Dictionary<string, AppendedEvent> outcomes,
        Dictionary<string, ImmutableArray<Decision>> decided,
        CoordinatorState state,
        int attempts,
        long? snapshotVersion)
    {
        (ImmutableArray<AppendedEvent> events, ImmutableArray<Decision> decisions) = pending.Outcomes(id => outcomes[id], decided);
        return new AppendResult(events, decisions, state.Graph, state.Version, attempts, snapshotVersion);
    }
}

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
