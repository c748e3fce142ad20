using ClaimGraph.Postgres.Tests.Workload;
using Npgsql;
using Xunit.Abstractions;

namespace ClaimGraph.Postgres.Tests;

/// <summary>Many replicas, one stream: the log stays the single truth however the appends interleave.</summary>
public class PostgresCoordinatorRaceTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData(2, 400, 3, CoordinatorConcurrency.Optimistic)]
    [InlineData(8, 80, 1, CoordinatorConcurrency.Optimistic)]
    [InlineData(8, 80, 1, CoordinatorConcurrency.HeadLock)]
    [InlineData(2, 400, 3, CoordinatorConcurrency.GroupCommit)]
    [InlineData(8, 80, 1, CoordinatorConcurrency.GroupCommit)]
    [InlineData(2, 400, 3, CoordinatorConcurrency.Leader)]
    [InlineData(8, 80, 1, CoordinatorConcurrency.Leader)]
    public async Task AppendAsync_ReplicasRacingWithOverlappingClaims_NoConflictingAdmitsAndNoEventLostOrTwice(int replicas, int runsEach, int outstanding, CoordinatorConcurrency concurrency)
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        var options = new CoordinatorOptions { Concurrency = concurrency, SnapshotInterval = 500 };
        ReplicaDriver[] drivers = [.. Enumerable.Range(0, replicas).Select(r => new ReplicaDriver(r, () => PostgresEndpoint.OpenAsync(db.NewLog(), "race", options), runsEach, seed: 1, outstanding))];

        // A guard against hangs only: each replica also fails on its own after 30 s without progress.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        await RunBoundedAsync(drivers, timeout, () => string.Empty);

        AuditReport audit = await RaceCheck.AssertLogConsistentAsync(db, "race", drivers, options);
        int lost = drivers.Sum(d => d.LostRaces);
        output.WriteLine($"{replicas} replicas ({concurrency}): {audit}, lost races {lost}, restarts {drivers.Sum(d => d.Restarts)}");
        Assert.True(audit.Admits >= replicas * runsEach);
        if (concurrency == CoordinatorConcurrency.HeadLock)
        {
            Assert.Equal(0, lost);
        }
        else if (concurrency == CoordinatorConcurrency.Leader)
        {
            // One replica led; the others forwarded (their events are in the log, appended by the leader).
            Assert.Equal(1, drivers.Count(d => ((PostgresEndpoint)d.Endpoint!).Coordinator.IsLeading));
        }
        else
        {
            // Optimistic: lost races; group commit: rounds a replica waited while another committed its events.
            Assert.True(lost > 0, "the replicas never raced for the stream head");
        }
    }

    [SkippableFact]
    public async Task AppendAsync_ReplicaConnectionKilledBeforeCommitDuringRace_RestartsAndLosesNothing()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        var options = new CoordinatorOptions { SnapshotInterval = 100 };
        int kills = 0;
        var victim = new ReplicaDriver(0, () => PostgresEndpoint.OpenAsync(db.NewLog(), "killed", options), runs: 150, seed: 2)
        {
            BeforeAppend = (endpoint, n) =>
            {
                if (n % 15 == 0)
                {
                    PostgresCoordinator coordinator = ((PostgresEndpoint)endpoint).Coordinator;
                    coordinator.BeforeCommit = async (connection, _) =>
                    {
                        coordinator.BeforeCommit = null;
                        await KillAsync(db, connection);
                        kills++;
                    };
                }
            },
        };
        var other = new ReplicaDriver(1, () => PostgresEndpoint.OpenAsync(db.NewLog(), "killed", options), runs: 150, seed: 2);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await RunBoundedAsync([victim, other], timeout, () => $"kills {kills}");

        Assert.True(kills >= 5, $"only {kills} kills");
        Assert.Equal(kills, victim.Restarts);
        Assert.NotNull(((PostgresEndpoint)victim.Endpoint!).Coordinator.LoadedSnapshotVersion);
        await RaceCheck.AssertLogConsistentAsync(db, "killed", [victim, other], options);
    }

    /// <summary>
    /// Runs the replicas until they finish; fails (never hangs) when they are not done shortly after
    /// <paramref name="timeout"/> fires, saying where each replica stood.
    /// </summary>
    private static async Task RunBoundedAsync(IReadOnlyList<ReplicaDriver> drivers, CancellationTokenSource timeout, Func<string> more)
    {
        Task all = Task.WhenAll(drivers.Select(d => Task.Run(() => d.RunAsync(timeout.Token))));
        try
        {
            await all.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!all.IsCompleted)
        {
            // The deadline fired: every call honours it, so the replicas must stop within their command timeouts.
            if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60))) != all)
            {
                Assert.Fail("the replicas did not stop after the deadline: " + string.Join("; ", drivers.Select(d => $"replica {d.Replica} at version {d.Endpoint?.Version}, restarts {d.Restarts}")) + " " + more());
            }
        }

        await all;
    }

    /// <summary>Terminates the server process behind <paramref name="connection"/> and waits until it is gone.</summary>
    internal static async Task KillAsync(TestDatabase db, NpgsqlConnection connection)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using NpgsqlConnection admin = await db.Admin.OpenConnectionAsync(timeout.Token);
        await using var command = new NpgsqlCommand("SELECT pg_terminate_backend($1, 10000)", admin) { Parameters = { new() { Value = connection.ProcessID } } };
        Assert.True((bool)(await command.ExecuteScalarAsync(timeout.Token))!);
    }
}
