using System.Collections.Immutable;
using ClaimGraph.Policy;
using ClaimGraph.Postgres.Appending;
using Npgsql;

namespace ClaimGraph.Postgres;

/// <summary>Appending under <see cref="CoordinatorConcurrency.Leader"/>.</summary>
/// <remarks>
/// <para>
/// One replica of a stream leads: it holds the stream's leader lock (a session-level advisory lock on a connection of
/// its own, which also listens on the inbox channel) and appends for every replica. The others forward their events:
/// one statement queues them in the stream's inbox and notifies the leader. The leader decides whatever the inbox
/// holds (oldest first), together with its own events, and writes them all in one transaction with one conditional
/// append that also deletes the inbox rows it took; the commit's NOTIFY wakes the forwarding replicas, which read the
/// log's new rows (their own among them) and catch up.
/// </para>
/// <para>
/// The lock only decides who does the work; correctness never depends on it: every append, the leader's or not,
/// commits only on the head (version and digest) it decided on, event ids are logged once, and an event is
/// acknowledged only from the log. A replica whose forwarded events are not logged within
/// <see cref="CoordinatorOptions.LeaderTimeout"/> (the leader died, hangs, or lost its connection mid-batch) tries to
/// take the lock, and appends its events itself (with the rest of the inbox) whether or not it got it.
/// </para>
/// </remarks>
public sealed partial class PostgresCoordinator
{
    private LeaderRole? _leading;

    /// <summary>
    /// The inbox rows this replica's last append saw right after writing (when the head was its own), for the next
    /// round to take without reading first; null when unknown. Used under <see cref="_gate"/>.
    /// </summary>
    private List<InboxRow>? _inboxAfterHead;

    /// <summary>Whether this replica's last attempt to lead found the lock taken (so it forwards until a forward times out).</summary>
    private bool _followsLeader;

    /// <summary>Whether this replica holds its stream's leader lock and serves the inbox (for tests).</summary>
    internal bool IsLeading => _leading is { IsAlive: true };

    /// <summary>The server process of the leader's connection, or null when this replica does not lead (for tests).</summary>
    internal int? LeaderProcessId => _leading is { IsAlive: true } role ? role.ProcessId : null;

    /// <summary>The leader lock's name, hashed by the server into the advisory lock's key.</summary>
    private string LeaderLockName => "claimgraph.leader." + Log.Schema + "." + StreamId;

    /// <summary>Appends under <see cref="CoordinatorConcurrency.Leader"/>; runs under <see cref="_gate"/>.</summary>
    private async Task<AppendResult> AppendThroughLeaderAsync(PendingEvents pending, CancellationToken cancellationToken)
    {
        var decided = new Dictionary<string, ImmutableArray<Decision>>(StringComparer.Ordinal);
        Guid submission = Guid.NewGuid();
        if (!_followsLeader && !IsLeading)
        {
            await TryLeadAsync(cancellationToken).ConfigureAwait(false);
        }

        if (IsLeading)
        {
            return await LeadAsync(pending, submission, decided, cancellationToken).ConfigureAwait(false);
        }

        (AppendResult? forwarded, int attempts) = await ForwardAsync(pending, submission, decided, cancellationToken).ConfigureAwait(false);
        if (forwarded is not null)
        {
            return forwarded;
        }

        // The leader did not log the events in time: lead if the lock is free, and append them either way.
        _followsLeader = false;
        await TryLeadAsync(cancellationToken).ConfigureAwait(false);
        AppendResult result = await LeadAsync(pending, submission, decided, cancellationToken).ConfigureAwait(false);
        return result with { Attempts = result.Attempts + attempts };
    }

    /// <summary>
    /// Queues the events for the leader and waits until a leader's commit names them, then reads the log's new rows
    /// (its own among them). Returns the result, or null (with the rounds so far) when they are not logged within
    /// <see cref="CoordinatorOptions.LeaderTimeout"/>.
    /// </summary>
    private async Task<(AppendResult? Result, int Attempts)> ForwardAsync(
        PendingEvents pending,
        Guid submission,
        Dictionary<string, ImmutableArray<Decision>> decided,
        CancellationToken cancellationToken)
    {
        AppendListener listener = await GetListenerAsync(cancellationToken).ConfigureAwait(false);
        using var trip = new RoundTrip(Options.CommandTimeout, cancellationToken, Options.TimeProvider);
        NpgsqlConnection? connection = null;
        bool succeeded = false;
        long started = Options.TimeProvider.GetTimestamp();
        listener.Expect(submission);
        try
        {
            connection = await TakeConnectionAsync(trip).ConfigureAwait(false);
            bool queue = true;
            for (int attempt = 0; ;)
            {
                bool wait;
                if (queue)
                {
                    // Queue, then wait for the leader's commit (unless nothing was queued: all logged already).
                    wait = await trip.RunAsync(token => QueueAsync(connection, pending, submission, token)).ConfigureAwait(false) > 0;
                    queue = false;
                }
                else
                {
                    // Each read is a round of this append: the first one, and one per commit that logged only part of it.
                    attempt++;
                    CoordinatorTelemetry.AppendAttempts.Add(1, _concurrencyTag);
                    if (attempt > 1)
                    {
                        CoordinatorTelemetry.AppendRetries.Add(1, _concurrencyTag);
                    }

                    CoordinatorState before = State;
                    (StreamHead head, List<LoggedEvent> rows, long queued) = await trip.RunAsync(token => ReadForwardedAsync(connection, pending, submission, before.Version, token)).ConfigureAwait(false);
                    CoordinatorState state = Advance(before, head, rows, opening: false, submission, decided);
                    Volatile.Write(ref _state, state);
                    Dictionary<string, AppendedEvent> outcomes = Logged(rows, pending, submission);
                    if (outcomes.Count == pending.Count)
                    {
                        succeeded = true;
                        return (Done(pending, outcomes, decided, state, attempt, null), attempt);
                    }

                    // Neither logged nor queued (a server crash empties the unlogged inbox): queue them again.
                    queue = queued == 0;
                    wait = !queue;
                }

                TimeSpan left = Options.LeaderTimeout - Options.TimeProvider.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    succeeded = true;
                    return (null, Math.Max(attempt, 1));
                }

                if (wait)
                {
                    // Wait for a commit that names this submission (it may log part of it: then wait for the next).
                    await WaitForLoggedAsync(listener, submission, left, cancellationToken).ConfigureAwait(false);
                    listener.Expect(submission);
                }
            }
        }
        catch (Exception ex) when (trip.IsTypedFailure(ex))
        {
            throw trip.Failure(ex, "an append", StreamId, Version, "whether it committed is unknown: send the same events again (already logged ones are not appended twice)");
        }
        finally
        {
            listener.Forget(submission);
            await GiveBackAsync(trip, connection, succeeded).ConfigureAwait(false);
        }
    }

    /// <summary>Waits on <paramref name="listener"/> for a commit naming <paramref name="submission"/>; a broken listener is dropped (the next wait starts another).</summary>
    private Task WaitForLoggedAsync(AppendListener listener, Guid submission, TimeSpan patience, CancellationToken cancellationToken) =>
        ListenAsync(listener, listener.WaitForLoggedAsync(submission, patience, cancellationToken));

    /// <summary>
    /// Queues the events not logged yet in the inbox (committed without waiting for the disk: they are a request, not
    /// the log; a lost one is sent again) and notifies the leader, in one round trip. Returns how many were queued:
    /// none when the log no longer has this replica's history (the next read then finds it diverged), so that a
    /// replica that must not append does not get its events logged by the leader either.
    /// </summary>
    private async Task<long> QueueAsync(NpgsqlConnection connection, PendingEvents pending, Guid submission, CancellationToken cancellationToken)
    {
        CoordinatorState state = State;
        await using NpgsqlBatch batch = SubmitBatch(connection, Log.Sql.Forward, pending, submission, out NpgsqlBatchCommand forward);
        forward.Parameters.Add(PostgresClaimLog.Param(Log.Sql.InboxChannel));
        forward.Parameters.Add(PostgresClaimLog.Param(state.Version));
        forward.Parameters.Add(PostgresClaimLog.Param(LogChain.ToBytes(state.Chain)));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await using NpgsqlDataReader reader = await ExecuteReaderAsync(batch, cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetInt64(0);
    }

    /// <summary>
    /// In one round trip: how many of the submission's events still wait in the inbox, then the head, the tail after
    /// <paramref name="afterVersion"/> and the logged rows of the pending ids. The inbox is read first: an event leaves
    /// it in the same commit that logs it, so one found in neither is really lost.
    /// </summary>
    private async Task<(StreamHead Head, List<LoggedEvent> Rows, long Queued)> ReadForwardedAsync(
        NpgsqlConnection connection,
        PendingEvents pending,
        Guid submission,
        long afterVersion,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(Log.Sql.SelectQueued) { Parameters = { PostgresClaimLog.Param(submission) } },
                new NpgsqlBatchCommand(Log.Sql.SelectHead) { Parameters = { PostgresClaimLog.Param(StreamId) } },
                new NpgsqlBatchCommand(Log.Sql.SelectTailAndLogged)
                {
                    Parameters = { PostgresClaimLog.Param(StreamId), PostgresClaimLog.Param(afterVersion), PostgresClaimLog.Param(pending.Ids) },
                },
            },
        };
        await using NpgsqlDataReader reader = await ExecuteReaderAsync(batch, cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        long queued = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        StreamHead head = await PostgresClaimLog.ReadHeadRowAsync(reader, cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        return (head, await ReadRowsAsync(reader, cancellationToken).ConfigureAwait(false), queued);
    }

    /// <summary>
    /// Takes the stream's leader lock when it is free and starts serving the inbox. Returns whether this replica leads.
    /// </summary>
    private async Task<bool> TryLeadAsync(CancellationToken cancellationToken)
    {
        if (IsLeading)
        {
            return true;
        }

        if (_leading is { } dead)
        {
            _leading = null;
            await dead.DisposeAsync().ConfigureAwait(false);
        }

        LeaderRole? role = await RunAsync(
            token => LeaderRole.TryStartAsync(this, token),
            "an election of the stream's leader",
            "lead",
            Version,
            "send the same events again",
            cancellationToken).ConfigureAwait(false);
        _followsLeader = role is null;
        _leading = role;
        return role is not null;
    }

    /// <summary>
    /// Appends this call's events together with whatever the inbox holds, as the leader does (or a replica whose
    /// leader did not answer): one round trip when the inbox rows seen after this replica's last append are still
    /// current, two otherwise. Each commit only lands on the head this replica decided on; when another writer moved
    /// it, the replica reads again and decides again.
    /// </summary>
    private async Task<AppendResult> LeadAsync(
        PendingEvents pending,
        Guid submission,
        Dictionary<string, ImmutableArray<Decision>> decided,
        CancellationToken cancellationToken)
    {
        using var trip = new RoundTrip(Options.CommandTimeout, cancellationToken, Options.TimeProvider);
        NpgsqlConnection? connection = null;
        bool succeeded = false;
        var outcomes = new Dictionary<string, AppendedEvent>(StringComparer.Ordinal);
        try
        {
            connection = await TakeConnectionAsync(trip).ConfigureAwait(false);
            for (int attempt = 1; ; attempt++)
            {
                StartRound(attempt);
                if (attempt > 1)
                {
                    CoordinatorLog.LostRace(_logger, StreamId, Version, attempt - 1);
                }

                // The inbox as the last append saw it right after writing; null when it must be read (with the head).
                List<InboxRow>? inbox = _inboxAfterHead;
                _inboxAfterHead = null;
                CoordinatorState state = State;
                if (inbox is null)
                {
                    (StreamHead head, List<LoggedEvent> rows, inbox) = await trip.RunAsync(token => ReadToLeadAsync(connection, pending.Ids, state.Version, token)).ConfigureAwait(false);
                    state = Advance(state, head, rows, opening: false, submission, decided);
                    Volatile.Write(ref _state, state);
                    foreach ((string id, AppendedEvent logged) in Logged(rows, pending, submission))
                    {
                        outcomes[id] = logged;
                    }
                }

                (List<Submitted> events, List<long> dropped, HashSet<Guid> submissions) = Collect(inbox, [.. outcomes.Keys], pending, submission);
                if (events.Count == 0)
                {
                    if (dropped.Count > 0)
                    {
                        await trip.RunAsync(token => PostgresClaimLog.ExecuteAsync(connection, null, "DELETE FROM " + Log.Sql.Inbox + " WHERE seq = ANY($1)", token, dropped.ToArray())).ConfigureAwait(false);
                    }

                    _inboxAfterHead = [];
                    succeeded = true;
                    return Done(pending, outcomes, decided, state, attempt, null);
                }

                AppendBatch batch = Decide(state, events, decided);
                if (BeforeWrite is { } beforeWrite)
                {
                    await beforeWrite(trip.Caller).ConfigureAwait(false);
                }

                submissions.Remove(submission);
                string[] notices = AppendListener.LoggedPayloads(submissions, StreamId);
                (bool written, List<InboxRow> after) = await trip.RunAsync(token => WriteAndReadInboxAsync(connection, batch, dropped, notices, trip, token)).ConfigureAwait(false);
                if (!written)
                {
                    continue;
                }

                Volatile.Write(ref _state, batch.Next);
                _inboxAfterHead = after;
                CoordinatorTelemetry.EventsWritten.Add(batch.Ids.Length, _concurrencyTag);
                CoordinatorTelemetry.GroupCommitBatch.Record(batch.Ids.Length, _concurrencyTag);
                CoordinatorLog.GroupCommitted(_logger, StreamId, batch.Ids.Length, submissions.Count, batch.Next.Version);
                AddOutcomes(outcomes, batch, submission, pending);
                succeeded = true;
                return Done(pending, outcomes, decided, batch.Next, attempt, batch.SnapshotJson is null ? null : batch.Next.Version);
            }
        }
        catch (Exception ex) when (trip.IsTypedFailure(ex))
        {
            throw trip.Failure(ex, "an append", StreamId, Version, "whether it committed is unknown: send the same events again (already logged ones are not appended twice)");
        }
        finally
        {
            await GiveBackAsync(trip, connection, succeeded).ConfigureAwait(false);
        }
    }

    /// <summary>In one round trip: the head, the inbox (with each row's logged flag), the tail after <paramref name="afterVersion"/> and the logged rows of <paramref name="ids"/>.</summary>
    private async Task<(StreamHead Head, List<LoggedEvent> Rows, List<InboxRow> Inbox)> ReadToLeadAsync(NpgsqlConnection connection, string[] ids, long afterVersion, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(Log.Sql.SelectHead) { Parameters = { PostgresClaimLog.Param(StreamId) } },
                new NpgsqlBatchCommand(Log.Sql.SelectInboxToLead) { Parameters = { PostgresClaimLog.Param(StreamId), PostgresClaimLog.Param(MaxGroupCommitRows) } },
                new NpgsqlBatchCommand(Log.Sql.SelectTailAndLogged)
                {
                    Parameters = { PostgresClaimLog.Param(StreamId), PostgresClaimLog.Param(afterVersion), PostgresClaimLog.Param(ids) },
                },
            },
        };
        await using NpgsqlDataReader reader = await ExecuteReaderAsync(batch, cancellationToken).ConfigureAwait(false);
        StreamHead head = await PostgresClaimLog.ReadHeadRowAsync(reader, cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        List<InboxRow> inbox = await ReadInboxAsync(reader, cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        return (head, await ReadRowsAsync(reader, cancellationToken).ConfigureAwait(false), inbox);
    }

    /// <summary>
    /// The conditional append of <paramref name="batch"/> (which also deletes the inbox rows it took and
    /// <paramref name="dropped"/>) and the inbox rows left, in one transaction; then the notifications. One round trip
    /// (two with a <see cref="BeforeCommit"/> hook, which runs before the commit). False when the head had moved or an
    /// id was logged meanwhile: nothing was written.
    /// </summary>
    private async Task<(bool Written, List<InboxRow> Inbox)> WriteAndReadInboxAsync(
        NpgsqlConnection connection,
        AppendBatch batch,
        List<long> dropped,
        string[] notices,
        RoundTrip trip,
        CancellationToken cancellationToken)
    {
        Func<NpgsqlConnection, CancellationToken, Task>? hook = BeforeCommit;
        await using var command = new NpgsqlBatch(connection)
        {
            Timeout = trip.TimeoutSeconds,
            BatchCommands =
            {
                new NpgsqlBatchCommand("BEGIN"),
                AppendCommand(batch, [.. dropped]),
                new NpgsqlBatchCommand(Log.Sql.SelectInboxToLead) { Parameters = { PostgresClaimLog.Param(StreamId), PostgresClaimLog.Param(MaxGroupCommitRows) } },
            },
        };
        if (hook is null)
        {
            // Commit, then notify in a transaction of its own (see ClaimLogSql.NotifyAppended).
            command.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        }

        command.BatchCommands.Add(NotifyAppendedCommand(batch));

        // Names the forwarded submissions this commit logged, so that each forwarding replica wakes for its own commit
        // rather than for every one (only when the append wrote: the head is then at the batch's end).
        command.BatchCommands.Add(new NpgsqlBatchCommand(Log.Sql.NotifyLogged)
        {
            Parameters =
            {
                PostgresClaimLog.Param(Log.Sql.LoggedChannel),
                PostgresClaimLog.Param(notices),
                PostgresClaimLog.Param(StreamId),
                PostgresClaimLog.Param(batch.Next.Version),
                PostgresClaimLog.Param(LogChain.ToBytes(batch.Next.Chain)),
            },
        });
        bool written;
        List<InboxRow> inbox;
        await using (NpgsqlDataReader reader = await ExecuteReaderAsync(command, cancellationToken).ConfigureAwait(false))
        {
            written = await ReadAppendedAsync(reader, batch, cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            inbox = await ReadInboxAsync(reader, cancellationToken).ConfigureAwait(false);
        }

        if (hook is not null)
        {
            if (written)
            {
                await hook(connection, trip.Caller).ConfigureAwait(false);
            }

            await PostgresClaimLog.ExecuteAsync(connection, null, written ? "COMMIT" : "ROLLBACK", cancellationToken).ConfigureAwait(false);
        }

        return (written, inbox);
    }

    /// <summary>
    /// This replica's term as the stream's leader: a connection of its own that holds the leader lock and listens on
    /// the inbox channel, and the loop that serves the inbox whenever a forwarding replica notifies (and at least every
    /// <see cref="CoordinatorOptions.NotificationPollInterval"/>). The term ends when the coordinator is disposed or a
    /// round fails (the connection, and with it the lock, is then released; another replica takes over).
    /// </summary>
    private sealed class LeaderRole : IAsyncDisposable
    {
        private readonly PostgresCoordinator _owner;
        private readonly NpgsqlConnection _connection;
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;
        private int _wakeups;

        private LeaderRole(PostgresCoordinator owner, NpgsqlConnection connection)
        {
            _owner = owner;
            _connection = connection;
            ProcessId = connection.ProcessID;
        }

        public bool IsAlive => !_loop.IsCompleted;

        public int ProcessId { get; }

        /// <summary>Takes the lock on a new connection and starts the loop; null (the connection returned) when another replica holds it.</summary>
        public static async Task<LeaderRole?> TryStartAsync(PostgresCoordinator owner, CancellationToken cancellationToken)
        {
            NpgsqlConnection connection = await owner.Log.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using (var tryLock = new NpgsqlCommand(owner.Log.Sql.TryLeaderLock, connection) { Parameters = { PostgresClaimLog.Param(owner.LeaderLockName) } })
                {
                    if (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                        return null;
                    }
                }

                var role = new LeaderRole(owner, connection);
                connection.Notification += role.OnNotification;
                await PostgresClaimLog.ExecuteAsync(connection, null, "LISTEN " + ClaimLogSql.Quote(owner.Log.Sql.InboxChannel), cancellationToken).ConfigureAwait(false);
                CoordinatorLog.Leading(owner._logger, owner.StreamId);
                role._loop = Task.Run(role.RunAsync, CancellationToken.None);
                return role;
            }
            catch
            {
                // A session that may hold the lock must not go back to the pool with it.
                NpgsqlConnection.ClearPool(connection);
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
            _stop.Dispose();
        }

        private async Task RunAsync()
        {
            PostgresCoordinator owner = _owner;
            TimeProvider time = owner.Options.TimeProvider;
            Exception? failure = null;
            bool wake = true;
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    // Serve first: events may have been queued before this term began, or while the last round ran.
                    int heard = Volatile.Read(ref _wakeups);
                    bool more;
                    await owner._gate.WaitAsync(_stop.Token).ConfigureAwait(false);
                    try
                    {
                        if (owner._disposed)
                        {
                            return;
                        }

                        if (wake)
                        {
                            // A notification: the inbox holds rows the last append did not see.
                            owner._inboxAfterHead = null;
                        }

                        await owner.LeadAsync(PendingEvents.From([]), Guid.NewGuid(), new Dictionary<string, ImmutableArray<Decision>>(StringComparer.Ordinal), _stop.Token).ConfigureAwait(false);
                        more = owner._inboxAfterHead is { Count: > 0 };
                    }
                    finally
                    {
                        owner._gate.Release();
                    }

                    if (more)
                    {
                        // Rows were queued while the round ran: take them in the next one at once.
                        wake = false;
                        continue;
                    }

                    // Wait on the wire, in short slices (a wait cannot be cancelled without breaking the connection),
                    // for a forwarding replica's notification heard after the round began, or the poll interval.
                    long started = time.GetTimestamp();
                    while (Volatile.Read(ref _wakeups) == heard && !_stop.IsCancellationRequested && time.GetElapsedTime(started) < owner.Options.NotificationPollInterval)
                    {
                        await _connection.WaitAsync(TimeSpan.FromMilliseconds(250), CancellationToken.None).ConfigureAwait(false);
                    }

                    wake = true;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Disposed.
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            finally
            {
                await owner._gate.WaitAsync().ConfigureAwait(false);
                owner._inboxAfterHead = null;
                owner._gate.Release();
                await ReleaseAsync().ConfigureAwait(false);
                CoordinatorLog.LeaderStopped(owner._logger, owner.StreamId, failure);
            }
        }

        /// <summary>Releases the lock and returns the connection; a connection in doubt is dropped from the pool instead.</summary>
        private async Task ReleaseAsync()
        {
            _connection.Notification -= OnNotification;
            using var trip = new RoundTrip(_owner.Options.CommandTimeout, CancellationToken.None, _owner.Options.TimeProvider);
            try
            {
                if (_connection.State == System.Data.ConnectionState.Open)
                {
                    await trip.RunAsync(token => PostgresClaimLog.ExecuteAsync(_connection, null, "UNLISTEN *", token)).ConfigureAwait(false);
                    await trip.RunAsync(async token =>
                    {
                        await using var unlock = new NpgsqlCommand(_owner.Log.Sql.LeaderUnlock, _connection) { Parameters = { PostgresClaimLog.Param(_owner.LeaderLockName) } };
                        return await unlock.ExecuteScalarAsync(token).ConfigureAwait(false);
                    }).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (trip.IsTypedFailure(ex) || ex is InvalidOperationException)
            {
                NpgsqlConnection.ClearPool(_connection);
            }

            await trip.ReleaseAsync(_connection).ConfigureAwait(false);
        }

        private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
        {
            if (string.Equals(e.Channel, _owner.Log.Sql.InboxChannel, StringComparison.Ordinal) && string.Equals(e.Payload, _owner.StreamId, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _wakeups);
            }
        }
    }
}
