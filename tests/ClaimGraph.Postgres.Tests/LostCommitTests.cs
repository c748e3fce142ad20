using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Postgres.Tests.Workload;
using Npgsql;

namespace ClaimGraph.Postgres.Tests;

/// <summary>
/// The database loses commits a replica saw (as after a crash without durable commits, a failover to an asynchronous
/// standby or a restore): simulated by deleting the rows behind the replica's back as the superuser, with triggers off.
/// </summary>
public class LostCommitTests
{
    [SkippableTheory]
    [InlineData(CoordinatorConcurrency.Optimistic)]
    [InlineData(CoordinatorConcurrency.HeadLock)]
    [InlineData(CoordinatorConcurrency.GroupCommit)]
    [InlineData(CoordinatorConcurrency.Leader)]
    public async Task AppendAsync_AcknowledgedCommitLostAndVersionsRefilled_StreamDivergedNoConflictingAdmitStreamReadable(CoordinatorConcurrency concurrency)
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        var options = new CoordinatorOptions { Concurrency = concurrency };
        await using PostgresCoordinator a = await db.OpenAsync("s", options);
        await using PostgresCoordinator b = await db.OpenAsync("s", options);
        await a.AppendAsync([Ev.Item("i1", "x"), Ev.Item("i2", "y")]);
        await b.CatchUpAsync();
        AppendResult admitted = await a.AppendAsync(Ev.Request("ra", "run-a", "x", "write src/**"));
        Assert.IsType<AdmitDecision>(Assert.Single(admitted.Decisions));

        await LoseEventsAfterAsync(db, "s", 2);

        // B never saw run-a: it admits a run that conflicts with it at the same version.
        AppendResult other = await b.AppendAsync(Ev.Request("rb", "run-b", "y", "write src/**"));
        Assert.IsType<AdmitDecision>(Assert.Single(other.Decisions));
        Assert.Equal(3, other.Version);

        // A still holds run-a: every append and catch-up now refuses, and nothing reaches the log.
        ClaimLogException heartbeat = await Assert.ThrowsAsync<ClaimLogException>(() => a.AppendAsync(new RunHeartbeat("hb", 0, "run-a", a.Graph.Runs["run-a"].FencingToken)));
        ClaimLogException request = await Assert.ThrowsAsync<ClaimLogException>(() => a.AppendAsync([Ev.Item("i3", "z"), Ev.Request("rc", "run-c", "z", "write src/api/**")]));
        ClaimLogException catchUp = await Assert.ThrowsAsync<ClaimLogException>(() => a.CatchUpAsync());
        ClaimLogException snapshot = await Assert.ThrowsAsync<ClaimLogException>(() => a.SaveSnapshotAsync());
        Assert.All([heartbeat, request, catchUp, snapshot], ex => Assert.Equal(ClaimLogErrorCode.StreamDiverged, ex.Code));
        Assert.Contains("ReloadAsync", heartbeat.Message, StringComparison.Ordinal);

        List<LoggedEvent> rows = await db.ReadLogAsync("s");
        Assert.Equal(["i1", "i2", "rb"], rows.Select(r => r.EventId));
        LogAudit.Check(rows);
        await using PostgresCoordinator fresh = await db.OpenAsync("s", options);
        Assert.Equal(RunStatus.Active, fresh.Graph.Runs["run-b"].Status);
        Assert.False(fresh.Graph.Runs.ContainsKey("run-a"));

        // The way back: reload from the log; the runs the log does not have active must be stopped.
        ReloadResult reload = await a.ReloadAsync();
        Assert.Equal<string>(["run-a"], reload.RunsNoLongerActive);
        Assert.Equal(3, reload.Previous.Version);
        Assert.Equal(fresh.State, reload.Current);
        Assert.Equal(fresh.Graph, a.Graph);
        AppendResult after = await a.AppendAsync([Ev.Item("i3", "z"), Ev.Request("rc", "run-c", "z", "write src/api/**")]);
        HoldDecision hold = Assert.IsType<HoldDecision>(Assert.Single(after.Decisions));
        Assert.Equal("run-b", Assert.IsType<ClaimConflictHold>(hold.Reasons[0]).BlockingRunId);
        LogAudit.Check(await db.ReadLogAsync("s"));
    }

    [SkippableTheory]
    [InlineData(CoordinatorConcurrency.Optimistic)]
    [InlineData(CoordinatorConcurrency.GroupCommit)]
    [InlineData(CoordinatorConcurrency.Leader)]
    public async Task AppendAsync_HeadBehindWhatTheReplicaApplied_StreamDivergedAndNothingAppended(CoordinatorConcurrency concurrency)
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        var options = new CoordinatorOptions { Concurrency = concurrency };
        await using PostgresCoordinator a = await db.OpenAsync("s", options);
        await a.AppendAsync([Ev.Item("i1", "x"), Ev.Item("i2", "y"), Ev.Request("ra", "run-a", "x", "write src/**")]);

        await LoseEventsAfterAsync(db, "s", 1);

        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => a.AppendAsync(Ev.Item("i3", "z")));
        Assert.Equal(ClaimLogErrorCode.StreamDiverged, ex.Code);
        Assert.Contains("behind version 3", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["i1"], (await db.ReadLogAsync("s")).Select(r => r.EventId));

        ReloadResult reload = await a.ReloadAsync();
        Assert.Equal(1, a.Version);
        Assert.Equal<string>(["run-a"], reload.RunsNoLongerActive);
        AppendResult resent = await a.AppendAsync([Ev.Item("i2", "y"), Ev.Item("i3", "z")]);
        Assert.Equal(3, resent.Version);
    }

    [SkippableFact]
    public async Task OpenAsync_SnapshotOfAHistoryTheLogLost_NotStoredByTheDivergedReplica()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        var options = new CoordinatorOptions { SnapshotInterval = 0 };
        await using PostgresCoordinator a = await db.OpenAsync("s", options);
        await using PostgresCoordinator b = await db.OpenAsync("s", options);
        await a.AppendAsync([Ev.Item("i1", "x"), Ev.Request("ra", "run-a", "x", "write src/**")]);
        await LoseEventsAfterAsync(db, "s", 0);
        await b.AppendAsync([Ev.Item("i1", "x"), Ev.Item("i2", "y")]);

        await Assert.ThrowsAsync<ClaimLogException>(() => a.SaveSnapshotAsync());

        Assert.Empty(await db.Log.GetSnapshotVersionsAsync("s"));
        Assert.Equal(2, await b.SaveSnapshotAsync());
        await using PostgresCoordinator fresh = await db.OpenAsync("s", options);
        Assert.Equal(2, fresh.LoadedSnapshotVersion);
        Assert.False(fresh.Graph.Runs.ContainsKey("run-a"));
    }

    [SkippableFact]
    public async Task Truncate_EventsOrStreams_RefusedByTheDatabase()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using (PostgresCoordinator c = await db.OpenAsync("s"))
        {
            await c.AppendAsync(Ev.Item("e1", "a"));
        }

        PostgresException events = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("TRUNCATE {s}.events"));
        PostgresException streams = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("TRUNCATE {s}.streams CASCADE"));
        PostgresException rewind = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("UPDATE {s}.streams SET version = 0"));

        Assert.Contains("append-only", events.MessageText, StringComparison.Ordinal);
        Assert.Contains("append-only", streams.MessageText, StringComparison.Ordinal);
        Assert.Contains("cannot move back", rewind.MessageText, StringComparison.Ordinal);
        Assert.Single(await db.ReadLogAsync("s"));
    }

    [SkippableFact]
    public async Task ReadEventsAsync_RowChangedBehindTheTriggers_StreamDivergedNamingTheRow()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using (PostgresCoordinator c = await db.OpenAsync("s"))
        {
            await c.AppendAsync([Ev.Item("e1", "a"), Ev.Item("e2", "b"), Ev.Item("e3", "c")]);
        }

        await AsSuperuserWithoutTriggersAsync(db, "UPDATE {s}.events SET event_json = replace(event_json, '\"b\"', '\"B\"') WHERE version = 2");

        ClaimLogException read = await Assert.ThrowsAsync<ClaimLogException>(() => db.ReadLogAsync("s"));
        ClaimLogException open = await Assert.ThrowsAsync<ClaimLogException>(() => db.OpenAsync("s", new CoordinatorOptions { UseSnapshots = false }));

        Assert.Equal((ClaimLogErrorCode.StreamDiverged, 2L), (read.Code, read.Version));
        Assert.Equal((ClaimLogErrorCode.StreamDiverged, 2L), (open.Code, open.Version));
    }

    /// <summary>Deletes the stream's events after <paramref name="version"/> and moves its head back there, as a lost commit would leave it.</summary>
    internal static Task LoseEventsAfterAsync(TestDatabase db, string stream, long version) =>
        AsSuperuserWithoutTriggersAsync(
            db,
            "DELETE FROM {s}.snapshots WHERE stream_id = $1 AND version > $2; " +
            "DELETE FROM {s}.events WHERE stream_id = $1 AND version > $2; " +
            "UPDATE {s}.streams SET version = $2, chain = coalesce((SELECT chain FROM {s}.events WHERE stream_id = $1 AND version = $2), decode(repeat('00', 32), 'hex')) WHERE stream_id = $1",
            stream,
            version);

    private static async Task AsSuperuserWithoutTriggersAsync(TestDatabase db, string sql, params object[] values)
    {
        await using NpgsqlConnection connection = await db.Admin.OpenConnectionAsync();
        await using NpgsqlTransaction tx = await connection.BeginTransactionAsync();
        await using (var off = new NpgsqlCommand("SET LOCAL session_replication_role = replica", connection, tx))
        {
            await off.ExecuteNonQueryAsync();
        }

        foreach (string statement in sql.Split("; "))
        {
            await using var command = new NpgsqlCommand(statement.Replace("{s}", "\"" + db.Schema + "\"", StringComparison.Ordinal), connection, tx);
            foreach (object value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await command.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
    }
}
