using System.Globalization;
using BenchmarkDotNet.Attributes;
using ClaimGraph.Graph;
using ClaimGraph.Oracles.Policy;
using ClaimGraph.Policy;

namespace ClaimGraph.Benchmarks.Policy;

/// <summary>
/// One request with a claim set of 1,000 exact files through <see cref="ClaimPolicy.Step"/> (default options) on the
/// graph of <see cref="PolicyStepBenchmarks"/> (100,000 runs, 1,000 or 10,000 active), against
/// <see cref="ReferencePolicy"/>. Events: <c>free</c>, 1,000 files no run claims (admitted); <c>conflicting</c>, 100 files in
/// each of 10 active runs' corners (held, naming those 10 runs). Setup checks that both decide alike.
/// </summary>
[MemoryDiagnoser]
public class LargeClaimSetStepBenchmarks
{
    private const int TotalRuns = 100_000;
    private const int HeldRuns = 10;
    private const int Files = 1_000;

    private WorkGraph _graph = null!;
    private ReferencePolicy _naive = null!;
    private PolicyEvent _event = null!;

    [Params(1_000, 10_000)]
    public int ActiveRuns { get; set; }

    [Params("free", "conflicting")]
    public string Event { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _graph = PolicyBenchGraph.Build(ActiveRuns, TotalRuns, HeldRuns);
        _naive = ReferencePolicy.From(_graph, PolicyOptions.Default);
        _naive.Apply(new Tick("settle", 0));
        string[] claims = Event == "free"
            ? [.. Enumerable.Range(0, Files).Select(i => string.Create(CultureInfo.InvariantCulture, $"write tools/new/d{i / 50}/f{i}.cs"))]
            : [.. Enumerable.Range(0, Files).Select(i => string.Create(CultureInfo.InvariantCulture, $"write {PolicyBenchGraph.Area(1 + (i / 100 * 37))}/f{i}.cs"))];
        _event = new RunRequested("bench", PolicyBenchGraph.Now, "run-new", PolicyBenchGraph.FreeItem, [.. claims]);
        string[] step = [.. ClaimPolicy.Step(_graph, [_event]).Decisions.Select(d => $"{d.Kind} {d.RunId} {d.Reason}")];
        string[] naive = [.. _naive.Applied(_event).Decisions.Select(d => $"{d.Kind} {d.Run} {d.Reason}")];
        string[] expected = Event == "free" ? ["Admit run-new Admitted"] : ["Hold run-new ClaimConflict"];
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
