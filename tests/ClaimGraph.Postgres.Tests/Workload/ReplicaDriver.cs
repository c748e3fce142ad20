using System.Diagnostics;
using System.Globalization;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Postgres.Tests.Workload;

/// <summary>
/// One orchestrator replica under load: it requests runs of its own work items with claims drawn from a small pool
/// of overlapping patterns (so replicas contend for the same paths), reports its active runs as succeeded (some with
/// changes outside their claims, which make other replicas' runs stale), and every tenth append also sends a tick
/// whose id every replica sends (so the same event races from several replicas). It keeps at most a few runs of its
/// own outstanding and waits on LISTEN/NOTIFY when all of them are blocked by other replicas.
/// </summary>
/// <remarks>
/// With <see cref="SharedClaims"/> below 1, a run draws its claims from the shared pool only with that probability and
/// otherwise from the same patterns under a folder of its replica's own (<c>r{replica}/</c>): its runs still conflict
/// with each other as often, but seldom with other replicas' runs, as when replicas serve different parts of a
/// repository.
/// </remarks>
/// <remarks>
/// When an append throws a database error (as when the test kills its connection mid-transaction), the driver opens
/// a new coordinator — a restart from snapshot and tail — and sends the same events again.
/// </remarks>
internal sealed class ReplicaDriver
{
    /// <summary>Claim lines that overlap in many ways (write/write, write/read, append/write, barriers).</summary>
    public static readonly string[] ClaimPool =
    [
        "write src/billing/**",
        "write src/*/schema.sql",
        "read src/**",
        "append CHANGELOG.md",
        "write CHANGELOG.md",
        "write docs/**",
        "read docs/*.md",
        "write src/api/**",
        "write src/billing/invoice.cs",
        "write **/*.sql",
        "read src/api/routes.cs",
        "write tests/billing/**",
    ];

    private static readonly string[] ChangedPool = ["src/billing/invoice.cs", "src/api/routes.cs", "docs/index.md", "src/billing/schema.sql"];

    private readonly Func<Task<IReplicaEndpoint>> _open;
    private readonly string _prefix;
    private readonly string _own;
    private readonly Random _random;
    private readonly HashSet<string> _openItems = new(StringComparer.Ordinal);
    private int _requested;
    private int _appends;
    private int _serial;

    public ReplicaDriver(int replica, Func<Task<IReplicaEndpoint>> open, int runs, int seed, int maxOutstanding = 3)
    {
        Replica = replica;
        _open = open;
        Runs = runs;
        MaxOutstanding = maxOutstanding;
        _prefix = "p" + replica.ToString(CultureInfo.InvariantCulture) + "-";
        _own = "r" + replica.ToString(CultureInfo.InvariantCulture) + "/";
        _random = new Random(seed * 7919 + replica);
    }

    public int Replica { get; }

    public int Runs { get; }

    public int MaxOutstanding { get; }

    /// <summary>Called with the coordinator and the append's number before each append (tests arm faults here).</summary>
    public Action<IReplicaEndpoint, int>? BeforeAppend { get; init; }

    /// <summary>
    /// Whether to ride out server faults (killed connections, a restarting server, a locked table): any typed failure of
    /// opening, waiting or appending reopens the coordinator (a restart from snapshot and tail) and sends the same events
    /// again, retrying for up to two minutes. Default false: only a failed append's connection is retried.
    /// </summary>
    public bool RideOutFaults { get; init; }

    /// <summary>
    /// The share of runs (and of changed paths reported outside the claims) drawn from the shared pool; the others use
    /// the same patterns under <c>r{replica}/</c>. Default 1: every replica contends for the same paths.
    /// </summary>
    public double SharedClaims { get; init; } = 1;

    /// <summary>How long to wait with no progress anywhere before giving up. Default 30 s.</summary>
    public TimeSpan StallLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Every event id this replica appended or found logged, with the answer it got.</summary>
    public Dictionary<string, AppendedEvent> Answers { get; } = new(StringComparer.Ordinal);

    public int Restarts { get; private set; }

    public int LostRaces { get; private set; }

    public int DecisionsMade { get; private set; }

    public int EventsAppended { get; private set; }

    public IReplicaEndpoint? Endpoint { get; private set; }

    /// <summary>How long each successful append took, in milliseconds (from the first try to the answer, restarts included).</summary>
    public List<double> AppendMilliseconds { get; } = [];

    /// <summary>How long this replica waited for others in all (every run of its own blocked).</summary>
    public TimeSpan Waiting { get; private set; }

    public int Waits { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Endpoint = await OpenAsync(cancellationToken);
        var stall = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // The version first: the graph read after it is at least as new (a leader's graph moves on its own).
            long version = Endpoint.Version;
            WorkGraph graph = Endpoint.Graph;
            List<PolicyEvent>? events = Next(graph);
            if (events is null)
            {
                if (_requested == Runs && _openItems.Count == 0)
                {
                    return;
                }

                if (stall.Elapsed > StallLimit)
                {
                    throw new TimeoutException($"replica {Replica} made no progress for {StallLimit} at version {Endpoint.Version}");
                }

                // Every run of ours is blocked by another replica's: sleep until someone appends.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(TimeSpan.FromSeconds(2));
                long waitStart = Stopwatch.GetTimestamp();
                Waits++;
                try
                {
                    await Endpoint.WaitForAppendAsync(version, wait.Token);
                    stall.Restart();
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await CatchUpAsync(cancellationToken);
                }
                catch (ClaimLogException) when (RideOutFaults)
                {
                    await ReopenAsync(cancellationToken);
                }

                Waiting += Stopwatch.GetElapsedTime(waitStart);
                continue;
            }

            if (++_appends % 10 == 0)
            {
                events.Add(new Tick("tick-" + (_appends / 10).ToString(CultureInfo.InvariantCulture), 0));
            }

            await AppendAsync(events, cancellationToken);
            stall.Restart();
        }
    }

    private async Task AppendAsync(List<PolicyEvent> events, CancellationToken cancellationToken)
    {
        BeforeAppend?.Invoke(Endpoint!, _appends);
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                AppendResult result = await Endpoint!.AppendAsync(events, cancellationToken);
                AppendMilliseconds.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                LostRaces += result.Attempts - 1;
                DecisionsMade += result.Decisions.Length;
                foreach (AppendedEvent e in result.Events)
                {
                    Answers[e.EventId] = e;
                    EventsAppended += e.AlreadyLogged ? 0 : 1;
                }

                return;
            }
            catch (ClaimLogException ex) when (ex.Code == ClaimLogErrorCode.ConnectionFailed || RideOutFaults)
            {
                // The connection died mid-append: restart from snapshot and tail, then send the same events again.
                await ReopenAsync(cancellationToken);
            }
        }
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Endpoint!.CatchUpAsync(cancellationToken);
        }
        catch (ClaimLogException) when (RideOutFaults)
        {
            await ReopenAsync(cancellationToken);
        }
    }

    private async Task ReopenAsync(CancellationToken cancellationToken)
    {
        Restarts++;
        await Endpoint!.DisposeAsync();
        Endpoint = await OpenAsync(cancellationToken);
    }

    /// <summary>Opens the replica; riding out faults, tries again while the server is away.</summary>
    private async Task<IReplicaEndpoint> OpenAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await _open();
            }
            catch (Exception ex) when (RideOutFaults && ex is ClaimLogException or Npgsql.NpgsqlException && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    /// <summary>The next events to append, or null when this replica must wait for others.</summary>
    private List<PolicyEvent>? Next(WorkGraph graph)
    {
        var live = new List<Run>();
        var ended = new List<string>();
        string? orphan = null;
        foreach (string item in _openItems)
        {
            if (graph.TryGetWorkItem(item, out WorkItem? workItem) && workItem.Status != WorkItemStatus.Open)
            {
                ended.Add(item);
                continue;
            }

            int before = live.Count;
            foreach (Run run in graph.RunsOf(item))
            {
                if (run.Status is RunStatus.Pending or RunStatus.Held or RunStatus.Active)
                {
                    live.Add(run);
                }
            }

            orphan ??= workItem is not null && live.Count == before ? item : null;
        }

        _openItems.ExceptWith(ended);
        Run? active = live.Find(r => r.Status == RunStatus.Active);
        if (active is not null)
        {
            var succeeded = new RunSucceeded(Id("s"), 0, active.Id, active.FencingToken, graph.BaseVersion + 1);
            if (_random.Next(20) == 0)
            {
                // Now and then a change outside the claims: the policy cancels overlapping runs as stale.
                string path = ChangedPool[_random.Next(ChangedPool.Length)];
                succeeded = succeeded with { ChangedPaths = [Shared() ? path : _own + path] };
            }

            return [succeeded];
        }

        if (orphan is not null)
        {
            // An open item whose run ended without a retry: ask again.
            return [new RunRequested(Id("r"), 0, orphan + "-" + _serial.ToString(CultureInfo.InvariantCulture), orphan, [.. Claims()])];
        }

        if (_requested < Runs && live.Count < MaxOutstanding)
        {
            string item = _prefix + "w" + _requested.ToString(CultureInfo.InvariantCulture);
            _requested++;
            _openItems.Add(item);
            return [new WorkItemAdded(Id("a"), 0, item), new RunRequested(Id("r"), 0, item + "-1", item, [.. Claims()])];
        }

        return null;
    }

    private string[] Claims()
    {
        bool shared = Shared();
        if (shared && _random.Next(50) == 0)
        {
            return [];
        }

        int count = 1 + _random.Next(2);
        var lines = new string[count];
        for (int i = 0; i < count; i++)
        {
            string line = ClaimPool[_random.Next(ClaimPool.Length)];
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            lines[i] = shared ? line : string.Concat(line.AsSpan(0, space + 1), _own, line.AsSpan(space + 1));
        }

        return lines;
    }

    /// <summary>Whether the next draw comes from the shared pool (no random draw at all when every draw does).</summary>
    private bool Shared() => SharedClaims >= 1 || _random.NextDouble() < SharedClaims;

    private string Id(string kind) => _prefix + kind + (_serial++).ToString(CultureInfo.InvariantCulture);
}
