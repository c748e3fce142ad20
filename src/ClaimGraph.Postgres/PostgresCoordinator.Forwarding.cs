using System.Collections.Immutable;
using ClaimGraph.Policy;
using ClaimGraph.Postgres.Appending;
using Npgsql;

namespace ClaimGraph.Postgres;

/// <summary>Forwarding to the leader under <see cref="CoordinatorConcurrency.Leader"/>.</summary>
public sealed partial class PostgresCoordinator
{
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
}
