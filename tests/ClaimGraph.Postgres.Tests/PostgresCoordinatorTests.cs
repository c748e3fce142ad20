using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Postgres.Tests.Workload;
using ClaimGraph.Serialization;
using Npgsql;
using Xunit.Abstractions;

namespace ClaimGraph.Postgres.Tests;

public class PostgresCoordinatorTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task AppendAsync_NewEvents_LoggedInOrderWithTheirDecisions()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator c = await db.OpenAsync("s");

        AppendResult result = await c.AppendAsync([Ev.Item("e1", "billing"), Ev.Request("e2", "r1", "billing", "write src/billing/**")]);

        Assert.Equal(2, result.Version);
        Assert.Equal([1L, 2L], result.Events.Select(e => e.Version));
        Assert.All(result.Events, e => Assert.False(e.AlreadyLogged));
        AdmitDecision admit = Assert.IsType<AdmitDecision>(Assert.Single(result.Decisions));
        Assert.Equal("r1", admit.RunId);
        Assert.Equal(RunStatus.Active, c.Graph.Runs["r1"].Status);
        List<LoggedEvent> rows = await db.ReadLogAsync("s");
        Assert.Equal(["e1", "e2"], rows.Select(r => r.EventId));
        Assert.Equal("[]", rows[0].DecisionsJson);
        Assert.Equal("[" + DefaultWriterJson(admit) + "]", rows[1].DecisionsJson);
        Assert.Equal(rows[1].DecisionsJson, result.Events[1].DecisionsJson);
        Assert.Equal(PolicyJson.WriteEvent(Ev.Request("e2", "r1", "billing", "write src/billing/**")), rows[1].EventJson);
    }

    /// <summary>
    /// The log's decision format: <see cref="PolicyJson.WriteDecision(System.Text.Json.Utf8JsonWriter, Decision)"/> on a
    /// writer with default options (default escaping, so <c>'</c> is <c>\u0027</c>). It stays so, because replicas
    /// verify replayed decisions against the logged bytes.
    /// </summary>
    private static string DefaultWriterJson(Decision decision)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            PolicyJson.WriteDecision(w, decision);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [SkippableFact]
    public async Task AppendAsync_OneReplicasWorkload_LogsExactlyTheInProcessPolicysDecisions()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        var inProcess = new InMemoryCoordinator(PolicyOptions.Default);
        var reference = new ReplicaDriver(0, () => Task.FromResult(inProcess.Connect()), runs: 120, seed: 3);
        var logged = new ReplicaDriver(0, () => PostgresEndpoint.OpenAsync(db.NewLog(), "s", new CoordinatorOptions { SnapshotInterval = 50 }), runs: 120, seed: 3);

        await reference.RunAsync(CancellationToken.None);
        await logged.RunAsync(CancellationToken.None);

        List<LoggedEvent> rows = await db.ReadLogAsync("s");
        Assert.Equal(inProcess.Decisions, rows.Select(r => r.DecisionsJson));
        Assert.Equal(inProcess.Graph, logged.Endpoint!.Graph);
        Assert.True(LogAudit.Check(rows).Admits >= 120);
    }

    [SkippableFact]
    public async Task AppendAsync_EventIdAlreadyLogged_ReturnsLoggedDecisionsAndAppendsNothing()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator first = await db.OpenAsync("s");
        await using PostgresCoordinator second = await db.OpenAsync("s");
        AppendResult original = await first.AppendAsync([Ev.Item("e1", "a"), Ev.Request("e2", "r1", "a", "write a/**")]);

        // The other replica resends e2 (say, after a timeout) together with a new event.
        AppendResult again = await second.AppendAsync([Ev.Request("e2", "r1", "a", "write a/**"), Ev.Item("e3", "b"), Ev.Item("e3", "b")]);

        Assert.Equal(2, again.Events.Length);
        AppendedEvent repeated = again.Events[0];
        Assert.True(repeated.AlreadyLogged);
        Assert.Equal(2, repeated.Version);
        Assert.Equal(original.Events[1].DecisionsJson, repeated.DecisionsJson);
        Assert.False(again.Events[1].AlreadyLogged);
        Assert.Equal(3, again.Events[1].Version);
        Assert.Empty(again.Decisions);
        Assert.Equal(3, await db.Log.GetStreamVersionAsync("s"));

        AppendResult onlyOld = await first.AppendAsync(Ev.Item("e1", "a"));
        Assert.True(Assert.Single(onlyOld.Events).AlreadyLogged);
        Assert.Equal(3, onlyOld.Version);
        Assert.Equal(3, (await db.ReadLogAsync("s")).Count);
    }

    [SkippableTheory]
    [InlineData(CoordinatorConcurrency.Optimistic)]
    [InlineData(CoordinatorConcurrency.HeadLock)]
    public async Task AppendAsync_StaleReplicaRequestsConflictingRun_DecidesOnTheLatestGraphAndHolds(CoordinatorConcurrency concurrency)
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        var options = new CoordinatorOptions { Concurrency = concurrency };
        await using PostgresCoordinator a = await db.OpenAsync("s", options);
        await using PostgresCoordinator b = await db.OpenAsync("s", options);
        await a.AppendAsync([Ev.Item("a1", "x"), Ev.Item("a2", "y"), Ev.Request("a3", "rx", "x", "write src/billing/**")]);
        Assert.Equal(0, b.Version);

        AppendResult result = await b.AppendAsync(Ev.Request("b1", "ry", "y", "write src/*/schema.sql"));

        Assert.Equal(4, result.Version);
        HoldDecision hold = Assert.IsType<HoldDecision>(Assert.Single(result.Decisions));
        ClaimConflictHold reason = Assert.IsType<ClaimConflictHold>(Assert.Single(hold.Reasons));
        Assert.Equal(ReasonCode.ClaimConflict, reason.Code);
        Assert.Equal("rx", reason.BlockingRunId);
        Assert.Equal("src/billing/schema.sql", reason.Conflict!.Witness);
        Assert.Equal(1, a.Graph.ActiveRunCount);
        Assert.Equal(1, b.Graph.ActiveRunCount);
    }

    [SkippableFact]
    public async Task AppendAsync_AnotherReplicaAppendsWhileDeciding_LosesTheRaceAndDecidesAgainOnItsEvents()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator a = await db.OpenAsync("s");
        await using PostgresCoordinator b = await db.OpenAsync("s");
        await a.AppendAsync([Ev.Item("i1", "x"), Ev.Item("i2", "y")]);
        a.BeforeWrite = async ct =>
        {
            a.BeforeWrite = null;
            await b.AppendAsync(Ev.Request("b1", "ry", "y", "write src/**"), ct);
        };

        AppendResult result = await a.AppendAsync(Ev.Request("a1", "rx", "x", "write src/api/**"));

        // First decided as an admit on the graph without ry; then, after losing the race, held behind ry.
        Assert.Equal(2, result.Attempts);
        Assert.Equal(4, Assert.Single(result.Events).Version);
        HoldDecision hold = Assert.IsType<HoldDecision>(Assert.Single(result.Decisions));
        Assert.Equal("ry", Assert.IsType<ClaimConflictHold>(hold.Reasons[0]).BlockingRunId);
        Assert.Equal(["i1", "i2", "b1", "a1"], (await db.ReadLogAsync("s")).Select(r => r.EventId));
    }

    [SkippableFact]
    public async Task AppendAsync_LostRaceWithNoRetriesAllowed_ConcurrencyRetriesExhaustedAndNothingLogged()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator a = await db.OpenAsync("s", new CoordinatorOptions { MaxConflictRetries = 0 });
        await using PostgresCoordinator b = await db.OpenAsync("s");
        a.BeforeWrite = ct => b.AppendAsync(Ev.Item("b" + b.Version, "y" + b.Version), ct);

        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => a.AppendAsync(Ev.Item("a1", "x")));

        Assert.Equal(ClaimLogErrorCode.ConcurrencyRetriesExhausted, ex.Code);
        Assert.Equal("s", ex.StreamId);
        Assert.DoesNotContain("a1", (await db.ReadLogAsync("s")).Select(r => r.EventId));
    }

    [SkippableFact]
    public async Task AppendAsync_ConnectionKilledBetweenDecidingAndCommitting_NothingLoggedAndResendAppendsOnce()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator other = await db.OpenAsync("s");
        await other.AppendAsync(Ev.Item("o1", "x"));
        PostgresCoordinator victim = await db.OpenAsync("s");
        victim.BeforeCommit = (connection, _) => PostgresCoordinatorRaceTests.KillAsync(db, connection);
        PolicyEvent[] events = [Ev.Item("v1", "y"), Ev.Request("v2", "ry", "y", "write docs/**")];

        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => victim.AppendAsync(events));
        Assert.Equal(ClaimLogErrorCode.ConnectionFailed, ex.Code);
        Assert.IsAssignableFrom<NpgsqlException>(ex.InnerException);

        Assert.Equal(1, await db.Log.GetStreamVersionAsync("s"));
        Assert.Equal(1, victim.Version);
        await victim.DisposeAsync();
        await other.AppendAsync(Ev.Item("o2", "z"));

        await using PostgresCoordinator restarted = await db.OpenAsync("s");
        AppendResult resent = await restarted.AppendAsync(events);
        AppendResult twice = await restarted.AppendAsync(events);

        Assert.Equal([3L, 4L], resent.Events.Select(e => e.Version));
        Assert.All(resent.Events, e => Assert.False(e.AlreadyLogged));
        Assert.All(twice.Events, e => Assert.True(e.AlreadyLogged));
        Assert.Equal(["o1", "o2", "v1", "v2"], (await db.ReadLogAsync("s")).Select(r => r.EventId));
        Assert.Equal(RunStatus.Active, restarted.Graph.Runs["ry"].Status);
    }

    [SkippableFact]
    public async Task AppendAsync_StatementBlockedLongerThanCommandTimeout_ConnectionFailedThenTheSameCoordinatorAppends()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator coordinator = await db.OpenAsync("s", new CoordinatorOptions { CommandTimeout = TimeSpan.FromSeconds(1) });
        await using NpgsqlConnection blocker = await db.Admin.OpenConnectionAsync();
        await using NpgsqlTransaction held = await blocker.BeginTransactionAsync();
        await using (var lockHead = new NpgsqlCommand($"SELECT version FROM \"{db.Schema}\".streams WHERE stream_id = 's' FOR UPDATE", blocker, held))
        {
            await lockHead.ExecuteScalarAsync();
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => coordinator.AppendAsync(Ev.Item("e1", "a")));
        clock.Stop();
        await held.RollbackAsync();
        output.WriteLine($"{clock.Elapsed}: {ex.Message} <- {ex.InnerException?.GetType().Name}: {ex.InnerException?.Message}");

        Assert.Equal(ClaimLogErrorCode.ConnectionFailed, ex.Code);
        Assert.Contains("command timeout", ex.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1) + RoundTrip.Grace + TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(0, coordinator.Version);
        AppendResult again = await coordinator.AppendAsync(Ev.Item("e1", "a"));
        Assert.False(again.Events[0].AlreadyLogged);
        Assert.Equal(["e1"], (await db.ReadLogAsync("s")).Select(r => r.EventId));
    }

    [SkippableFact]
    public async Task AppendAsync_ServerGoesSilentBeforeCommit_ConnectionFailedWithinTheTimeoutAndNothingLogged()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using var proxy = new FreezingProxy(db.ConnectionString);
        var options = new CoordinatorOptions { CommandTimeout = TimeSpan.FromSeconds(2) };
        PostgresCoordinator victim = await PostgresCoordinator.OpenAsync(db.NewLog(proxy.ConnectionString), "s", options);
        int backend = 0;
        victim.BeforeCommit = (connection, _) =>
        {
            backend = connection.ProcessID;
            proxy.Freeze();
            return Task.CompletedTask;
        };
        PolicyEvent[] events = [Ev.Item("v1", "y"), Ev.Request("v2", "ry", "y", "write docs/**")];

        var clock = System.Diagnostics.Stopwatch.StartNew();
        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => victim.AppendAsync(events));
        clock.Stop();

        output.WriteLine($"{clock.Elapsed}: {ex.Message} <- {ex.InnerException?.GetType().Name}: {ex.InnerException?.Message}");
        Assert.Equal(ClaimLogErrorCode.ConnectionFailed, ex.Code);
        Assert.True(clock.Elapsed < options.CommandTimeout + RoundTrip.Grace + TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(0, victim.Version);

        // The server still holds the silent client's transaction (and the head lock) until it notices: end it, as a
        // server's TCP keepalive or idle_in_transaction_session_timeout would.
        Assert.True(await db.ScalarAsync<bool>("SELECT pg_terminate_backend($1, 10000)", backend));
        await using PostgresCoordinator restarted = await db.OpenAsync("s", options);
        AppendResult resent = await restarted.AppendAsync(events);
        Assert.All(resent.Events, e => Assert.False(e.AlreadyLogged));
        Assert.Equal(["v1", "v2"], (await db.ReadLogAsync("s")).Select(r => r.EventId));
    }

    [SkippableFact]
    public async Task OpenAsync_AfterManyAppendsWithSnapshots_StartsFromNewestSnapshotAndEqualsFullReplay()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        var options = new CoordinatorOptions { SnapshotInterval = 10, SnapshotsToKeep = 2 };
        await using PostgresCoordinator writer = await db.OpenAsync("s", options);
        for (int i = 0; i < 12; i++)
        {
            await writer.AppendAsync([Ev.Item($"i{i}", $"w{i}"), Ev.Request($"r{i}", $"run{i}", $"w{i}", $"write src/m{i % 4}/**")]);
            if (writer.Graph.Runs[$"run{i}"].Status == RunStatus.Active)
            {
                await writer.AppendAsync(Ev.Succeed($"s{i}", $"run{i}", writer.Graph.Runs[$"run{i}"].FencingToken, i + 1));
            }
        }

        Assert.True(writer.Version >= 30, $"only {writer.Version} events");
        // A snapshot is written by the append that crosses each multiple of 10; the two newest are kept.
        long[] snapshots = [.. await db.Log.GetSnapshotVersionsAsync("s")];
        Assert.Equal(2, snapshots.Length);
        Assert.InRange(snapshots[0], writer.Version - 10, writer.Version);
        Assert.Equal(snapshots[0] / 10, (snapshots[1] / 10) + 1);
        ReplayResult replay = await db.Log.ReplayAsync("s");

        await using PostgresCoordinator restarted = await db.OpenAsync("s", options);
        await using PostgresCoordinator fromScratch = await db.OpenAsync("s", options with { UseSnapshots = false });

        Assert.Equal(snapshots[0], restarted.LoadedSnapshotVersion);
        Assert.Null(fromScratch.LoadedSnapshotVersion);
        Assert.Equal(writer.Version, restarted.Version);
        Assert.Equal(replay.Graph, restarted.Graph);
        Assert.Equal(replay.Graph, fromScratch.Graph);
        Assert.Equal(replay.Graph, writer.Graph);
    }

    [SkippableFact]
    public async Task SaveSnapshotAsync_MoreThanKept_KeepsTheNewestAndEventsStay()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator c = await db.OpenAsync("s", new CoordinatorOptions { SnapshotInterval = 0, SnapshotsToKeep = 2 });
        for (int i = 1; i <= 4; i++)
        {
            await c.AppendAsync(Ev.Item($"e{i}", $"w{i}"));
            Assert.Equal(i, await c.SaveSnapshotAsync());
        }

        long[] kept = [.. await db.Log.GetSnapshotVersionsAsync("s")];
        Assert.Equal([4L, 3L], kept);
        Assert.Equal(4, (await db.ReadLogAsync("s")).Count);
        Assert.Equal(1, await db.Log.CompactSnapshotsAsync("s", keep: 1));
        long[] left = [.. await db.Log.GetSnapshotVersionsAsync("s")];
        Assert.Equal([4L], left);
    }

    [SkippableFact]
    public async Task WaitForAppendAsync_AnotherReplicaAppends_WakesAndCatchesUp()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator writer = await db.OpenAsync("s");
        await using PostgresCoordinator reader = await db.OpenAsync("s", new CoordinatorOptions { NotificationPollInterval = TimeSpan.FromMinutes(5) });
        await using PostgresCoordinator elsewhere = await db.OpenAsync("other");

        Task<long> waiting = reader.WaitForAppendAsync();
        await elsewhere.AppendAsync(Ev.Item("x1", "x"));
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        await writer.AppendAsync([Ev.Item("e1", "a"), Ev.Item("e2", "b")]);

        // The poll interval is minutes: only the notification can wake it this fast.
        Assert.Same(waiting, await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(20))));
        Assert.Equal(2, await waiting);
        Assert.True(reader.Graph.ContainsWorkItem("b"));
    }

    [SkippableFact]
    public async Task WaitForAppendAsync_Cancelled_ThrowsAndTheNextWaitStillWakes()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator writer = await db.OpenAsync("s");
        await using PostgresCoordinator reader = await db.OpenAsync("s");
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.WaitForAppendAsync(cancel.Token));
        }

        Task<long> waiting = reader.WaitForAppendAsync();
        await writer.AppendAsync(Ev.Item("e1", "a"));
        Assert.Equal(1, await waiting.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [SkippableFact]
    public async Task WaitForAppendAsync_ListeningConnectionKilled_ThrowsThenListensAgain()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator writer = await db.OpenAsync("s");
        await using PostgresCoordinator reader = await db.OpenAsync("s", new CoordinatorOptions { NotificationPollInterval = TimeSpan.FromMilliseconds(200) });
        Task<long> waiting = reader.WaitForAppendAsync();
        for (int i = 0; i < 100 && reader.ListenerProcessId is null; i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await db.ScalarAsync<bool>("SELECT pg_terminate_backend($1, 10000)", reader.ListenerProcessId!.Value));

        ClaimLogException broken = await Assert.ThrowsAsync<ClaimLogException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(ClaimLogErrorCode.ConnectionFailed, broken.Code);
        Task<long> again = reader.WaitForAppendAsync();
        await writer.AppendAsync(Ev.Item("e1", "a"));

        Assert.Equal(1, await again.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [SkippableFact]
    public async Task OpenAsync_SchemaNotMigrated_SchemaMissing()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync(migrate: false);

        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => db.OpenAsync("s"));

        Assert.Equal(ClaimLogErrorCode.SchemaMissing, ex.Code);
        Assert.Contains("MigrateAsync", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AppendAsync_EventWithoutId_ArgumentExceptionAndNothingLogged()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator c = await db.OpenAsync("s");

        await Assert.ThrowsAsync<ArgumentException>(() => c.AppendAsync([Ev.Item("e1", "a"), Ev.Item(string.Empty, "b")]));
        await Assert.ThrowsAsync<ArgumentException>(() => c.AppendAsync([null!]));

        Assert.Equal(0, await db.Log.GetStreamVersionAsync("s"));
    }

    [SkippableFact]
    public async Task AppendAsync_RejectedEvent_LoggedWithItsRejection()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator c = await db.OpenAsync("s");

        AppendResult result = await c.AppendAsync(Ev.Request("e1", "r1", "nobody", "write a/**"));

        RejectDecision reject = Assert.IsType<RejectDecision>(Assert.Single(result.Decisions));
        Assert.Equal(ReasonCode.UnknownWorkItem, reject.Reason);
        Assert.Contains("\"kind\":\"Reject\"", Assert.Single(await db.ReadLogAsync("s")).DecisionsJson, StringComparison.Ordinal);
    }
}
