using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Postgres.Appending;
using ClaimGraph.Serialization;
using Npgsql;

namespace ClaimGraph.Postgres;

/// <summary>Database calls under the command timeout, the kept connection, the listener and the append's result.</summary>
public sealed partial class PostgresCoordinator
{
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
    /// is set (the server then parses each statement once per connection; a no-op once it has) and then with the server's
    /// cached generic plans (<see cref="ClaimLogSql.UseGenericPlans"/>, for this transaction only) instead of planning
    /// every call again. The reader starts at the batch's own first result. Not for batches that may run in a failed
    /// transaction (a <c>ROLLBACK</c>): the added statement would fail there first.
    /// </summary>
    private async Task<NpgsqlDataReader> ExecuteReaderAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        if (!Options.PrepareStatements)
        {
            return await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }

        if (batch.BatchCommands.Count == 0 || !string.Equals(batch.BatchCommands[0].CommandText, ClaimLogSql.UseGenericPlans, StringComparison.Ordinal))
        {
            batch.BatchCommands.Insert(0, new NpgsqlBatchCommand(ClaimLogSql.UseGenericPlans));
        }

        await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            return reader;
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
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
            return _listener ??= await AppendListener.StartAsync(Log, StreamId, Options, _logger, logged: Options.Concurrency is CoordinatorConcurrency.Leader or CoordinatorConcurrency.GroupCommit, cancellationToken).ConfigureAwait(false);
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
