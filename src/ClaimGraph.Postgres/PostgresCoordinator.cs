using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using Npgsql;

namespace ClaimGraph.Postgres;

/// <summary>
/// One orchestrator replica's view of a stream: it keeps the graph in memory, decides new events with
/// <see cref="ClaimPolicy.Step"/>, and appends them with their decisions in one transaction that commits only on the
/// stream version it decided on. Any number of replicas (processes, machines) may append to the same stream: each
/// decision is made on the graph of every event before it, so two replicas never both admit conflicting runs, and
/// every decision is in the log.
/// </summary>
/// <remarks>
/// <para>
/// Appends are idempotent by event id: an id already in the stream's log appends nothing and returns the logged
/// decisions. When an append throws (a lost connection, a cancelled token), its outcome is unknown: send the same
/// events again; what was committed comes back as already logged.
/// </para>
/// <para>
/// Every database round trip is bounded by <see cref="CoordinatorOptions.CommandTimeout"/>: a killed backend, a dead
/// server or a half-open socket makes the call fail with <see cref="ClaimLogErrorCode.ConnectionFailed"/> instead of
/// waiting forever. The in-memory graph only ever holds committed events, so the coordinator stays usable after such a
/// failure: its next call takes a fresh connection from the pool.
/// </para>
/// <para>
/// Thread-safe: appends, catch-ups and snapshots of one coordinator run one at a time; <see cref="Graph"/> and
/// <see cref="Version"/> may be read from any thread and always belong together (<see cref="State"/>).
/// </para>
/// </remarks>
public sealed class PostgresCoordinator : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _listenerGate = new(1, 1);
    private CoordinatorState _state;
    private AppendListener? _listener;
    private bool _disposed;

    private PostgresCoordinator(PostgresClaimLog log, string streamId, CoordinatorOptions options, CoordinatorState state, long? snapshotVersion)
    {
        Log = log;
        StreamId = streamId;
        Options = options;
        _state = state;
        LoadedSnapshotVersion = snapshotVersion;
    }

    /// <summary>The log appended to.</summary>
    public PostgresClaimLog Log { get; }

    /// <summary>The stream.</summary>
    public string StreamId { get; }

    /// <summary>The options.</summary>
    public CoordinatorOptions Options { get; }

    /// <summary>The graph and the stream version it is at, as one consistent pair.</summary>
    public CoordinatorState State => Volatile.Read(ref _state);

    /// <summary>The graph after the first <see cref="Version"/> events of the stream.</summary>
    public WorkGraph Graph => State.Graph;

    /// <summary>The stream version this replica has applied (others may have appended since: see <see cref="CatchUpAsync"/>).</summary>
    public long Version => State.Version;

    /// <summary>The snapshot the coordinator started from when it was opened, or <see langword="null"/> when it replayed from the first event.</summary>
    public long? LoadedSnapshotVersion { get; }

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
    /// or its decisions diverge; or <see cref="ClaimLogErrorCode.ConnectionFailed"/> (open it again).
    /// </exception>
    public static async Task<PostgresCoordinator> OpenAsync(PostgresClaimLog log, string streamId, CoordinatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        PostgresClaimLog.EnsureStreamId(streamId);
        options ??= CoordinatorOptions.Default;
        options.EnsureValid();
        CoordinatorState state;
        StoredSnapshot? snapshot;
        using (var trip = new RoundTrip(options.CommandTimeout, cancellationToken))
        {
            try
            {
                await trip.RunAsync(log.EnsureSchemaAsync).ConfigureAwait(false);
                await trip.RunAsync(async token =>
                {
                    await using NpgsqlConnection connection = await log.DataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                    await PostgresClaimLog.ExecuteAsync(connection, null, log.Sql.EnsureStream, token, streamId).ConfigureAwait(false);
                }).ConfigureAwait(false);
                snapshot = options.UseSnapshots ? await trip.RunAsync(token => log.ReadLatestSnapshotAsync(streamId, token)).ConfigureAwait(false) : null;
            }
            catch (Exception ex) when (trip.IsConnectionFailure(ex))
            {
                throw trip.Failure(ex, "the opening of the coordinator", streamId, null, "open it again");
            }
        }

        state = snapshot is null ? new CoordinatorState(WorkGraph.Empty, 0) : new CoordinatorState(snapshot.Load(), snapshot.Version);
        var coordinator = new PostgresCoordinator(log, streamId, options, state, snapshot?.Version);
        await coordinator.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        long head;
        using (var trip = new RoundTrip(options.CommandTimeout, cancellationToken))
        {
            try
            {
                head = await trip.RunAsync(token => log.GetStreamVersionAsync(streamId, token)).ConfigureAwait(false);
            }
            catch (Exception ex) when (trip.IsConnectionFailure(ex))
            {
                throw trip.Failure(ex, "the opening of the coordinator", streamId, null, "open it again");
            }
        }

        if (coordinator.Version > head)
        {
            throw new ClaimLogException(
                ClaimLogErrorCode.VersionGap,
                $"the stream's head is at version {head}, below its snapshot and events (up to {coordinator.Version})",
                streamId,
                head,
                "the head row must name the last event's version",
                null);
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
    /// When another replica appended first, the coordinator reads its events and decides again.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="events"/> is null.</exception>
    /// <exception cref="ArgumentException">An event is null or has no id.</exception>
    /// <exception cref="ClaimLogException">
    /// <see cref="ClaimLogErrorCode.ConcurrencyRetriesExhausted"/>, or a row read while catching up is malformed, of
    /// an unknown format, out of sequence, or its decisions diverge.
    /// </exception>
    /// <exception cref="ClaimLogException">
    /// <see cref="ClaimLogErrorCode.ConnectionFailed"/>: the connection broke or a round trip took longer than
    /// <see cref="CoordinatorOptions.CommandTimeout"/>. Whether the append committed is unknown: send the same events
    /// again (on this coordinator or a new one); what was committed comes back as already logged.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the outcome is unknown as above.</exception>
    /// <exception cref="PostgresException">The server refused a statement for another reason (permissions, a dropped schema).</exception>
    public async Task<AppendResult> AppendAsync(IEnumerable<PolicyEvent> events, CancellationToken cancellationToken = default)
    {
        Pending pending = Pending.From(events);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var trip = new RoundTrip(Options.CommandTimeout, cancellationToken);
            NpgsqlConnection? connection = null;
            try
            {
                connection = await trip.RunAsync(token => Log.DataSource.OpenConnectionAsync(token).AsTask()).ConfigureAwait(false);
                for (int attempt = 1; ; attempt++)
                {
                    AppendResult? result = await TryAppendAsync(connection, pending, attempt, trip).ConfigureAwait(false);
                    if (result is not null)
                    {
                        return result;
                    }

                    if (attempt > Options.MaxConflictRetries)
                    {
                        throw new ClaimLogException(
                            ClaimLogErrorCode.ConcurrencyRetriesExhausted,
                            $"the append lost the race for the stream head {attempt} times",
                            StreamId,
                            Version,
                            "raise MaxConflictRetries, or use CoordinatorConcurrency.HeadLock to queue instead of retrying",
                            null);
                    }

                    await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (trip.IsConnectionFailure(ex))
            {
                throw trip.Failure(ex, "an append", StreamId, Version, "whether it committed is unknown: send the same events again (already logged ones are not appended twice)");
            }
            finally
            {
                await trip.ReleaseAsync(connection).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads and applies the events other replicas appended since <see cref="Version"/>; returns the new version.</summary>
    /// <exception cref="ClaimLogException">
    /// A row is malformed, of an unknown format, out of sequence, or its decisions diverge; or
    /// <see cref="ClaimLogErrorCode.ConnectionFailed"/> (nothing is applied: call it again).
    /// </exception>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CoordinatorState state = State;
            List<LoggedEvent> rows;
            using (var trip = new RoundTrip(Options.CommandTimeout, cancellationToken))
            {
                try
                {
                    rows = await trip.RunAsync(token => ReadTailAsync(state.Version, token)).ConfigureAwait(false);
                }
                catch (Exception ex) when (trip.IsConnectionFailure(ex))
                {
                    throw trip.Failure(ex, "a catch-up", StreamId, state.Version, "call it again");
                }
            }

            WorkGraph graph = state.Graph;
            long version = state.Version;
            foreach (LoggedEvent row in rows)
            {
                graph = Replay.Apply(graph, row, Options.Policy, Options.VerifyReplayedDecisions);
                version = row.Version;
            }

            Volatile.Write(ref _state, new CoordinatorState(graph, version));
            return version;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Waits until another replica appends after <see cref="Version"/> (LISTEN/NOTIFY), then catches up and returns the
    /// new version. The first call opens a listening connection, held until the coordinator is disposed.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ClaimLogException">
    /// <see cref="ClaimLogErrorCode.ConnectionFailed"/>: the listening connection broke or a round trip timed out; the
    /// next call listens on a new one. Or a row read while catching up is malformed (see <see cref="CatchUpAsync"/>).
    /// </exception>
    public async Task<long> WaitForAppendAsync(CancellationToken cancellationToken = default)
    {
        AppendListener listener = await GetListenerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await listener.WaitForAppendAsync(Version, cancellationToken).ConfigureAwait(false);
        }
        catch (ClaimLogException ex) when (ex.Code == ClaimLogErrorCode.ConnectionFailed)
        {
            // The listening connection broke: drop it so that the next wait listens on a new one.
            await DropListenerAsync(listener).ConfigureAwait(false);
            throw;
        }

        return await CatchUpAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a snapshot of the graph at <see cref="Version"/> (kept if one exists) and deletes all but the newest
    /// <see cref="CoordinatorOptions.SnapshotsToKeep"/>. Returns the snapshot's version.
    /// </summary>
    /// <exception cref="ClaimLogException"><see cref="ClaimLogErrorCode.ConnectionFailed"/>: save it again (idempotent).</exception>
    public async Task<long> SaveSnapshotAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CoordinatorState state = State;
            string json = WorkGraphSnapshot.Save(state.Graph);
            using var trip = new RoundTrip(Options.CommandTimeout, cancellationToken);
            NpgsqlConnection? connection = null;
            try
            {
                connection = await trip.RunAsync(token => Log.DataSource.OpenConnectionAsync(token).AsTask()).ConfigureAwait(false);
                await trip.RunAsync(token => WriteSnapshotAsync(connection, state.Version, json, trip.TimeoutSeconds, token)).ConfigureAwait(false);
            }
            catch (Exception ex) when (trip.IsConnectionFailure(ex))
            {
                throw trip.Failure(ex, "a snapshot", StreamId, state.Version, "save it again (snapshots are idempotent)");
            }
            finally
            {
                await trip.ReleaseAsync(connection).ConfigureAwait(false);
            }

            return state.Version;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the listening connection, if any. The log's data source stays open.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
        }
        finally
        {
            _gate.Release();
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

    /// <summary>One attempt: read the tail and the logged ids, decide, commit. Null when another replica got there first.</summary>
    private async Task<AppendResult?> TryAppendAsync(NpgsqlConnection connection, Pending pending, int attempt, RoundTrip trip)
    {
        NpgsqlTransaction? tx = null;
        bool done = false;
        try
        {
            if (Options.Concurrency == CoordinatorConcurrency.HeadLock)
            {
                tx = await trip.RunAsync(token => connection.BeginTransactionAsync(token).AsTask()).ConfigureAwait(false);
            }

            Dictionary<string, LoggedEvent> logged = await ReadTailAndLoggedAsync(connection, tx, pending, trip).ConfigureAwait(false);
            CoordinatorState state = State;
            var fresh = new List<int>(pending.Count);
            for (int i = 0; i < pending.Count; i++)
            {
                if (!logged.ContainsKey(pending.Ids[i]))
                {
                    fresh.Add(i);
                }
            }

            if (fresh.Count == 0)
            {
                await RollbackAsync(tx, trip).ConfigureAwait(false);
                done = true;
                return Result(pending, logged, [], [], [], state, attempt, null);
            }

            // Decide every fresh event on the graph of every event before it.
            WorkGraph graph = state.Graph;
            var decisions = ImmutableArray.CreateBuilder<Decision>();
            string[] ids = new string[fresh.Count];
            string[] eventJson = new string[fresh.Count];
            string[] decisionsJson = new string[fresh.Count];
            for (int k = 0; k < fresh.Count; k++)
            {
                int i = fresh[k];
                PolicyStepResult step = ClaimPolicy.Step(graph, [pending.Events[i]], Options.Policy);
                graph = step.Graph;
                decisions.AddRange(step.Decisions);
                ids[k] = pending.Ids[i];
                eventJson[k] = pending.Json[i];
                decisionsJson[k] = Replay.WriteDecisions(step.Decisions);
            }

            long expected = state.Version;
            long next = expected + fresh.Count;
            int interval = Options.SnapshotInterval;
            long? snapshotVersion = interval > 0 && next / interval > expected / interval ? next : null;
            string? snapshotJson = snapshotVersion is null ? null : WorkGraphSnapshot.Save(graph);

            if (BeforeWrite is { } beforeWrite)
            {
                await beforeWrite(trip.Caller).ConfigureAwait(false);
            }

            // The append is one statement, hence one transaction; an explicit one is needed only to hold the head lock
            // or to let a test step in before the commit.
            Func<NpgsqlConnection, CancellationToken, Task>? hook = BeforeCommit;
            if (hook is not null && tx is null)
            {
                tx = await trip.RunAsync(token => connection.BeginTransactionAsync(token).AsTask()).ConfigureAwait(false);
            }

            var batch = new AppendBatch(expected, next, ids, eventJson, decisionsJson, snapshotJson);
            if (!await trip.RunAsync(token => TryWriteEventsAsync(connection, tx, batch, trip.TimeoutSeconds, token)).ConfigureAwait(false))
            {
                await RollbackAsync(tx, trip).ConfigureAwait(false);
                done = true;
                return null;
            }

            if (hook is not null)
            {
                await hook(connection, trip.Caller).ConfigureAwait(false);
            }

            if (tx is not null)
            {
                await trip.RunAsync(tx.CommitAsync).ConfigureAwait(false);
            }

            done = true;
            var after = new CoordinatorState(graph, next);
            Volatile.Write(ref _state, after);
            return Result(pending, logged, fresh, decisionsJson, decisions.ToImmutable(), after, attempt, snapshotVersion);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Only a writer that bypasses the head row can cause this; treat it as a lost race and read again.
            await RollbackAsync(tx, trip).ConfigureAwait(false);
            done = true;
            return null;
        }
        finally
        {
            if (tx is not null)
            {
                if (done)
                {
                    await tx.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    // After a failure the rollback is bounded and may fail: a broken connection has nothing to roll back.
                    await trip.CleanUpAsync(tx.DisposeAsync).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Rolls back <paramref name="tx"/>, if any, within the command timeout.</summary>
    private static async Task RollbackAsync(NpgsqlTransaction? tx, RoundTrip trip)
    {
        if (tx is not null)
        {
            await trip.RunAsync(tx.RollbackAsync).ConfigureAwait(false);
        }
    }

    /// <summary>The stream's events after <paramref name="afterVersion"/>, read in one statement (no replay).</summary>
    private async Task<List<LoggedEvent>> ReadTailAsync(long afterVersion, CancellationToken cancellationToken)
    {
        var rows = new List<LoggedEvent>();
        await foreach (LoggedEvent row in Log.ReadEventsAsync(StreamId, afterVersion, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// Reads the events after <see cref="Version"/> and any logged event with a pending id, in one statement, and
    /// applies the former. Under <see cref="CoordinatorConcurrency.HeadLock"/> the head row is locked first.
    /// </summary>
    private async Task<Dictionary<string, LoggedEvent>> ReadTailAndLoggedAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Pending pending, RoundTrip trip)
    {
        CoordinatorState state = State;
        (long? lockedHead, List<LoggedEvent> rows) = await trip.RunAsync(token => ReadTailAndLoggedRowsAsync(connection, tx, pending, state.Version, trip.TimeoutSeconds, token)).ConfigureAwait(false);
        var logged = new Dictionary<string, LoggedEvent>(StringComparer.Ordinal);
        WorkGraph graph = state.Graph;
        long version = state.Version;
        foreach (LoggedEvent row in rows)
        {
            if (row.Version > state.Version)
            {
                Replay.EnsureNext(row, version);
                graph = Replay.Apply(graph, row, Options.Policy, Options.VerifyReplayedDecisions);
                version = row.Version;
            }

            if (pending.Contains(row.EventId))
            {
                logged[row.EventId] = row;
            }
        }

        if (lockedHead is long head && head != version)
        {
            throw new ClaimLogException(
                ClaimLogErrorCode.VersionGap,
                $"the stream's head row says version {head} but its events end at version {version}",
                StreamId,
                head,
                "the head row must name the last event's version",
                null);
        }

        Volatile.Write(ref _state, new CoordinatorState(graph, version));
        return logged;
    }

    private async Task<(long? LockedHead, List<LoggedEvent> Rows)> ReadTailAndLoggedRowsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? tx,
        Pending pending,
        long afterVersion,
        int timeoutSeconds,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, tx) { Timeout = timeoutSeconds };
        if (tx is not null)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(Log.Sql.LockHead) { Parameters = { PostgresClaimLog.Param(StreamId) } });
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(Log.Sql.SelectTailAndLogged)
        {
            Parameters = { PostgresClaimLog.Param(StreamId), PostgresClaimLog.Param(afterVersion), PostgresClaimLog.Param(pending.Ids) },
        });
        long? lockedHead = null;
        var rows = new List<LoggedEvent>();
        await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (tx is not null)
        {
            lockedHead = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt64(0) : 0;
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }

        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(PostgresClaimLog.ReadEventRow(reader, StreamId));
        }

        return (lockedHead, rows);
    }

    private async Task<bool> TryWriteEventsAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, AppendBatch batch, int timeoutSeconds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Log.Sql.Append, connection, tx)
        {
            CommandTimeout = timeoutSeconds,
            Parameters =
            {
                PostgresClaimLog.Param(StreamId),
                PostgresClaimLog.Param(batch.Expected),
                PostgresClaimLog.Param(batch.Next),
                PostgresClaimLog.Param(PostgresClaimLog.EventFormat),
                PostgresClaimLog.Param(batch.Ids),
                PostgresClaimLog.Param(batch.Events),
                PostgresClaimLog.Param(batch.Decisions),
                PostgresClaimLog.Param(Log.Sql.Channel),
                PostgresClaimLog.Param(AppendListener.Payload(batch.Next, StreamId)),
                PostgresClaimLog.Param(WorkGraphSnapshot.CurrentVersion),
                new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)batch.SnapshotJson ?? DBNull.Value },
                PostgresClaimLog.Param(Options.SnapshotsToKeep),
            },
        };
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        long inserted = reader.GetInt64(0);
        if (inserted != batch.Ids.Length)
        {
            throw new ClaimLogException(
                ClaimLogErrorCode.VersionGap,
                $"the append inserted {inserted} of {batch.Ids.Length} events",
                StreamId,
                batch.Expected + 1,
                null,
                null);
        }

        return true;
    }

    private async Task WriteSnapshotAsync(NpgsqlConnection connection, long version, string json, int timeoutSeconds, CancellationToken cancellationToken)
    {
        // One batch is one implicit transaction: the snapshot and the compaction commit together.
        await using var batch = new NpgsqlBatch(connection)
        {
            Timeout = timeoutSeconds,
            BatchCommands =
            {
                new NpgsqlBatchCommand(Log.Sql.InsertSnapshot)
                {
                    Parameters =
                    {
                        PostgresClaimLog.Param(StreamId),
                        PostgresClaimLog.Param(version),
                        PostgresClaimLog.Param(WorkGraphSnapshot.CurrentVersion),
                        PostgresClaimLog.Param(json),
                    },
                },
                new NpgsqlBatchCommand(Log.Sql.CompactSnapshots)
                {
                    Parameters = { PostgresClaimLog.Param(StreamId), PostgresClaimLog.Param(Options.SnapshotsToKeep) },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<AppendListener> GetListenerAsync(CancellationToken cancellationToken)
    {
        await _listenerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _listener ??= await AppendListener.StartAsync(Log, StreamId, Options.NotificationPollInterval, Options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _listenerGate.Release();
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

    [SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Jitter between racing replicas, not security.")]
    private static Task BackOffAsync(int attempt, CancellationToken cancellationToken)
    {
        // The first retries go at once (the loser already holds the winner's events); later ones spread out a little.
        if (attempt < 3)
        {
            return Task.CompletedTask;
        }

        return Task.Delay(Random.Shared.Next(0, Math.Min(attempt, 20)), cancellationToken);
    }

    private static AppendResult Result(
        Pending pending,
        Dictionary<string, LoggedEvent> logged,
        List<int> fresh,
        string[] freshDecisions,
        ImmutableArray<Decision> decisions,
        CoordinatorState state,
        int attempt,
        long? snapshotVersion)
    {
        var events = ImmutableArray.CreateBuilder<AppendedEvent>(pending.Count);
        long firstFresh = state.Version - fresh.Count + 1;
        int k = 0;
        for (int i = 0; i < pending.Count; i++)
        {
            if (logged.TryGetValue(pending.Ids[i], out LoggedEvent? row))
            {
                events.Add(new AppendedEvent(row.EventId, row.Version, AlreadyLogged: true, row.DecisionsJson));
            }
            else
            {
                events.Add(new AppendedEvent(pending.Ids[i], firstFresh + k, AlreadyLogged: false, freshDecisions[k]));
                k++;
            }
        }

        return new AppendResult(events.MoveToImmutable(), decisions, state.Graph, state.Version, attempt, snapshotVersion);
    }

    /// <summary>What one append statement writes: the fresh events after <paramref name="Expected"/>, up to <paramref name="Next"/>.</summary>
    private sealed record AppendBatch(long Expected, long Next, string[] Ids, string[] Events, string[] Decisions, string? SnapshotJson);

    /// <summary>The distinct events of one append, in order of first appearance, with their JSON written once.</summary>
    private sealed class Pending
    {
        private readonly HashSet<string> _ids;

        private Pending(List<PolicyEvent> events, HashSet<string> ids)
        {
            Events = events;
            _ids = ids;
            Ids = new string[events.Count];
            Json = new string[events.Count];
            for (int i = 0; i < events.Count; i++)
            {
                Ids[i] = events[i].EventId;
                Json[i] = PolicyJson.WriteEvent(events[i]);
            }
        }

        public List<PolicyEvent> Events { get; }

        public string[] Ids { get; }

        public string[] Json { get; }

        public int Count => Events.Count;

        public static Pending From(IEnumerable<PolicyEvent> events)
        {
            ArgumentNullException.ThrowIfNull(events);
            var distinct = new List<PolicyEvent>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            int index = 0;
            foreach (PolicyEvent? e in events)
            {
                if (e is null || string.IsNullOrEmpty(e.EventId))
                {
                    throw new ArgumentException($"Event {index} is null or has no id; every appended event needs a non-empty EventId.", nameof(events));
                }

                if (ids.Add(e.EventId))
                {
                    distinct.Add(e);
                }

                index++;
            }

            return new Pending(distinct, ids);
        }

        public bool Contains(string id) => _ids.Contains(id);
    }
}

/// <summary>A coordinator's graph and the stream version it is at.</summary>
/// <param name="Graph">The graph after the stream's first <paramref name="Version"/> events.</param>
/// <param name="Version">The stream version.</param>
public sealed record CoordinatorState(WorkGraph Graph, long Version);
