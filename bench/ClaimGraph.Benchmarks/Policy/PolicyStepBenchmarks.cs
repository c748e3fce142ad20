using BenchmarkDotNet.Attributes;
using ClaimGraph.Graph;
using ClaimGraph.Oracles.Policy;
using ClaimGraph.Policy;

namespace ClaimGraph.Benchmarks.Policy;

/// <summary>
/// One event through <see cref="ClaimPolicy.Step"/> on a graph of 100,000 runs of which 1,000 or 10,000 are active,
/// against <see cref="ReferencePolicy"/> (recompute everything). The events: a request on free claims (admitted), the
/// success of the run a held run waits for (which admits it), a transient failure (a retry held in backoff), an
/// amendment of an active run by five free claim lines (granted).
/// Goals: under 50 µs median at 10,000 active runs, flat in the number of active runs, 100x the baseline or better.
/// </summary>
[MemoryDiagnoser]
public class PolicyStepBenchmarks
{
    private const int TotalRuns = 100_000;
    private const int HeldRuns = 10;

    /// <summary>What the amendment adds: five lines no run claims against (the active runs write only under <c>src/</c>).</summary>
    private static readonly string[] AmendedClaims =
        ["write tools/new/**", "read docs/**", "append CHANGELOG.md", "write tests/new/**", "read build/*.props"];

    private WorkGraph _graph = null!;
    private ReferencePolicy _naive = null!;
    private PolicyEvent _event = null!;

    [Params(1_000, 10_000)]
    public int ActiveRuns { get; set; }

    [Params("request", "success", "failure", "amend")]
    public string Event { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _graph = PolicyBenchGraph.Build(ActiveRuns, TotalRuns, HeldRuns);
        _naive = ReferencePolicy.From(_graph, PolicyOptions.Default);
        _naive.Apply(new Tick("settle", 0));
        long now = PolicyBenchGraph.Now;
        _event = Event switch
        {
            "request" => new RunRequested("bench", now, "run-new", PolicyBenchGraph.FreeItem, ["write tools/new/**", "read docs/shared/**"]),
            "success" => new RunSucceeded("bench", now, PolicyBenchGraph.ActiveRun(0), 1, 1) { ChangedPaths = [PolicyBenchGraph.Area(0) + "/a.cs"] },
            "failure" => new RunFailed("bench", now, PolicyBenchGraph.ActiveRun(1), 2, Transient: true),
            "amend" => new ClaimsAmended("bench", now, PolicyBenchGraph.ActiveRun(2), 3, [.. AmendedClaims]),
            _ => throw new InvalidOperationException("unknown event " + Event),
        };

        // Both must do the work the benchmark is about, and decide alike.
        string[] expected = Event switch
        {
            "request" => ["Admit run-new Admitted"],
            "success" => [$"Admit {PolicyBenchGraph.HeldRun(0)} Admitted"],
            "amend" => [$"Admit {PolicyBenchGraph.ActiveRun(2)} AmendmentGranted"],
            _ => [$"Retry {PolicyBenchGraph.ActiveRun(1)} TransientFailure", $"Hold {PolicyBenchGraph.ActiveItem(1)}#2 BackoffPending"],
        };
        string[] step = [.. ClaimPolicy.Step(_graph, [_event]).Decisions.Select(d => $"{d.Kind} {d.RunId} {d.Reason}")];
        string[] naive = [.. _naive.Applied(_event).Decisions.Select(d => $"{d.Kind} {d.Run} {d.Reason}")];
        if (!step.SequenceEqual(expected) || !naive.SequenceEqual(expected))
        {
            throw new InvalidOperationException(
                $"'{Event}': expected [{string.Join(", ", expected)}], Step gave [{string.Join(", ", step)}], the baseline [{string.Join(", ", naive)}]");
        }
    }

    [Benchmark(Baseline = true)]
    public int Naive() => _naive.Applied(_event).Decisions.Count;

    [Benchmark]
    public int Step() => ClaimPolicy.Step(_graph, [_event]).Decisions.Length;
}
