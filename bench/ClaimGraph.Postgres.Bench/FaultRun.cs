using System.Diagnostics;
using ClaimGraph.Postgres;
using ClaimGraph.Postgres.Tests.Workload;
using Npgsql;

/// <summary>
/// The race workload under faults: while the replicas run, every few seconds one fault in turn hits the server:
/// every client backend killed (<c>pg_terminate_backend</c>), the events table locked for longer than the command
/// timeout, and an immediate stop and restart of the server (<c>.ci/postgres.sh crash</c>: no checkpoint, crash
/// recovery). The replicas ride out each fault (reopen, send the same events again). Afterwards every acknowledged
/// answer must be in the log at its version with its decisions, no event id twice, no two conflicting runs admitted at
/// once, and a fresh replay must equal every replica.
/// </summary>
internal static class FaultRun
{
    public static async Task<int> RunAsync(string connectionString, string clusterDirectory, int replicas, int runs, CoordinatorConcurrency mode)
    {
        string schema = "cgfault_" + Guid.NewGuid().ToString("N")[..16];
        var sources = new List<NpgsqlDataSource>();
        await using NpgsqlDataSource admin = NpgsqlDataSource.Create(connectionString);
        await new PostgresClaimLog(admin, schema).MigrateAsync();
        var options = new CoordinatorOptions { Concurrency = mode, CommandTimeout = TimeSpan.FromSeconds(2), SnapshotInterval = 200 };
        ReplicaDriver[] drivers = [.. Enumerable.Range(0, replicas).Select(r => new ReplicaDriver(
            r,
            () =>
            {
                NpgsqlDataSource source = NpgsqlDataSource.Create(connectionString);
                lock (sources)
                {
                    sources.Add(source);
                }

                return PostgresEndpoint.OpenAsync(new PostgresClaimLog(source, schema), "faults", options);
            },
            runs / replicas,
            seed: 11)
        {
            RideOutFaults = true,
            StallLimit = TimeSpan.FromMinutes(2),
        })];

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var clock = Stopwatch.StartNew();
        Task all = Task.WhenAll(drivers.Select(d => Task.Run(() => d.RunAsync(timeout.Token))));
        var faults = new List<string>();
        for (int i = 0; !all.IsCompleted; i++)
        {
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(3)));
            if (all.IsCompleted)
            {
                break;
            }

            faults.Add(await InjectAsync(i % 3, connectionString, clusterDirectory, schema));
        }

        await all;
        clock.Stop();

        // The audit trusts only the log, read by a fresh connection after the last fault.
        NpgsqlConnection.ClearAllPools();
        await using NpgsqlDataSource auditSource = NpgsqlDataSource.Create(connectionString);
        var log = new PostgresClaimLog(auditSource, schema);
        var rows = new List<LoggedEvent>();
        await foreach (LoggedEvent row in log.ReadEventsAsync("faults"))
        {
            rows.Add(row);
        }

        AuditReport audit = LogAudit.Check(rows);
        int acknowledged = 0;
        foreach (ReplicaDriver driver in drivers)
        {
            foreach (AppendedEvent answer in driver.Answers.Values)
            {
                LoggedEvent row = rows[(int)answer.Version - 1];
                if (row.EventId != answer.EventId || row.DecisionsJson != answer.DecisionsJson)
                {
                    throw new InvalidOperationException($"acknowledged event '{answer.EventId}' at version {answer.Version} is not the logged row '{row.EventId}'");
                }

                acknowledged++;
            }
        }

        ReplayResult replay = await log.ReplayAsync("faults", options.Policy);
        foreach (ReplicaDriver driver in drivers)
        {
            // A pooled connection may still be one the last fault broke: a catch-up that fails so is simply called again.
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    await driver.Endpoint!.CatchUpAsync(CancellationToken.None);
                    break;
                }
                catch (ClaimLogException ex) when (ex.Code == ClaimLogErrorCode.ConnectionFailed && attempt < 5)
                {
                }
            }

            if (!replay.Graph.Equals(driver.Endpoint!.Graph))
            {
                throw new InvalidOperationException($"replica {driver.Replica} differs from the replay");
            }

            await driver.Endpoint.DisposeAsync();
        }

        Console.WriteLine($"Fault run ({mode}, {replicas} replicas, {runs} runs): {clock.Elapsed.TotalSeconds:F0} s, {faults.Count} faults ({string.Join(", ", faults.GroupBy(f => f).Select(g => $"{g.Count()} {g.Key}"))}).");
        Console.WriteLine($"  log: {rows.Count} events, {audit.Admits} admits, no event twice, no conflicting admits; {acknowledged} acknowledged answers all in the log at their versions; replay equals every replica; restarts {drivers.Sum(d => d.Restarts)}.");
        foreach (NpgsqlDataSource source in sources)
        {
            await source.DisposeAsync();
        }

        await using NpgsqlCommand drop = auditSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await drop.ExecuteNonQueryAsync();
        return 0;
    }

    private static async Task<string> InjectAsync(int kind, string connectionString, string clusterDirectory, string schema)
    {
        switch (kind)
        {
            case 0:
                await using (NpgsqlDataSource source = NpgsqlDataSource.Create(connectionString))
                await using (NpgsqlCommand kill = source.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'"))
                {
                    await kill.ExecuteScalarAsync();
                }

                return "backend kills";
            case 1:
                await using (NpgsqlDataSource source = NpgsqlDataSource.Create(connectionString))
                await using (NpgsqlConnection connection = await source.OpenConnectionAsync())
                await using (NpgsqlTransaction tx = await connection.BeginTransactionAsync())
                {
                    await using (var lockTable = new NpgsqlCommand($"LOCK TABLE \"{schema}\".events IN ACCESS EXCLUSIVE MODE", connection, tx))
                    {
                        await lockTable.ExecuteNonQueryAsync();
                    }

                    await Task.Delay(TimeSpan.FromSeconds(5));
                    await tx.CommitAsync();
                }

                return "5 s table locks";
            default:
                using (var crash = Process.Start(new ProcessStartInfo(".ci/postgres.sh", ["crash", clusterDirectory]) { RedirectStandardError = true })!)
                {
                    string err = await crash.StandardError.ReadToEndAsync();
                    await crash.WaitForExitAsync();
                    if (crash.ExitCode != 0)
                    {
                        throw new InvalidOperationException("postgres.sh crash failed: " + err);
                    }
                }

                return "immediate stops";
        }
    }
}
