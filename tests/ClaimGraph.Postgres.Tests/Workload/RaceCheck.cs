using ClaimGraph.Graph;

namespace ClaimGraph.Postgres.Tests.Workload;

/// <summary>What every race test asserts about the log once the replicas are done.</summary>
internal static class RaceCheck
{
    public static async Task<AuditReport> AssertLogConsistentAsync(TestDatabase db, string stream, IReadOnlyList<ReplicaDriver> drivers, CoordinatorOptions options)
    {
        List<LoggedEvent> rows = await db.ReadLogAsync(stream);

        // No two conflicting admitted runs at once, no id twice, versions 1..n.
        AuditReport audit = LogAudit.Check(rows);

        // Every answer any replica got is the logged row, and every logged row was answered: nothing lost.
        var answered = new HashSet<string>(StringComparer.Ordinal);
        foreach (ReplicaDriver driver in drivers)
        {
            foreach (AppendedEvent answer in driver.Answers.Values)
            {
                LoggedEvent row = rows[(int)answer.Version - 1];
                Assert.Equal(answer.EventId, row.EventId);
                Assert.Equal(row.DecisionsJson, answer.DecisionsJson);
                answered.Add(answer.EventId);
            }
        }

        Assert.Equal(rows.Count, answered.Count);
        Assert.True(drivers.Count == 1 || drivers.Any(d => d.Answers.Values.Any(a => a.AlreadyLogged)), "no replica ever sent an event another had logged");
        Assert.Equal(rows.Count, drivers.Sum(d => d.EventsAppended));

        // Every decision in the log is the policy's, the replay is the truth, and every replica agrees with it.
        ReplayResult replay = await db.Log.ReplayAsync(stream, options.Policy, verifyDecisions: true);
        Assert.Equal(rows.Count, replay.Version);
        foreach (ReplicaDriver driver in drivers)
        {
            await driver.Endpoint!.CatchUpAsync(CancellationToken.None);
            Assert.Equal(replay.Version, driver.Endpoint.Version);
            Assert.True(replay.Graph.Equals(driver.Endpoint.Graph), $"replica {driver.Replica} differs from the replay");
            for (int i = 0; i < driver.Runs; i++)
            {
                string item = $"p{driver.Replica}-w{i}";
                Assert.True(replay.Graph.TryGetWorkItem(item, out WorkItem? w), $"{item} is missing");
                Assert.Equal(WorkItemStatus.Done, w!.Status);
            }
        }

        // Restart (snapshot + tail) equals the replay.
        await using PostgresCoordinator restarted = await db.OpenAsync(stream, options);
        Assert.True(replay.Graph.Equals(restarted.Graph), "a restarted coordinator differs from the replay");
        Assert.True(audit.ContendedHolds > 0, "the workload never made a run wait on another's claims");
        return audit;
    }
}
