using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ClaimGraph.Claims;
using ClaimGraph.Index;

namespace ClaimGraph.Benchmarks.Index;

/// <summary>
/// <see cref="OverlapIndex{TOwner}.Conflicts(ClaimSet)"/> against the linear scan with the same exact check: every
/// owner's claim set through <see cref="ClaimSet.Conflicts(ClaimSet, ClaimSet)"/> (barrier owners as
/// <see cref="ClaimSet.Barrier"/>). The index holds the N entries of <see cref="IndexWorkload"/> (eight per owner)
/// plus <see cref="Barriers"/> barrier owners. Queries: 8 run-shaped claim sets (writes and reads), and 8 read-only
/// ones (which only Write entries can conflict with). Setup checks that both give the same owners.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class OverlapIndexConflictsBenchmarks
{
    /// <summary>Barrier owners added to the index (and to the linear scan's list).</summary>
    public const int Barriers = 4;

    private OverlapIndex<int> _index = null!;
    private (int Owner, ClaimSet Claims)[] _owners = [];
    private ClaimSet[] _mixed = [];
    private ClaimSet[] _readOnly = [];

    [Params(1_000, 10_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        IndexWorkload workload = IndexWorkload.Load();
        (_, _index, _, _) = OverlapIndexQueryBenchmarks.Build(workload, N);

        // Barrier owners sit among the others in owner order (ids N.. are past every entry owner).
        for (int b = 0; b < Barriers; b++)
        {
            _index = _index.Add(N + b, ClaimSet.Barrier);
        }

        _owners = [.. _index.Owners.Select(o => (o, _index.IsBarrier(o) ? ClaimSet.Barrier : ClaimSet.Create(_index.EntriesOf(o).Select(e => e.Entry))))];
        _mixed = workload.ClaimQueries(8, readOnly: false);
        _readOnly = workload.ClaimQueries(8, readOnly: true);
        double mixedHits = 0, readHits = 0;
        foreach (ClaimSet q in _mixed)
        {
            mixedHits += Check(q);
        }

        foreach (ClaimSet q in _readOnly)
        {
            readHits += Check(q);
        }

        Console.WriteLine(
            $"// workload: {workload.Source}; N={N}: {_owners.Length} owners ({Barriers} barriers); conflicting owners per claim set: " +
            $"mixed {mixedHits / _mixed.Length:F1}, read-only {readHits / _readOnly.Length:F1}");
    }

    private int Check(ClaimSet q)
    {
        ImmutableArray<IndexConflict<int>> fromIndex = _index.Conflicts(q);
        List<int> linear = LinearScan(q);
        if (!fromIndex.Select(c => c.Owner).SequenceEqual(linear))
        {
            throw new InvalidOperationException($"{q}: index [{string.Join(", ", fromIndex.Select(c => c.Owner))}] linear [{string.Join(", ", linear)}]");
        }

        return linear.Count;
    }

    /// <summary>The naive way: every owner's claim set through the pairwise check, in owner order.</summary>
    private List<int> LinearScan(ClaimSet q)
    {
        var owners = new List<int>();
        foreach ((int owner, ClaimSet claims) in _owners)
        {
            if (ClaimSet.Conflicts(q, claims).IsConflict)
            {
                owners.Add(owner);
            }
        }

        return owners;
    }

    [BenchmarkCategory("Mixed"), Benchmark(Baseline = true, OperationsPerInvoke = 8)]
    public int LinearScanMixed() => ScanAll(_mixed);

    [BenchmarkCategory("Mixed"), Benchmark(OperationsPerInvoke = 8)]
    public int IndexMixed() => ConflictsAll(_mixed);

    [BenchmarkCategory("ReadOnly"), Benchmark(Baseline = true, OperationsPerInvoke = 8)]
    public int LinearScanReadOnly() => ScanAll(_readOnly);

    [BenchmarkCategory("ReadOnly"), Benchmark(OperationsPerInvoke = 8)]
    public int IndexReadOnly() => ConflictsAll(_readOnly);

    private int ScanAll(ClaimSet[] queries)
    {
        int hits = 0;
        foreach (ClaimSet q in queries)
        {
            hits += LinearScan(q).Count;
        }

        return hits;
    }

    private int ConflictsAll(ClaimSet[] queries)
    {
        int hits = 0;
        foreach (ClaimSet q in queries)
        {
            hits += _index.Conflicts(q).Length;
        }

        return hits;
    }
}
