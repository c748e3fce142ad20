using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ClaimGraph.Claims;
using ClaimGraph.Index;

namespace ClaimGraph.Benchmarks.Index;

/// <summary>
/// One <see cref="OverlapIndex{TOwner}.Add(TOwner, ClaimEntry)"/> and one
/// <see cref="OverlapIndex{TOwner}.Remove(TOwner, ClaimEntry)"/> on an index of N entries (each returns a new
/// version; the stored one is not changed). Baseline: the same on a persistent list (<see cref="ImmutableList{T}"/>),
/// the naive store a linear scan would use (its removal searches the list for the entry).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class OverlapIndexUpdateBenchmarks
{
    private OverlapIndex<int> _index = null!;
    private ImmutableList<(int, ClaimEntry)> _list = ImmutableList<(int, ClaimEntry)>.Empty;
    private (int Owner, ClaimEntry Entry)[] _fresh = [];
    private (int Owner, ClaimEntry Entry)[] _stored = [];

    [Params(1_000, 10_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        IndexWorkload workload = IndexWorkload.Load();
        (int Owner, ClaimEntry Entry)[] all = workload.Entries(N + 64);
        (_, _index, _, _) = OverlapIndexQueryBenchmarks.Build(workload, N);
        _list = ImmutableList.CreateRange(all[..N]);

        // New entries for fresh owners, and stored entries spread over the index.
        _fresh = all[N..].Select((e, i) => (N + i, e.Entry)).ToArray();
        _stored = Enumerable.Range(0, 64).Select(i => all[(int)((long)i * N / 64)]).ToArray();
    }

    [BenchmarkCategory("Add"), Benchmark(Baseline = true, OperationsPerInvoke = 64)]
    public int ListAdd()
    {
        int total = 0;
        foreach ((int owner, ClaimEntry entry) in _fresh)
        {
            total += _list.Add((owner, entry)).Count;
        }

        return total;
    }

    [BenchmarkCategory("Add"), Benchmark(OperationsPerInvoke = 64)]
    public int IndexAdd()
    {
        int total = 0;
        foreach ((int owner, ClaimEntry entry) in _fresh)
        {
            total += _index.Add(owner, entry).Count;
        }

        return total;
    }

    [BenchmarkCategory("Remove"), Benchmark(Baseline = true, OperationsPerInvoke = 64)]
    public int ListRemove()
    {
        int total = 0;
        foreach ((int owner, ClaimEntry entry) in _stored)
        {
            total += _list.Remove((owner, entry)).Count;
        }

        return total;
    }

    [BenchmarkCategory("Remove"), Benchmark(OperationsPerInvoke = 64)]
    public int IndexRemove()
    {
        int total = 0;
        foreach ((int owner, ClaimEntry entry) in _stored)
        {
            total += _index.Remove(owner, entry).Count;
        }

        return total;
    }
}
