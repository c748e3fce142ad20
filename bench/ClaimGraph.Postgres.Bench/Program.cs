using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ClaimGraph.Policy;
using ClaimGraph.Postgres;
using ClaimGraph.Postgres.Tests.Workload;
using Npgsql;

// Decisions per second of the race workload (tests/ClaimGraph.Postgres.Tests/Workload) with 1, 2 and 4 replicas:
// each replica a PostgresCoordinator on its own connection pool, conflicts retried; against the baseline, the same
// replicas sharing one coordinator in this process with no database. The total work is the same in every row.
//
//   CLAIMGRAPH_POSTGRES=... dotnet run -c Release --project bench/ClaimGraph.Postgres.Bench -- [--runs 1200] [--replicas 1,2,4] [--repeat 3]
//       [--modes Optimistic,HeadLock,GroupCommit]
//   ... -- --faults CLUSTER_DIR [--replicas 3] [--runs 600] [--modes ...]: the fault run (see FaultRun.cs) against the
//       cluster .ci/postgres.sh started in CLUSTER_DIR (it is crashed and restarted).
var settings = Settings.Parse(args);
string? connectionString = Environment.GetEnvironmentVariable("CLAIMGRAPH_POSTGRES");
if (string.IsNullOrEmpty(connectionString))
{
    Console.Error.WriteLine("CLAIMGRAPH_POSTGRES is not set: start a server with .ci/postgres.sh and export its connection string.");
    return 2;
}

await using NpgsqlDataSource admin = NpgsqlDataSource.Create(connectionString);
await PrintMachineAsync(admin);
if (settings.FaultCluster is { } cluster)
{
    foreach (CoordinatorConcurrency mode in settings.Modes)
    {
        await FaultRun.RunAsync(connectionString, cluster, settings.Replicas.Max(), settings.Runs, mode);
    }

    return 0;
}

Console.WriteLine($"Workload: {settings.Runs} runs in all (each: add item + request, then success), claims from {ReplicaDriver.ClaimPool.Length} overlapping patterns, at most 3 outstanding per replica; best of {settings.Repeat}.");
Console.WriteLine();

// Warm up (JIT, connection pools, server caches) before anything is timed.
await RunInMemoryAsync(2, 200, settings.Shared);
await RunPostgresAsync(connectionString, admin, 2, 200, CoordinatorConcurrency.Optimistic, settings.Shared);

Console.WriteLine("| replicas | coordinator | decisions | events | seconds | decisions/s | events/s | ratio (decisions/s) | lost races | appends | p50 ms | p99 ms | waiting |");
Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (int replicas in settings.Replicas)
{
    Measurement baseline = Best(settings.Repeat, () => RunInMemoryAsync(replicas, settings.Runs, settings.Shared));
    Print(replicas, "in-process (baseline)", baseline, baseline);
    foreach (CoordinatorConcurrency mode in settings.Modes)
    {
        Measurement pg = Best(settings.Repeat, () => RunPostgresAsync(connectionString, admin, replicas, settings.Runs, mode, settings.Shared));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"<!-- cpu ms/event: client {pg.ClientCpu * 1000 / pg.Events:F3}, server {pg.ServerCpu * 1000 / pg.Events:F3} -->"));
        Print(replicas, "PostgreSQL, " + mode, pg, baseline);
    }
}

return 0;

static void Print(int replicas, string name, Measurement m, Measurement baseline) =>
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {replicas} | {name} | {m.Decisions} | {m.Events} | {m.Seconds:F2} | {m.DecisionsPerSecond:N0} | {m.Events / m.Seconds:N0} | {m.DecisionsPerSecond / baseline.DecisionsPerSecond:F3} | {m.LostRaces} | {m.Appends} | {m.P50:F2} | {m.P99:F2} | {m.WaitingShare:P0} |"));

static Measurement Best(int repeat, Func<Task<Measurement>> run)
{
    Measurement? best = null;
    for (int i = 0; i < repeat; i++)
    {
        Measurement m = run().GetAwaiter().GetResult();
        if (best is null || m.DecisionsPerSecond > best.DecisionsPerSecond)
        {
            best = m;
        }
    }

    return best!;
}

static async Task<Measurement> RunInMemoryAsync(int replicas, int runs, double shared)
{
    var coordinator = new InMemoryCoordinator(PolicyOptions.Default);
    ReplicaDriver[] drivers = Drivers(replicas, runs, shared, _ => Task.FromResult(coordinator.Connect()));
    Measurement m = await RunAsync(drivers);
    return m with { Events = (int)coordinator.Version };
}

static async Task<Measurement> RunPostgresAsync(string connectionString, NpgsqlDataSource admin, int replicas, int runs, CoordinatorConcurrency mode, double shared)
{
    string schema = "cgbench_" + Guid.NewGuid().ToString("N")[..16];
    var sources = new List<NpgsqlDataSource>();
    try
    {
        await new PostgresClaimLog(admin, schema).MigrateAsync();
        var options = new CoordinatorOptions { Concurrency = mode };
        ReplicaDriver[] drivers = Drivers(replicas, runs, shared, _ =>
        {
            NpgsqlDataSource source = NpgsqlDataSource.Create(connectionString);
            lock (sources)
            {
                sources.Add(source);
            }

            return PostgresEndpoint.OpenAsync(new PostgresClaimLog(source, schema), "bench", options);
        });
        ServerCpu server = await ServerCpu.FindAsync(admin);
        TimeSpan serverBefore = server.Total(), clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        Measurement m = await RunAsync(drivers);
        m = m with { ClientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalSeconds, ServerCpu = (server.Total() - serverBefore).TotalSeconds };
        // The numbers count only if the log is right.
        var rows = new List<LoggedEvent>();
        await foreach (LoggedEvent row in new PostgresClaimLog(admin, schema).ReadEventsAsync("bench"))
        {
            rows.Add(row);
        }

        LogAudit.Check(rows);
        foreach (ReplicaDriver d in drivers)
        {
            await d.Endpoint!.DisposeAsync();
        }

        return m with { Events = rows.Count };
    }
    finally
    {
        foreach (NpgsqlDataSource source in sources)
        {
            await source.DisposeAsync();
        }

        await using NpgsqlCommand drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await drop.ExecuteNonQueryAsync();
    }
}

static ReplicaDriver[] Drivers(int replicas, int runs, double shared, Func<int, Task<IReplicaEndpoint>> open) =>
    [.. Enumerable.Range(0, replicas).Select(r => new ReplicaDriver(r, () => open(r), runs / replicas, seed: 7) { SharedClaims = shared })];

static async Task<Measurement> RunAsync(ReplicaDriver[] drivers)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(drivers.Select(d => Task.Run(() => d.RunAsync(timeout.Token))));
    clock.Stop();
    double[] latencies = [.. drivers.SelectMany(d => d.AppendMilliseconds).Order()];
    double waiting = drivers.Sum(d => d.Waiting.TotalSeconds) / drivers.Length / clock.Elapsed.TotalSeconds;
    return new Measurement(drivers.Sum(d => d.DecisionsMade), 0, clock.Elapsed.TotalSeconds, drivers.Sum(d => d.LostRaces))
    {
        P50 = Percentile(latencies, 0.50),
        P99 = Percentile(latencies, 0.99),
        WaitingShare = waiting,
        Appends = latencies.Length,
    };
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static async Task PrintMachineAsync(NpgsqlDataSource admin)
{
    string cpu = File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
        : "unknown";
    await using NpgsqlCommand version = admin.CreateCommand("SELECT version(), current_setting('fsync'), current_setting('synchronous_commit')");
    await using NpgsqlDataReader reader = await version.ExecuteReaderAsync();
    await reader.ReadAsync();
    Console.WriteLine($"Machine: {cpu}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
    Console.WriteLine($"Server: {reader.GetString(0).Split(" on ", 2)[0]} on loopback, fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}");
}

internal sealed record Measurement(int Decisions, int Events, double Seconds, int LostRaces)
{
    public double DecisionsPerSecond => Decisions / Seconds;

    public double P50 { get; init; }

    public double P99 { get; init; }

    public double WaitingShare { get; init; }

    public int Appends { get; init; }

    public double ClientCpu { get; init; }

    public double ServerCpu { get; init; }
}

/// <summary>The CPU time of a local server: its postmaster, its children alive, and the children it reaped.</summary>
internal sealed class ServerCpu(int? postmaster)
{
    public static async Task<ServerCpu> FindAsync(NpgsqlDataSource admin)
    {
        await using NpgsqlCommand pid = admin.CreateCommand("SELECT pg_backend_pid()");
        int backend = (int)(await pid.ExecuteScalarAsync())!;
        string[]? stat = Stat(backend);
        return new ServerCpu(stat is null ? null : int.Parse(stat[1], CultureInfo.InvariantCulture));
    }

    public TimeSpan Total()
    {
        if (postmaster is not int pm || Stat(pm) is not { } own)
        {
            return TimeSpan.Zero;
        }

        long ticks = long.Parse(own[11], CultureInfo.InvariantCulture) + long.Parse(own[12], CultureInfo.InvariantCulture)
            + long.Parse(own[13], CultureInfo.InvariantCulture) + long.Parse(own[14], CultureInfo.InvariantCulture);
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out int pid) && Stat(pid) is { } child && child[1] == pm.ToString(CultureInfo.InvariantCulture))
            {
                ticks += long.Parse(child[11], CultureInfo.InvariantCulture) + long.Parse(child[12], CultureInfo.InvariantCulture);
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>The fields of /proc/PID/stat after the command name (state first), or null.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            string text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

internal sealed record Settings(int Runs, int[] Replicas, int Repeat, CoordinatorConcurrency[] Modes, string? FaultCluster = null, double Shared = 0.1)
{
    public static Settings Parse(string[] args)
    {
        var s = new Settings(1200, [1, 2, 4], 3, [CoordinatorConcurrency.Optimistic, CoordinatorConcurrency.HeadLock, CoordinatorConcurrency.GroupCommit]);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            s = args[i] switch
            {
                "--runs" => s with { Runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--replicas" => s with { Replicas = [.. args[i + 1].Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture))] },
                "--repeat" => s with { Repeat = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--faults" => s with { FaultCluster = args[i + 1] },
                "--shared" => s with { Shared = double.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--modes" => s with { Modes = [.. args[i + 1].Split(',').Select(Enum.Parse<CoordinatorConcurrency>)] },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return s;
    }
}
