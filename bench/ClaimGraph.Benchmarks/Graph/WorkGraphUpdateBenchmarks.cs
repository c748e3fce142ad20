using BenchmarkDotNet.Attributes;
using ClaimGraph.Graph;
using QuikGraph;

namespace ClaimGraph.Benchmarks.Graph;

/// <summary>
/// One change to a graph of 1,000 to 100,000 work items, keeping the old graph intact. The baseline is what keeping
/// the old version costs with QuikGraph's mutable <see cref="BidirectionalGraph{TVertex, TEdge}"/>: copy it, then add
/// the edge (and it does not even check for a cycle). Goal: every <see cref="WorkGraph"/> update O(log n), so flat
/// across sizes while the copy grows linearly.
/// </summary>
[MemoryDiagnoser]
public class WorkGraphUpdateBenchmarks
{
    private GraphWorkload _workload = null!;
    private Run _newRun = null!;
    private Run _activated = null!;
    private string _newest = null!;
    private string _middle = null!;
    private string _early = null!;

    [Params(1_000, 10_000, 100_000)]
    public int Items { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _workload = new GraphWorkload(Items);
        _newest = GraphWorkload.Id(Items - 1);
        _middle = GraphWorkload.Id(Items / 2);
        _early = GraphWorkload.Id(Items / 4);
        _newRun = new Run("new-run", _middle, GraphWorkload.Claims[0]) { RequestedAt = Items };
        (_, _activated) = _workload.PendingRun();

        // The operations must succeed (and not be no-ops), or the numbers mean nothing.
        Check(_workload.Graph.AddDependency(_newest, _middle));
        Check(_workload.Graph.AddDependency(_middle, _early));
        Check(_workload.Graph.AddRun(_newRun));
        Check(_workload.Graph.WithRun(_activated));
    }

    [Benchmark(Baseline = true)]
    public int QuikGraphCopyThenAddEdge()
    {
        BidirectionalGraph<string, SEquatableEdge<string>> copy = _workload.Quik.Clone();
        copy.AddEdge(new SEquatableEdge<string>(_middle, _newest));
        return copy.EdgeCount;
    }

    /// <summary>The newest item (nothing depends on it yet) gains a dependency: the common case.</summary>
    [Benchmark]
    public WorkGraph AddDependency() => _workload.Graph.AddDependency(_newest, _middle).Value;

    /// <summary>An item in the middle, with upstream and downstream items, gains a dependency on an earlier one.</summary>
    [Benchmark]
    public WorkGraph AddDependencyBetweenConnectedItems() => _workload.Graph.AddDependency(_middle, _early).Value;

    [Benchmark]
    public WorkGraph AddRun() => _workload.Graph.AddRun(_newRun).Value;

    /// <summary>A pending run becomes active: queue, overlap index, counts and readiness all follow.</summary>
    [Benchmark]
    public WorkGraph ChangeRunState() => _workload.Graph.WithRun(_activated).Value;

    private static void Check(GraphResult result)
    {
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException(result.ToString());
        }
    }
}
