using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ClaimGraph.Policy;
using ClaimGraph.Postgres;
using ClaimGraph.Postgres.Tests.Workload;
using Npgsql;

// Events per second of the race workload (tests/ClaimGraph.Postgres.Tests/Workload) with 1, 2 and 4 replicas: each
// replica a PostgresCoordinator on its own connection pool; against the baseline, the same replicas sharing one
// coordinator in this process with no database. The total work is the same in every row. Each row is the median of
// --repeat runs, with the range of events/s beside it.
//
//   CLAIMGRAPH_POSTGRES=... dotnet run -c Release --project bench/ClaimGraph.Postgres.Bench -- [--runs 1200] [--replicas 1,2,4] [--repeat 3]
//       [--modes Optimistic,HeadLock,GroupCommit,Leader] [--shared 0.1]
//   ... -- --faults CLUSTER_DIR [--replicas 3] [--runs 600] [--modes ...]: the fault run (see FaultRun.cs) against the
//       cluster .ci/postgres.sh started in CLUSTER_DIR (it is crashed and restarted).
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("""
        Events per second and append latency of PostgreSQL replicas (CLAIMGRAPH_POSTGRES: the server's connection string).

          [--runs 1200]        runs in all, split over the replicas (each: add item + request, then success)
          [--replicas 1,2,4]   replica counts, one table row each per mode
          [--repeat 3]         runs per row; the row shows the median and the range
          [--modes Optimistic,HeadLock,GroupCommit,Leader]
          [--shared 0.1]       share of claims every replica uses (the others lie under a folder of each replica's own)
          --faults CLUSTER_DIR the fault run against the cluster .ci/postgres.sh started in CLUSTER_DIR (crashed and
                               restarted); --replicas takes the largest count, --runs and --modes as above
        """);
    return 0;
}

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

Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"Workload: {settings.Runs} runs in all (each: add item + request, then success), claims from {ReplicaDriver.ClaimPool.Length} overlapping patterns, {settings.Shared:P0} of them shared by all replicas (the others under a folder of each replica's own), at most 3 outstanding per replica; median of {settings.Repeat}."));
Console.WriteLine();

// Warm up (JIT, connection pools, server caches) before anything is timed: every mode, with several replicas.
await RunInMemoryAsync(2, 200, settings.Shared);
foreach (CoordinatorConcurrency mode in settings.Modes)
{
    await RunPostgresAsync(connectionString, admin, 2, 400, mode, settings.Shared);
}

Console.WriteLine("| replicas | coordinator | events | decisions | seconds | events/s | range | vs 1 replica | p50 ms | p99 ms | CPU ms/event (client + server) | appends | rounds after the first | waiting |");
Console.WriteLine("|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---:|");
var single = new Dictionary<string, double>(StringComparer.Ordinal);
foreach (int replicas in settings.Replicas)
{
    Print(replicas, "in-process (baseline)", Median(settings.Repeat, () => RunInMemoryAsync(replicas, settings.Runs, settings.Shared)), single);
    foreach (CoordinatorConcurrency mode in settings.Modes)
    {
        Print(replicas, "PostgreSQL, " + mode, Median(settings.Repeat, () => RunPostgresAsync(connectionString, admin, replicas, settings.Runs, mode, settings.Shared)), single);
    }
}

return 0;

static void Print(int replicas, string name, (Measurement Median, double Min, double Max) row, Dictionary<string, double> single)
{
    Measurement m = row.Median;
    if (replicas == 1)
    {
        single[name] = m.EventsPerSecond;
    }

    string scaling = single.TryGetValue(name, out double one) ? (m.EventsPerSecond / one).ToString("F2", CultureInfo.InvariantCulture) : "";
    string cpu = m.ClientCpu > 0 ? string.Create(CultureInfo.InvariantCulture, $"{m.ClientCpu * 1000 / m.Events:F2} + {m.ServerCpu * 1000 / m.Events:F2}") : "";
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {replicas} | {name} | {m.Events} | {m.Decisions} | {m.Seconds:F2} | {m.EventsPerSecond:N0} | {row.Min:N0}–{row.Max:N0} | {scaling} | {m.P50:F2} | {m.P99:F2} | {cpu} | {m.Appends} | {m.LostRaces} | {m.WaitingShare:P0} |"));
}

static (Measurement Median, double Min, double Max) Median(int repeat, Func<Task<Measurement>> run)
{
    var all = new List<Measurement>();
    for (int i = 0; i < repeat; i++)
    {
        all.Add(run().GetAwaiter().GetResult());
    }

    all.Sort((a, b) => a.EventsPerSecond.CompareTo(b.EventsPerSecond));
    return (all[(all.Count - 1) / 2], all[0].EventsPerSecond, all[^1].EventsPerSecond);
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
    public double EventsPerSecond => Events / Seconds;

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
        var s = new Settings(1200, [1, 2, 4], 3, [CoordinatorConcurrency.Optimistic, CoordinatorConcurrency.HeadLock, CoordinatorConcurrency.GroupCommit, CoordinatorConcurrency.Leader]);
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
