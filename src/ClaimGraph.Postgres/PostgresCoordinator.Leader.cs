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
        command.BatchCommands.Add(NotifyLoggedCommand(batch, notices));
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
}
