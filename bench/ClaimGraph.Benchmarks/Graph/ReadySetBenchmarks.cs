using BenchmarkDotNet.Attributes;
using ClaimGraph.Graph;
using QuikGraph.Algorithms;

namespace ClaimGraph.Benchmarks.Graph;

/// <summary>
/// The ready-work query and the topological order on 10,000 work items. beads reports 30 ms for its ready-work query
/// at 10,000 issues; the goal here is under 1 ms. The baseline scans a QuikGraph copy with a status table.
/// </summary>
[MemoryDiagnoser]
public class ReadySetBenchmarks
{
    private GraphWorkload _workload = null!;
    private WorkItem _closing = null!;

    [Params(10_000)]
    public int Items { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _workload = new GraphWorkload(Items);
        _closing = _workload.Graph.WorkItems.Values.First(i => i.Status == WorkItemStatus.Open && _workload.Graph.DependentsOf(i.Id).Count > 0) with
        {
            Status = WorkItemStatus.Done,
        };
        List<string> naive = _workload.NaiveReady();
        if (!naive.SequenceEqual(_workload.Graph.ReadyWorkItems))
        {
            throw new InvalidOperationException("The naive and the maintained ready sets differ.");
        }
    }

    [Benchmark(Baseline = true)]
    public int NaiveScan() => _workload.NaiveReady().Count;

    /// <summary>Reading the maintained ready set and listing its ids.</summary>
    [Benchmark]
    public int ReadyWorkItems()
    {
        int count = 0;
        foreach (string id in _workload.Graph.ReadyWorkItems)
        {
            count += id.Length > 0 ? 1 : 0;
        }

        return count;
    }

    /// <summary>Closing an item (its dependents' readiness is recomputed) and then listing the ready set.</summary>
    [Benchmark]
    public int CloseItemThenReadyWorkItems() => _workload.Graph.WithWorkItem(_closing).Value.ReadyWorkItems.Count;

    [Benchmark]
    public int TopologicalOrder() => _workload.Graph.TopologicalOrder().Length;

    [Benchmark]
    public int QuikGraphTopologicalSortOfCopy() => _workload.Quik.TopologicalSort().Count();

    [Benchmark]
    public int QuikGraphTopologicalSortOfView() => _workload.Graph.AsQuikGraph().TopologicalSort().Count();
}
