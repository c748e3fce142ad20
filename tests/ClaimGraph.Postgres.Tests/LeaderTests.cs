using System.Diagnostics;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Postgres.Tests.Workload;
using Npgsql;

namespace ClaimGraph.Postgres.Tests;

/// <summary><see cref="CoordinatorConcurrency.Leader"/>: one replica appends for all; the others forward; anyone takes over.</summary>
public class LeaderTests
{
    private static readonly CoordinatorOptions Leader = new() { Concurrency = CoordinatorConcurrency.Leader, LeaderTimeout = TimeSpan.FromMilliseconds(300) };

    [SkippableFact]
    public async Task AppendAsync_FirstReplicaLeadsTheOtherForwards_LoggedOnceAndBothCaughtUp()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator a = await db.OpenAsync("s", Leader);
        await using PostgresCoordinator b = await db.OpenAsync("s", Leader);

        await a.AppendAsync([Ev.Item("a1", "x"), Ev.Request("a2", "rx", "x", "write src/billing/**")]);
        AppendResult forwarded = await b.AppendAsync([Ev.Item("b1", "y"), Ev.Request("b2", "ry", "y", "write src/*/schema.sql")]);

        Assert.True(a.IsLeading);
        Assert.False(b.IsLeading);
        Assert.Equal([3L, 4L], forwarded.Events.Select(e => e.Version));
        Assert.All(forwarded.Events, e => Assert.False(e.AlreadyLogged));
        HoldDecision hold = Assert.IsType<HoldDecision>(Assert.Single(forwarded.Decisions));
        Assert.Equal("rx", Assert.IsType<ClaimConflictHold>(hold.Reasons[0]).BlockingRunId);
        Assert.Equal(4, b.Version);
        List<LoggedEvent> rows = await db.ReadLogAsync("s");
        Assert.Equal(["a1", "a2", "b1", "b2"], rows.Select(r => r.EventId));
        Assert.Equal(rows[3].DecisionsJson, forwarded.Events[1].DecisionsJson);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {s}.inbox"));

        // The leader caught up by appending; the follower's graph is the log's.
        await a.CatchUpAsync();
        Assert.Equal(a.Graph, b.Graph);
    }

    [SkippableFact]
    public async Task AppendAsync_LeaderKilledMidBatch_AFollowerTakesOverAndEveryEventIsLoggedOnce()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator leader = await db.OpenAsync("s", Leader);
        await using PostgresCoordinator b = await db.OpenAsync("s", Leader);
        await using PostgresCoordinator c = await db.OpenAsync("s", Leader);
        await leader.AppendAsync([Ev.Item("i1", "x"), Ev.Item("i2", "y"), Ev.Item("i3", "z")]);
        Assert.True(leader.IsLeading);

        // The leader dies with the followers' events decided and written but not committed: its append connection and
        // the connection holding the leader lock are killed before the commit.
        int kills = 0;
        leader.BeforeCommit = async (connection, _) =>
        {
            leader.BeforeCommit = null;
            int lockHolder = leader.LeaderProcessId!.Value;
            await PostgresCoordinatorRaceTests.KillAsync(db, connection);
            await KillAsync(db, lockHolder);
            kills++;
        };

        AppendResult[] results = await Task.WhenAll(
            b.AppendAsync(Ev.Request("b1", "rb", "y", "write src/**")),
            c.AppendAsync([Ev.Request("c1", "rc", "z", "write docs/**"), Ev.Tick("t1", 5)]));

        Assert.Equal(1, kills);
        Assert.False(leader.IsLeading);
        Assert.True(b.IsLeading ^ c.IsLeading, "exactly one follower took over");
        List<LoggedEvent> rows = await db.ReadLogAsync("s");
        LogAudit.Check(rows);
        Assert.Equal(["b1", "c1", "i1", "i2", "i3", "t1"], rows.Select(r => r.EventId).Order(StringComparer.Ordinal));
        foreach (AppendedEvent e in results.SelectMany(r => r.Events))
        {
            Assert.False(e.AlreadyLogged);
            Assert.Equal(rows[(int)e.Version - 1].EventId, e.EventId);
            Assert.Equal(rows[(int)e.Version - 1].DecisionsJson, e.DecisionsJson);
        }

        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {s}.inbox"));

        // The old leader forwards like any replica now; sending the same events again logs nothing twice.
        AppendResult after = await leader.AppendAsync([Ev.Request("c1", "rc", "z", "write docs/**"), Ev.Item("i4", "w")]);
        Assert.True(after.Events[0].AlreadyLogged);
        Assert.False(after.Events[1].AlreadyLogged);
        Assert.False(leader.IsLeading);
        ReplayResult replay = await db.Log.ReplayAsync("s");
        Assert.Equal(7, replay.Version);
        foreach (PostgresCoordinator replica in new[] { leader, b, c })
        {
            await replica.CatchUpAsync();
            Assert.Equal(replay.Graph, replica.Graph);
        }
    }

    [SkippableFact]
    public async Task AppendAsync_LeaderHoldsTheLockButNeverServes_TheFollowerAppendsItselfAfterLeaderTimeout()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using NpgsqlConnection hung = await db.Admin.OpenConnectionAsync();
        await HoldLeaderLockAsync(db, hung, "s");
        await using PostgresCoordinator b = await db.OpenAsync("s", Leader);
        var clock = Stopwatch.StartNew();

        AppendResult result = await b.AppendAsync([Ev.Item("b1", "y"), Ev.Request("b2", "rb", "y", "write src/**")]);

        Assert.True(clock.Elapsed >= Leader.LeaderTimeout, $"appended after {clock.Elapsed}");
        Assert.False(b.IsLeading);
        Assert.Equal([1L, 2L], result.Events.Select(e => e.Version));
        Assert.IsType<AdmitDecision>(Assert.Single(result.Decisions));
        Assert.Equal(["b1", "b2"], (await db.ReadLogAsync("s")).Select(r => r.EventId));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {s}.inbox"));
    }

    [SkippableFact]
    public async Task AppendAsync_ForwardedEventsLostFromTheInbox_QueuedAgainAndLoggedOnce()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using NpgsqlConnection hung = await db.Admin.OpenConnectionAsync();
        await HoldLeaderLockAsync(db, hung, "s");
        await using PostgresCoordinator b = await db.OpenAsync("s", Leader with { LeaderTimeout = TimeSpan.FromSeconds(3) });

        Task<AppendResult> appending = b.AppendAsync(Ev.Item("b1", "y"));

        // A crash empties the unlogged inbox; a notification naming the submission makes the follower look again.
        Guid submission = await db.WaitForInboxRowAsync("b1");
        Assert.Equal(1, await db.ExecuteAsync("DELETE FROM {s}.inbox"));
        await db.ExecuteAsync("SELECT pg_notify($1, $2)", db.Log.Schema + "_logged", submission.ToString("N") + "\n" + "s");
        Assert.Equal(submission, await db.WaitForInboxRowAsync("b1"));

        // The hung leader goes away: the follower takes over when its patience ends; the event is logged once.
        await using (var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", hung))
        {
            await unlock.ExecuteNonQueryAsync();
        }

        AppendResult result = await appending.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(Assert.Single(result.Events).AlreadyLogged);
        Assert.True(b.IsLeading);
        Assert.Equal(["b1"], (await db.ReadLogAsync("s")).Select(r => r.EventId));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {s}.inbox"));
    }

    [SkippableFact]
    public async Task AppendAsync_LeaderSendsAnIdLoggedLongBefore_AlreadyLoggedAndTheNewOneAppended()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator a = await db.OpenAsync("s", Leader);
        AppendResult first = await a.AppendAsync([Ev.Item("e1", "x"), Ev.Request("e2", "r1", "x", "write a/**")]);
        await a.AppendAsync(Ev.Item("e3", "y"));

        // The leader believes it holds the head and the whole inbox: it writes without reading first, and the log refuses
        // the write because e2 is logged; it then reads, and appends e4 alone.
        AppendResult again = await a.AppendAsync([Ev.Request("e2", "r1", "x", "write a/**"), Ev.Item("e4", "z")]);

        Assert.True(again.Events[0].AlreadyLogged);
        Assert.Equal(first.Events[1].DecisionsJson, again.Events[0].DecisionsJson);
        Assert.Equal(4, again.Events[1].Version);
        Assert.Equal(2, again.Attempts);
        Assert.Equal(["e1", "e2", "e3", "e4"], (await db.ReadLogAsync("s")).Select(r => r.EventId));
    }

    [SkippableFact]
    public async Task DisposeAsync_Leader_ReleasesTheLockSoTheNextReplicaLeadsAtOnce()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        PostgresCoordinator a = await db.OpenAsync("s", Leader with { LeaderTimeout = TimeSpan.FromSeconds(30) });
        await a.AppendAsync(Ev.Item("a1", "x"));
        Assert.True(a.IsLeading);
        await a.DisposeAsync();
        await using PostgresCoordinator b = await db.OpenAsync("s", Leader with { LeaderTimeout = TimeSpan.FromSeconds(30) });
        var clock = Stopwatch.StartNew();

        AppendResult result = await b.AppendAsync(Ev.Item("b1", "y"));

        Assert.True(b.IsLeading);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal(2, result.Version);
    }

    [SkippableFact]
    public async Task AppendAsync_DivergedFollower_StreamDivergedAndNothingQueuedForTheLeader()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator leader = await db.OpenAsync("s", Leader);
        await using PostgresCoordinator b = await db.OpenAsync("s", Leader);
        await leader.AppendAsync([Ev.Item("i1", "x"), Ev.Item("i2", "y")]);
        await b.AppendAsync(Ev.Request("rb", "run-b", "y", "write src/**"));
        Assert.False(b.IsLeading);

        // b's admitted run is lost with its commit, and another history refills version 3 before b appends again (the
        // leader, which logged b's run, reloads first: it diverged too).
        await LostCommitTests.LoseEventsAfterAsync(db, "s", 2);
        Assert.Equal<string>(["run-b"], (await leader.ReloadAsync()).RunsNoLongerActive);
        await leader.AppendAsync(Ev.Request("ra", "run-a", "x", "write src/**"));

        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => b.AppendAsync(new RunHeartbeat("hb", 0, "run-b", b.Graph.Runs["run-b"].FencingToken)));

        Assert.Equal(ClaimLogErrorCode.StreamDiverged, ex.Code);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {s}.inbox"));
        await leader.AppendAsync(Ev.Item("i3", "z"));
        Assert.Equal(["i1", "i2", "ra", "i3"], (await db.ReadLogAsync("s")).Select(r => r.EventId));
    }

    [SkippableFact]
    public async Task WaitForAppendAsync_LeaderLoggedAForwardedEventAfterTheVersionLookedAt_ReturnsAtOnce()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator leader = await db.OpenAsync("s", Leader);
        await using PostgresCoordinator b = await db.OpenAsync("s", Leader);
        await leader.AppendAsync(Ev.Item("a1", "x"));
        long lookedAt = leader.Version;

        // Between looking at its graph and waiting, the leader logs b's event in the background: the wait must not sleep
        // until some later append.
        await b.AppendAsync(Ev.Item("b1", "y"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        long version = await leader.WaitForAppendAsync(lookedAt, timeout.Token);

        Assert.Equal(2, version);
        Assert.True(leader.Graph.TryGetWorkItem("y", out _));
    }

    /// <summary>Takes the stream's leader lock on <paramref name="connection"/>, as a leader that stopped serving would hold it.</summary>
    private static async Task HoldLeaderLockAsync(TestDatabase db, NpgsqlConnection connection, string stream)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection)
        {
            Parameters = { new() { Value = "claimgraph.leader." + db.Schema + "." + stream } },
        };
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    private static async Task KillAsync(TestDatabase db, int processId)
    {
        await using NpgsqlConnection admin = await db.Admin.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT pg_terminate_backend($1, 10000)", admin) { Parameters = { new() { Value = processId } } };
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }
}
