using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Postgres.Appending;
using ClaimGraph.Serialization;
using Npgsql;

namespace ClaimGraph.Postgres;

/// <summary>Appending under <see cref="CoordinatorConcurrency.Optimistic"/> and <see cref="CoordinatorConcurrency.HeadLock"/>, and the pieces every mode shares.</summary>
public sealed partial class PostgresCoordinator
{
    private async Task<AppendResult> AppendDirectAsync(PendingEvents pending, CancellationToken cancellationToken)
    {
        using var trip = new RoundTrip(Options.CommandTimeout, cancellationToken, Options.TimeProvider);
        NpgsqlConnection? connection = null;
        bool succeeded = false;
        try
        {
            connection = await TakeConnectionAsync(trip).ConfigureAwait(false);
            for (int attempt = 1; ; attempt++)
            {
                CoordinatorTelemetry.AppendAttempts.Add(1, _concurrencyTag);
                AppendResult? result = await TryAppendDirectAsync(connection, pending, attempt, trip).ConfigureAwait(false);
                if (result is not null)
                {
                    succeeded = true;
                    return result;
                }

                CoordinatorTelemetry.AppendRetries.Add(1, _concurrencyTag);
                CoordinatorLog.LostRace(_logger, StreamId, Version, attempt);
                if (attempt > Options.MaxConflictRetries)
                {
                    throw RetriesExhausted(attempt);
                }

                await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
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

    /// <summary>One attempt: read the head, the tail and the logged ids, decide, commit. Null when another replica got there first.</summary>
    private async Task<AppendResult?> TryAppendDirectAsync(NpgsqlConnection connection, PendingEvents pending, int attempt, RoundTrip trip)
    {
        NpgsqlTransaction? tx = null;
        bool done = false;
        try
        {
            if (Options.Concurrency == CoordinatorConcurrency.HeadLock)
            {
                tx = await trip.RunAsync(token => connection.BeginTransactionAsync(token).AsTask()).ConfigureAwait(false);
            }

            CoordinatorState before = State;
            (StreamHead head, List<LoggedEvent> rows) = await trip.RunAsync(token => ReadHeadTailAndLoggedAsync(connection, tx, pending.Ids, before.Version, token)).ConfigureAwait(false);
            CoordinatorState state = Advance(before, head, rows, opening: false, null, null);
            Volatile.Write(ref _state, state);
            Dictionary<string, AppendedEvent> outcomes = Logged(rows, pending, null);
            List<Submitted> fresh = [];
            for (int i = 0; i < pending.Count; i++)
            {
                if (!outcomes.ContainsKey(pending.Ids[i]))
                {
                    fresh.Add(new Submitted(pending.Events[i], pending.Json[i], Guid.Empty, null));
                }
            }

            var decided = new Dictionary<string, ImmutableArray<Decision>>(StringComparer.Ordinal);
            if (fresh.Count == 0)
            {
                await RollbackAsync(tx, trip).ConfigureAwait(false);
                done = true;
                return Done(pending, outcomes, decided, state, attempt, null);
            }

            AppendBatch batch = Decide(state, fresh, decided);
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

            bool written = await trip.RunAsync(async token =>
            {
                // In a transaction of its own (no lock held, no hook) the append commits first and notifies right after, in
                // the same round trip (see ClaimLogSql.NotifyAppended); in an open transaction it notifies at its commit.
                await using var command = new NpgsqlBatch(connection, tx) { Timeout = trip.TimeoutSeconds };
                if (tx is null)
                {
                    command.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
                    command.BatchCommands.Add(AppendCommand(batch));
                    command.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
                }
                else
                {
                    command.BatchCommands.Add(AppendCommand(batch));
                }

                command.BatchCommands.Add(NotifyAppendedCommand(batch));
                await using NpgsqlDataReader reader = await ExecuteReaderAsync(command, token).ConfigureAwait(false);
                return await ReadAppendedAsync(reader, batch, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
            if (!written)
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
            Volatile.Write(ref _state, batch.Next);
            CoordinatorTelemetry.EventsWritten.Add(batch.Ids.Length, _concurrencyTag);
            AddOutcomes(outcomes, batch, Guid.Empty, pending);
            return Done(pending, outcomes, decided, batch.Next, attempt, batch.SnapshotJson is null ? null : batch.Next.Version);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Only a writer that bypasses the head row can cause this; treat it as a lost race and read again (ending the
            // transaction the append began when it had none).
            if (tx is null)
            {
                await trip.RunAsync(token => PostgresClaimLog.ExecuteAsync(connection, null, "ROLLBACK", token)).ConfigureAwait(false);
            }

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

    /// <summary>
    /// In one round trip: the head row (locked first under <see cref="CoordinatorConcurrency.HeadLock"/>), then the
    /// events after <paramref name="afterVersion"/> and any logged event with one of <paramref name="ids"/>.
    /// </summary>
    private async Task<(StreamHead Head, List<LoggedEvent> Rows)> ReadHeadTailAndLoggedAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? tx,
        string[] ids,
        long afterVersion,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(tx is null ? Log.Sql.SelectHead : Log.Sql.LockHead) { Parameters = { PostgresClaimLog.Param(StreamId) } },
                new NpgsqlBatchCommand(Log.Sql.SelectTailAndLogged)
                {
                    Parameters = { PostgresClaimLog.Param(StreamId), PostgresClaimLog.Param(afterVersion), PostgresClaimLog.Param(ids) },
                },
            },
        };
        await using NpgsqlDataReader reader = await ExecuteReaderAsync(batch, cancellationToken).ConfigureAwait(false);
        StreamHead head = await PostgresClaimLog.ReadHeadRowAsync(reader, cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        return (head, await ReadRowsAsync(reader, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The outcomes of the pending events found in <paramref name="rows"/>: logged before this call, unless logged for <paramref name="submission"/>.</summary>
    private static Dictionary<string, AppendedEvent> Logged(List<LoggedEvent> rows, PendingEvents pending, Guid? submission)
    {
        var outcomes = new Dictionary<string, AppendedEvent>(StringComparer.Ordinal);
        foreach (LoggedEvent row in rows)
        {
            if (pending.Contains(row.EventId) && !pending.Refused.ContainsKey(row.EventId))
            {
                bool ours = submission is not null && row.Submission == submission;
                outcomes[row.EventId] = new AppendedEvent(row.EventId, row.Version, AlreadyLogged: !ours, row.DecisionsJson);
            }
        }

        return outcomes;
    }

    /// <summary>
    /// Records the rows of <paramref name="batch"/> written for <paramref name="submission"/> as appended by this call,
    /// and the pending ids it wrote for another call (which queued the same id first) as already logged.
    /// </summary>
    private static void AddOutcomes(Dictionary<string, AppendedEvent> outcomes, AppendBatch batch, Guid submission, PendingEvents pending)
    {
        for (int k = 0; k < batch.Ids.Length; k++)
        {
            bool ours = batch.Submissions[k] == submission;
            if (ours || (pending.Contains(batch.Ids[k]) && !outcomes.ContainsKey(batch.Ids[k])))
            {
                outcomes[batch.Ids[k]] = new AppendedEvent(batch.Ids[k], batch.Expected.Version + 1 + k, AlreadyLogged: !ours, batch.Decisions[k]);
            }
        }
    }

    /// <summary>
    /// Decides every event on the graph of every event before it, starting from <paramref name="state"/>; puts each
    /// event's decisions into <paramref name="decided"/> and returns what to write.
    /// </summary>
    private AppendBatch Decide(CoordinatorState state, List<Submitted> events, Dictionary<string, ImmutableArray<Decision>> decided)
    {
        int n = events.Count;
        string[] ids = new string[n];
        string[] json = new string[n];
        string[] decisions = new string[n];
        byte[][] chains = new byte[n][];
        Guid[] submissions = new Guid[n];
        var graph = state.Graph;
        string chain = state.Chain;
        for (int k = 0; k < n; k++)
        {
            Submitted e = events[k];
            PolicyStepResult step = ClaimPolicy.Step(graph, [e.Event], Options.Policy);
            graph = step.Graph;
            decided[e.Event.EventId] = step.Decisions;
            ids[k] = e.Event.EventId;
            json[k] = e.Json;
            decisions[k] = Replay.WriteDecisions(step.Decisions);
            chain = LogChain.Next(chain, PostgresClaimLog.EventFormat, ids[k], json[k], decisions[k]);
            chains[k] = LogChain.ToBytes(chain);
            submissions[k] = e.Submission;
        }

        var next = new CoordinatorState(graph, state.Version + n, chain);
        int interval = Options.SnapshotInterval;
        string? snapshotJson = interval > 0 && next.Version / interval > state.Version / interval ? WorkGraphSnapshot.Save(graph, false, _policyFingerprint) : null;
        long[] taken = [.. events.Where(e => e.InboxSeq is not null).Select(e => e.InboxSeq!.Value)];
        return new AppendBatch(state, next, ids, json, decisions, chains, submissions, snapshotJson, taken);
    }

    /// <summary>The conditional append statement for <paramref name="batch"/> (see <see cref="ClaimLogSql.Append"/>).</summary>
    private NpgsqlBatchCommand AppendCommand(AppendBatch batch, long[]? extraTaken = null) => new(Log.Sql.Append)
    {
        Parameters =
        {
            PostgresClaimLog.Param(StreamId),
            PostgresClaimLog.Param(batch.Expected.Version),
            PostgresClaimLog.Param(batch.Next.Version),
            PostgresClaimLog.Param(PostgresClaimLog.EventFormat),
            PostgresClaimLog.Param(batch.Ids),
            PostgresClaimLog.Param(batch.Events),
            PostgresClaimLog.Param(batch.Decisions),
            PostgresClaimLog.Param(WorkGraphSnapshot.CurrentVersion),
            new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)batch.SnapshotJson ?? DBNull.Value },
            PostgresClaimLog.Param(LogChain.ToBytes(batch.Expected.Chain)),
            PostgresClaimLog.Param(LogChain.ToBytes(batch.Next.Chain)),
            PostgresClaimLog.Param(batch.Chains),
            PostgresClaimLog.Param(batch.Submissions),
            PostgresClaimLog.Param(Options.SnapshotsToKeep),
            PostgresClaimLog.Param(extraTaken is null ? batch.Taken : [.. batch.Taken, .. extraTaken]),
            PostgresClaimLog.Param(_policyFingerprint),
        },
    };

    /// <summary>The notification of <paramref name="batch"/>'s append, sent when the head is at the batch's end (see <see cref="ClaimLogSql.NotifyAppended"/>).</summary>
    private NpgsqlBatchCommand NotifyAppendedCommand(AppendBatch batch) => new(Log.Sql.NotifyAppended)
    {
        Parameters =
        {
            PostgresClaimLog.Param(Log.Sql.Channel),
            PostgresClaimLog.Param(AppendListener.Payload(batch.Next.Version, StreamId)),
            PostgresClaimLog.Param(StreamId),
            PostgresClaimLog.Param(batch.Next.Version),
            PostgresClaimLog.Param(LogChain.ToBytes(batch.Next.Chain)),
        },
    };

    /// <summary>Reads the append statement's answer: true when it wrote, false when the head had moved.</summary>
    private async Task<bool> ReadAppendedAsync(NpgsqlDataReader reader, AppendBatch batch, CancellationToken cancellationToken)
    {
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
                batch.Expected.Version + 1,
                null,
                null);
        }

        return true;
    }

    private ClaimLogException RetriesExhausted(int attempt) => new(
        ClaimLogErrorCode.ConcurrencyRetriesExhausted,
        $"the append lost the race for the stream head {attempt} times",
        StreamId,
        Version,
        "raise MaxConflictRetries, or use CoordinatorConcurrency.GroupCommit or HeadLock to queue instead of retrying",
        null);

    [SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Jitter between racing replicas, not security.")]
    private Task BackOffAsync(int attempt, CancellationToken cancellationToken)
    {
        // The first retries go at once (the loser already holds the winner's events); later ones spread out a little.
        if (attempt < 3)
        {
            return Task.CompletedTask;
        }

        return Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, Math.Min(attempt, 20))), Options.TimeProvider, cancellationToken);
    }

    /// <summary>An event to decide: its JSON, the append call it came from, and its inbox row when it was queued there.</summary>
    private sealed record Submitted(PolicyEvent Event, string Json, Guid Submission, long? InboxSeq);

    /// <summary>What one append statement writes: the events after <paramref name="Expected"/>, up to <paramref name="Next"/>.</summary>
    private sealed record AppendBatch(
        CoordinatorState Expected,
        CoordinatorState Next,
        string[] Ids,
        string[] Events,
        string[] Decisions,
        byte[][] Chains,
        Guid[] Submissions,
        string? SnapshotJson,
        long[] Taken);
}
