using BenchmarkDotNet.Attributes;
using ClaimGraph.Graph;
using ClaimGraph.Serialization;

namespace ClaimGraph.Benchmarks.Graph;

/// <summary>
/// Saving and loading a snapshot of 100,000 runs (on 50,000 work items, two attempts each). The baseline rebuilds the
/// same graph with single updates, the way an orchestrator without snapshots would replay it.
/// </summary>
[MemoryDiagnoser]
public class SnapshotBenchmarks
{
    private WorkGraph _graph = null!;
    private byte[] _saved = null!;
    private WorkItem[] _items = null!;
    private Run[] _runs = null!;
    private (string From, string To)[] _edges = null!;

    // The workload's runs are random (active runs of one module conflict, two attempts of an item may both be active):
    // it is not a graph the policy would make, so the load skips the invariant checks and measures reading alone.
    private static readonly SnapshotLoadOptions Unchecked = new() { CheckInvariants = false };

    [Params(100_000)]
    public int Runs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _graph = new GraphWorkload(Runs / 2, runsPerItem: 2).Graph;
        _saved = WorkGraphSnapshot.SaveToUtf8Bytes(_graph);
        _items = [.. _graph.WorkItems.Values];
        _runs = [.. _graph.Runs.Values];
        _edges = [.. _items.SelectMany(i => _graph.DependenciesOf(i.Id).Select(d => (i.Id, d)))];
        if (_graph.RunCount != Runs || !WorkGraphSnapshot.Load(_saved, Unchecked).Equals(_graph) || !Replay().Equals(_graph))
        {
            throw new InvalidOperationException("The snapshot does not round-trip.");
        }
    }

    [Benchmark(Baseline = true)]
    public WorkGraph ReplayWithSingleUpdates() => Replay();

    [Benchmark]
    public byte[] Save() => WorkGraphSnapshot.SaveToUtf8Bytes(_graph);

    [Benchmark]
    public WorkGraph Load() => WorkGraphSnapshot.Load(_saved, Unchecked);

    private WorkGraph Replay()
    {
        WorkGraph g = WorkGraph.Empty;
        foreach (WorkItem item in _items)
        {
            g = g.AddWorkItem(item).Value;
        }

        foreach ((string from, string to) in _edges)
        {
            g = g.AddDependency(from, to).Value;
        }

        foreach (Run run in _runs)
        {
            g = g.AddRun(run).Value;
        }

        return g;
    }
}
