using System.Collections.Immutable;
using ClaimGraph.Policy;
using ClaimGraph.Postgres.Appending;
using ClaimGraph.Serialization;
using Npgsql;

namespace ClaimGraph.Postgres;

/// <summary>Appending under <see cref="CoordinatorConcurrency.GroupCommit"/>.</summary>
/// <remarks>
/// <para>
/// Each round is one round trip and one short transaction: unless all of this call's events are logged, it tries to take
/// the stream's group-commit lock (a session-level advisory lock) without waiting; when another replica holds it, the
/// same statement queues this call's events in the stream's inbox. It then reads the head, the inbox, the tail after
/// this replica's version and the logged rows of the pending ids, and commits (without waiting for the disk: inbox rows
/// are a request, not the log).
/// </para>
/// <para>
/// The replica that got the lock leads one commit: it decides the inbox's events (oldest first) and then its own, on the
/// caught-up graph, writes them all with one conditional append (on the head's version and digest; it also deletes the
/// inbox rows it took), commits, and releases the lock, all in a second round trip; the commit's NOTIFY wakes the
/// replicas that queued. A replica that did not get the lock waits for a notification (or a short while) and runs the
/// next round, which finds its events logged or tries to lead.
/// </para>
/// <para>
/// Which call an inbox event came from is its submission id, logged with the row: a call reports its own events as
/// appended even when another replica's commit wrote them, and as already logged only when another call logged the
/// same id first.
/// </para>
/// </remarks>
public sealed partial class PostgresCoordinator
{
    /// <summary>
    /// How long a replica whose events wait in the inbox waits for a commit naming them before it looks again. The
    /// commit that logs them names them, and a released lock names the replica that queued the oldest waiting event;
    /// a replica woken by neither (its rows were committed just after a release, or the oldest row's replica is gone)
    /// looks again after this. 50 ms; tests raise it to show that the names alone wake the replica.
    /// </summary>
    internal TimeSpan GroupCommitPatience { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The most inbox rows one leader takes into a commit.</summary>
    internal const int MaxGroupCommitRows = 1000;

    private async Task<AppendResult> AppendGroupedAsync(PendingEvents pending, CancellationToken cancellationToken)
    {
        Guid submission = Guid.NewGuid();
        var decided = new Dictionary<string, ImmutableArray<Decision>>(StringComparer.Ordinal);
        using var trip = new RoundTrip(Options.CommandTimeout, cancellationToken, Options.TimeProvider);
        NpgsqlConnection? connection = null;
        AppendListener? listener = null;
        bool inTransaction = false;
        bool succeeded = false;

        // Once queued, this call's events stay in the inbox until a commit logs them (taking the rows in the same
        // transaction) or drops them as logged before: they are never queued twice, and no round scans the inbox for them.
        // (A crash that empties the unlogged inbox also breaks this call's connections, so the call fails and is resent.)
        bool queued = false;

        // Whether this call's session holds the stream's group-commit lock (from a round that took it until the round
        // trip that releases it): after a failure the lock is released before the connection goes anywhere.
        bool leading = false;
        try
        {
            connection = await TakeConnectionAsync(trip).ConfigureAwait(false);
            for (int attempt = 1; ; attempt++)
            {
                StartRound(attempt);

                // Watch for a commit (or a released lock) naming this submission before it can be queued, so none is missed.
                listener = await GetListenerAsync(cancellationToken).ConfigureAwait(false);
                listener.Expect(submission);

                // The round may take the lock in its first statements and fail in a later one (a timeout, a
                // cancellation): until it answers, count the lock as held, so that a failure releases it.
                inTransaction = true;
                leading = true;
                Round round = await trip.RunAsync(token => LockOrQueueAsync(connection, pending, submission, queued, token)).ConfigureAwait(false);
                inTransaction = false;
                leading = round.Locked;
                CoordinatorState state = Advance(State, round.Head, round.Rows, opening: false, submission, decided);
                Volatile.Write(ref _state, state);
                Dictionary<string, AppendedEvent> outcomes = Logged(round.Rows, pending, submission);
                if (!round.Locked)
                {
                    queued = true;
                    if (outcomes.Count == pending.Count)
                    {
                        succeeded = true;
                        return Done(pending, outcomes, decided, state, attempt, null);
                    }

                    // Wait for the commit that logs them, or for a released lock naming this replica to lead the next commit.
                    await WaitForLoggedAsync(listener, submission, GroupCommitPatience, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                AppendResult? led = await LeadAsync(connection, pending, submission, round, state, outcomes, decided, attempt, trip).ConfigureAwait(false);
                leading = false;
                if (led is not null)
                {
                    succeeded = true;
                    return led;
                }
            }
        }
        catch (Exception ex) when (trip.IsTypedFailure(ex))
        {
            throw trip.Failure(ex, "an append", StreamId, Version, "whether it committed is unknown: send the same events again (already logged ones are not appended twice)");
        }
        finally
        {
            if ((inTransaction || leading) && connection is not null)
            {
                // After a failure (or a cancellation) end the transaction started by SQL and release the lock (waking the
                // replica that queued the oldest waiting event), bounded; a broken connection has nothing to roll back
                // and holds no lock. Releasing a lock this session does not hold only returns false.
                bool released = false;
                await trip.CleanUpAsync(async () =>
                {
                    await EndAsync(connection, "ROLLBACK", null, wakeQueued: leading, release: leading, CancellationToken.None).ConfigureAwait(false);
                    released = true;
                }).ConfigureAwait(false);
                if (leading && !released && connection.State != System.Data.ConnectionState.Closed)
                {
                    // A session that may still hold the lock must not go back to the pool with it: clearing the data
                    // source's pool closes it when it is returned.
                    Log.DataSource.Clear();
                }
            }

            listener?.Forget(submission);

            await GiveBackAsync(trip, connection, succeeded).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// As the leader of one commit: decides the inbox's events and this call's, writes them, commits, notifies and
    /// releases the group-commit lock. Null when the write found the head moved (a replica in another mode appended):
    /// read again.
    /// </summary>
    private async Task<AppendResult?> LeadAsync(
        NpgsqlConnection connection,
        PendingEvents pending,
        Guid submission,
        Round round,
        CoordinatorState state,
        Dictionary<string, AppendedEvent> outcomes,
        Dictionary<string, ImmutableArray<Decision>> decided,
        int attempt,
        RoundTrip trip)
    {
        var logged = new HashSet<string>(StringComparer.Ordinal);
        foreach (LoggedEvent row in round.Rows)
        {
            logged.Add(row.EventId);
        }

        (List<Submitted> batchEvents, List<long> dropped, HashSet<Guid> submissions) = Collect(round.Inbox, logged, pending, submission);
        if (batchEvents.Count == 0)
        {
            // Nothing to write: release the lock and tell the replicas queued meanwhile to look again.
            await trip.RunAsync(token => EndAsync(connection, null, dropped, wakeQueued: true, release: true, token)).ConfigureAwait(false);
            return Done(pending, outcomes, decided, state, attempt, null);
        }

        AppendBatch batch = Decide(state, batchEvents, decided);
        if (BeforeWrite is { } beforeWrite)
        {
            await beforeWrite(trip.Caller).ConfigureAwait(false);
        }

        // The inbox rows were committed without waiting for the disk; the log is committed as the server commits (its own
        // synchronous_commit). Without a test hook the commit and the lock's release travel with the append.
        Func<NpgsqlConnection, CancellationToken, Task>? hook = BeforeCommit;
        bool written = await trip.RunAsync(async token =>
        {
            await using var command = new NpgsqlBatch(connection)
            {
                Timeout = trip.TimeoutSeconds,
                BatchCommands = { new NpgsqlBatchCommand("BEGIN"), AppendCommand(batch, [.. dropped]) },
            };
            if (hook is null)
            {
                // Commit, then notify in a transaction of its own (see ClaimLogSql.NotifyAppended).
                command.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            }

            command.BatchCommands.Add(NotifyAppendedCommand(batch));

            // Wakes the replicas whose events this commit logged, and those whose events still wait (queued meanwhile).
            Guid[] others = [.. submissions.Where(s => s != submission)];
            if (others.Length > 0)
            {
                command.BatchCommands.Add(NotifyLoggedCommand(batch, AppendListener.LoggedPayloads(others, StreamId)));
            }

            if (hook is null)
            {
                // After the commit (with a hook, after the commit that follows it): release the lock, then wake the
                // replicas queued meanwhile (one of them leads the next commit).
                command.BatchCommands.Add(UnlockCommand());
                command.BatchCommands.Add(NotifyQueuedCommand());
            }

            await using NpgsqlDataReader reader = await ExecuteReaderAsync(command, token).ConfigureAwait(false);
            return await ReadAppendedAsync(reader, batch, token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        if (hook is not null)
        {
            if (written)
            {
                await hook(connection, trip.Caller).ConfigureAwait(false);
            }

            await trip.RunAsync(token => EndAsync(connection, written ? "COMMIT" : "ROLLBACK", null, wakeQueued: true, release: true, token)).ConfigureAwait(false);
        }

        if (!written)
        {
            return null;
        }

        Volatile.Write(ref _state, batch.Next);
        CoordinatorTelemetry.EventsWritten.Add(batch.Ids.Length, _concurrencyTag);
        CoordinatorTelemetry.GroupCommitBatch.Record(batch.Ids.Length, _concurrencyTag);
        CoordinatorLog.GroupCommitted(_logger, StreamId, batch.Ids.Length, submissions.Count, batch.Next.Version);
        AddOutcomes(outcomes, batch, submission, pending);
        return Done(pending, outcomes, decided, batch.Next, attempt, batch.SnapshotJson is null ? null : batch.Next.Version);
    }

    /// <summary>
    /// What one commit writes: the inbox's events (oldest first), then the call's own, each id once and none of
    /// <paramref name="logged"/> (which this fills); and the inbox rows to delete unwritten (logged before, or unreadable).
    /// </summary>
    private (List<Submitted> Events, List<long> Dropped, HashSet<Guid> Submissions) Collect(
        List<InboxRow> inbox,
        HashSet<string> logged,
        PendingEvents pending,
        Guid submission)
    {
        var events = new List<Submitted>();
        var dropped = new List<long>();
        var submissions = new HashSet<Guid>();
        foreach (InboxRow row in inbox)
        {
            if (row.Logged || !logged.Add(row.EventId))
            {
                dropped.Add(row.Seq);
                continue;
            }

            PolicyEvent e;
            try
            {
                e = row.Submission == submission ? pending.Events[Array.IndexOf(pending.Ids, row.EventId)] : EventJson.Read(row.EventJson);
            }
            catch (JsonReadException ex)
            {
                CoordinatorLog.DroppedInboxRow(_logger, StreamId, row.Seq, row.EventId, ex);
                logged.Remove(row.EventId);
                dropped.Add(row.Seq);
                continue;
            }

            events.Add(new Submitted(e, row.EventJson, row.Submission, row.Seq));
            submissions.Add(row.Submission);
        }

        for (int i = 0; i < pending.Count; i++)
        {
            if (logged.Add(pending.Ids[i]))
            {
                events.Add(new Submitted(pending.Events[i], pending.Json[i], submission, null));
                submissions.Add(submission);
            }
        }

        return (events, dropped, submissions);
    }

    /// <summary>
    /// Counts round <paramref name="attempt"/> (from 1) of a group-commit or leader append, and refuses a round past
    /// <see cref="CoordinatorOptions.MaxConflictRetries"/> retries.
    /// </summary>
    private void StartRound(int attempt)
    {
        CoordinatorTelemetry.AppendAttempts.Add(1, _concurrencyTag);
        if (attempt > 1)
        {
            CoordinatorTelemetry.AppendRetries.Add(1, _concurrencyTag);
            if (attempt > Options.MaxConflictRetries + 1)
            {
                throw RetriesExhausted(attempt - 1);
            }
        }
    }

    /// <summary>
    /// A batch that opens a transaction on <paramref name="connection"/> and runs <paramref name="sql"/> with the stream,
    /// the submission and the pending ids and events as $1-$4 (<paramref name="submit"/>: add more parameters to it). The
    /// transaction's commit does not wait for the disk: inbox rows are a request, not the log (a lost one is sent again).
    /// </summary>
    private NpgsqlBatch SubmitBatch(NpgsqlConnection connection, string sql, PendingEvents pending, Guid submission, out NpgsqlBatchCommand submit)
    {
        submit = new NpgsqlBatchCommand(sql)
        {
            Parameters =
            {
                PostgresClaimLog.Param(StreamId),
                PostgresClaimLog.Param(submission),
                PostgresClaimLog.Param(pending.Ids),
                PostgresClaimLog.Param(pending.Json),
            },
        };
        return new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("BEGIN"),
                new NpgsqlBatchCommand("SELECT set_config('synchronous_commit', 'off', true)"),
                submit,
            },
        };
    }

    /// <summary>
    /// One round trip and one transaction (committed without waiting for the disk): takes the stream's group-commit
    /// lock unless another session holds it or all the pending events are logged, queuing this call's events in the inbox
    /// when another holds it (unless they are <paramref name="queued"/> already); then reads the head, the inbox, the tail
    /// and the logged rows of the pending ids and of the inbox's ids.
    /// </summary>
    private async Task<Round> LockOrQueueAsync(NpgsqlConnection connection, PendingEvents pending, Guid submission, bool queued, CancellationToken cancellationToken)
    {
        long after = State.Version;
        await using NpgsqlBatch batch = SubmitBatch(connection, Log.Sql.LockOrSubmit, pending, submission, out NpgsqlBatchCommand submit);
        submit.Parameters.Add(PostgresClaimLog.Param(queued));
        submit.Parameters.Add(PostgresClaimLog.Param(GroupCommitLockName));

        // Read after the lock was taken (each statement sees the commits before it): the last leader's commit preceded its release.
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Log.Sql.SelectHead) { Parameters = { PostgresClaimLog.Param(StreamId) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Log.Sql.SelectInbox) { Parameters = { PostgresClaimLog.Param(StreamId), PostgresClaimLog.Param(MaxGroupCommitRows) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Log.Sql.SelectTailLoggedAndInboxLogged)
        {
            Parameters = { PostgresClaimLog.Param(StreamId), PostgresClaimLog.Param(after), PostgresClaimLog.Param(pending.Ids) },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await using NpgsqlDataReader reader = await ExecuteReaderAsync(batch, cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        bool locked = reader.GetBoolean(0);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        StreamHead head = await PostgresClaimLog.ReadHeadRowAsync(reader, cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        List<InboxRow> inbox = await ReadInboxAsync(reader, cancellationToken).ConfigureAwait(false);

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        List<LoggedEvent> rows = await ReadRowsAsync(reader, cancellationToken).ConfigureAwait(false);
        return new Round(locked, head, locked ? inbox : [], rows);
    }

    /// <summary>
    /// Ends a leader's round: deletes the inbox rows <paramref name="taken"/> first and notifies when given; runs
    /// <paramref name="end"/> (<c>COMMIT</c> or <c>ROLLBACK</c>) when given; with <paramref name="release"/>, releases the
    /// group-commit lock; with <paramref name="wakeQueued"/>, then names the replicas still queued.
    /// </summary>
    private async Task EndAsync(NpgsqlConnection connection, string? end, List<long>? taken, bool wakeQueued, bool release, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (taken is not null)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM " + Log.Sql.Inbox + " WHERE seq = ANY($1)") { Parameters = { PostgresClaimLog.Param(taken.ToArray()) } });
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_notify($1, $2)")
            {
                Parameters = { PostgresClaimLog.Param(Log.Sql.Channel), PostgresClaimLog.Param(AppendListener.Payload(State.Version, StreamId)) },
            });
        }

        if (end is not null)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(end));
        }

        if (release)
        {
            batch.BatchCommands.Add(UnlockCommand());
        }

        if (wakeQueued)
        {
            // The lock is released: the replicas still queued look again (one of them leads).
            batch.BatchCommands.Add(NotifyQueuedCommand());
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The name of the stream's group-commit lock (a session-level advisory lock; see <see cref="ClaimLogSql.LockOrSubmit"/>).</summary>
    private string GroupCommitLockName => "claimgraph.groupcommit." + Log.Schema + "." + StreamId;

    /// <summary>Releases the stream's group-commit lock.</summary>
    private NpgsqlBatchCommand UnlockCommand() => new(Log.Sql.Unlock) { Parameters = { PostgresClaimLog.Param(GroupCommitLockName) } };

    /// <summary>Names the submissions still queued in the inbox on the logged channel (see <see cref="ClaimLogSql.NotifyQueued"/>).</summary>
    private NpgsqlBatchCommand NotifyQueuedCommand() => new(Log.Sql.NotifyQueued)
    {
        Parameters = { PostgresClaimLog.Param(Log.Sql.LoggedChannel), PostgresClaimLog.Param(StreamId) },
    };

    /// <summary>
    /// Names the forwarded or queued submissions a commit logged (<paramref name="notices"/>, see
    /// <see cref="AppendListener.LoggedPayloads"/>) on the logged channel, only when the head is at the batch's end.
    /// </summary>
    private NpgsqlBatchCommand NotifyLoggedCommand(AppendBatch batch, string[] notices) => new(Log.Sql.NotifyLogged)
    {
        Parameters =
        {
            PostgresClaimLog.Param(Log.Sql.LoggedChannel),
            PostgresClaimLog.Param(notices),
            PostgresClaimLog.Param(StreamId),
            PostgresClaimLog.Param(batch.Next.Version),
            PostgresClaimLog.Param(LogChain.ToBytes(batch.Next.Chain)),
        },
    };

    /// <summary>What one group-commit round read.</summary>
    private sealed record Round(bool Locked, StreamHead Head, List<InboxRow> Inbox, List<LoggedEvent> Rows);

    /// <summary>An event queued in the inbox, and whether its id was already logged when it was read (when that was asked).</summary>
    private sealed record InboxRow(long Seq, Guid Submission, string EventId, string EventJson, bool Logged);

    /// <summary>Reads inbox rows (<see cref="ClaimLogSql.SelectInbox"/>, or <see cref="ClaimLogSql.SelectInboxToLead"/> with the logged flag).</summary>
    private static async Task<List<InboxRow>> ReadInboxAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var inbox = new List<InboxRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            inbox.Add(new InboxRow(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.FieldCount > 4 && reader.GetBoolean(4)));
        }

        return inbox;
    }
}
