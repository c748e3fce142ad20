using ClaimGraph.Graph;
using ClaimGraph.Policy;
using Npgsql;

namespace ClaimGraph.Postgres.Tests;

/// <summary>Strings the log cannot store, and a server out of disk or connections: typed answers, never a bricked stream.</summary>
public class InvalidInputAndServerLimitTests
{
    public static TheoryData<string, PolicyEvent> Unstorable => new()
    {
        { "NUL in the event id", Ev.Item("e\0x", "w2") },
        { "lone surrogate in the event id", Ev.Item("e\ud800", "w2") },
        { "lone surrogate in a run id", Ev.Request("bad", "r\ud800", "w1", "write docs/**") },
        { "lone low surrogate in a claim line", Ev.Request("bad", "r2", "w1", "write docs/\udc00/**") },
        { "lone surrogate in a changed path", new RunSucceeded("bad", 0, "r1", 1, 1) { ChangedPaths = ["src/\ud83d"] } },
        { "lone surrogate in a label", new WorkItemAdded("bad", 0, "w3") { Labels = ["\udfff"] } },
    };

    [SkippableTheory]
    [MemberData(nameof(Unstorable))]
    public async Task AppendAsync_StringTheLogCannotStore_RefusedAsInvalidEventAndTheStreamStaysReadable(string why, PolicyEvent bad)
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator a = await db.OpenAsync("s", new CoordinatorOptions { Concurrency = CoordinatorConcurrency.GroupCommit });
        await a.AppendAsync([Ev.Item("e1", "w1")]);

        AppendResult result = await a.AppendAsync([Ev.Item("before", "w0"), bad, Ev.Item("after", "w9")]);

        Assert.Equal([false, true, false], result.Events.Select(e => e.Refused));
        AppendedEvent refused = result.Events[1];
        Assert.Equal(0, refused.Version);
        RejectDecision reject = Assert.IsType<RejectDecision>(Assert.Single(result.Decisions));
        Assert.True(reject.Reason == ReasonCode.InvalidEvent, why);
        Assert.Contains("not logged", reject.Detail, StringComparison.Ordinal);
        Assert.Contains("\"Reject\"", refused.DecisionsJson, StringComparison.Ordinal);
        Assert.Equal(["e1", "before", "after"], (await db.ReadLogAsync("s")).Select(r => r.EventId));

        // Sending it again gives the same answer; every replica, old or fresh, still opens the stream.
        AppendResult again = await a.AppendAsync(bad);
        Assert.True(Assert.Single(again.Events).Refused);
        await using PostgresCoordinator fresh = await db.OpenAsync("s", new CoordinatorOptions { UseSnapshots = false });
        Assert.Equal(a.Graph, fresh.Graph);
        Assert.Equal(3, await a.CatchUpAsync());
    }

    [SkippableFact]
    public async Task AppendAsync_HeartbeatForTheReplacedId_UnknownRunOnEveryReplica()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator a = await db.OpenAsync("s");
        await using PostgresCoordinator b = await db.OpenAsync("s");
        await a.AppendAsync([Ev.Item("e1", "w1"), Ev.Request("e2", "r\ud800", "w1", "write src/**")]);

        // What JSON would have made of the id: on no replica is it a run.
        AppendResult heartbeat = await b.AppendAsync(new RunHeartbeat("hb", 0, "r\uFFFD", 1));

        Assert.Equal(ReasonCode.UnknownRun, Assert.IsType<RejectDecision>(Assert.Single(heartbeat.Decisions)).Reason);
        await a.CatchUpAsync();
        Assert.Equal(b.Graph, a.Graph);
        Assert.Empty(a.Graph.Runs);
    }

    [SkippableFact]
    public async Task AppendAsync_ServerDiskFull_DiskFullAndNothingLoggedThenTheResendAppends()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator a = await db.OpenAsync("s");
        await a.AppendAsync(Ev.Item("e1", "w1"));

        // The server reports 53100 as it does when it cannot extend a file.
        await db.ExecuteAsync(
            "CREATE FUNCTION {s}.full_disk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'could not extend file' USING ERRCODE = 'disk_full'; END $$; " +
            "CREATE TRIGGER full_disk BEFORE INSERT ON {s}.events FOR EACH ROW EXECUTE FUNCTION {s}.full_disk()");
        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => a.AppendAsync([Ev.Item("e2", "w2"), Ev.Item("e3", "w3")]));
        await db.ExecuteAsync("DROP TRIGGER full_disk ON {s}.events");

        Assert.Equal(ClaimLogErrorCode.DiskFull, ex.Code);
        Assert.Equal("53100", Assert.IsType<PostgresException>(ex.InnerException).SqlState);
        Assert.Contains("free disk space", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, a.Version);
        AppendResult resent = await a.AppendAsync([Ev.Item("e2", "w2"), Ev.Item("e3", "w3")]);
        Assert.All(resent.Events, e => Assert.False(e.AlreadyLogged));
        Assert.Equal(3, (await db.ReadLogAsync("s")).Count);
    }

    [SkippableFact]
    public async Task OpenAsync_ServerHasTooManyClients_TooManyConnections()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        string role = "cg_limited_" + db.Schema[7..];
        await db.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD 'limited' CONNECTION LIMIT 0");
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = role, Password = "limited" };

            ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => PostgresCoordinator.OpenAsync(db.NewLog(builder.ConnectionString), "s"));

            Assert.Equal(ClaimLogErrorCode.TooManyConnections, ex.Code);
            Assert.Equal("53300", Assert.IsType<PostgresException>(ex.InnerException).SqlState);
            Assert.DoesNotContain("limited", ex.ToString().Replace(role, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await db.ExecuteAsync($"DROP ROLE IF EXISTS {role}");
        }
    }
}
