using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Index;

namespace ClaimGraph.Benchmarks.Index;

/// <summary>
/// <see cref="OverlapIndex{TOwner}.Query"/> against the linear scan with the same exact check
/// (<see cref="Glob.Overlaps(Glob, Glob)"/> on every stored entry, hits sorted the same way), on the workload of
/// <see cref="IndexWorkload"/>. Witnesses are computed on demand in both (the index's <see cref="IndexMatch{TOwner}.Witness"/>
/// is lazy), so neither measurement includes them. Selective queries are single files; broad ones are second-level folder prefixes.
/// Setup checks that both give the same answers and prints the hit counts and the index memory per entry.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class OverlapIndexQueryBenchmarks
{
    private IndexedEntry<int>[] _stored = [];
    private OverlapIndex<int> _index = null!;
    private Glob[] _selective = [];
    private Glob[] _sparse = [];
    private Glob[] _broad = [];

    [Params(1_000, 10_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        IndexWorkload workload = IndexWorkload.Load();
        (_, _index, long entryBytes, long indexBytes) = Build(workload, N);

        // What the index holds (an owner's duplicate draws are stored once), in insertion order.
        _stored = [.. _index.Entries.OrderBy(e => e.Sequence)];
        _selective = workload.SelectiveQueries();
        _sparse = workload.SparseQueries();
        _broad = workload.BroadQueries();
        int selectiveHits = 0, sparseHits = 0, broadHits = 0;
        foreach (Glob q in _selective)
        {
            selectiveHits += Check(q);
        }

        foreach (Glob q in _sparse)
        {
            sparseHits += Check(q);
        }

        foreach (Glob q in _broad)
        {
            broadHits += Check(q);
        }

        Console.WriteLine(
            $"// workload: {workload.Source}; N={N} ({_index.Count} stored): index {indexBytes / (double)_index.Count:F0} bytes per stored entry, " +
            $"parsed entries {entryBytes / (double)N:F0} bytes each; " +
            $"hits per query: selective {selectiveHits / (double)_selective.Length:F1}, sparse {sparseHits / (double)_sparse.Length:F1}, " +
            $"broad {broadHits / (double)_broad.Length:F1}");
        Console.WriteLine($"// per-query latency, N={N} (best of 21 runs per query, then over the queries): " +
            $"selective {Latency(_selective)}; sparse {Latency(_sparse)}; broad {Latency(_broad)}");
    }

    /// <summary>Median, 90th percentile and maximum over the queries of each query's best-of-21 time: the goal is per query.</summary>
    private string Latency(Glob[] queries)
    {
        var best = new double[queries.Length];
        for (int i = 0; i < queries.Length; i++)
        {
            best[i] = double.MaxValue;
            for (int run = 0; run < 21; run++)
            {
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                _index.Query(queries[i]);
                best[i] = Math.Min(best[i], System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        }

        System.Array.Sort(best);
        return $"median {best[best.Length / 2]:F1} us, p90 {best[best.Length * 9 / 10]:F1} us, max {best[^1]:F1} us";
    }

    /// <summary>
    /// Builds the index and measures (GC.GetTotalMemory around each step) the memory the parsed entries hold and what
    /// the index adds on top of them.
    /// </summary>
    internal static ((int, ClaimEntry)[] Entries, OverlapIndex<int> Index, long EntryBytes, long IndexBytes) Build(IndexWorkload workload, int n)
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        (int Owner, ClaimEntry Entry)[] entries = workload.Entries(n);
        long parsed = GC.GetTotalMemory(forceFullCollection: true);
        OverlapIndex<int> index = OverlapIndex.Create<int>();
        foreach ((int owner, ClaimEntry entry) in entries)
        {
            index = index.Add(owner, entry);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(entries);
        return (entries, index, parsed - before, after - parsed);
    }

    private int Check(Glob q)
    {
        ImmutableArray<IndexMatch<int>> fromIndex = _index.Query(q);
        List<IndexedEntry<int>> linear = LinearScan(q);
        if (fromIndex.Length != linear.Count)
        {
            throw new InvalidOperationException($"{q}: index {fromIndex.Length} hits, linear scan {linear.Count}");
        }

        for (int i = 0; i < linear.Count; i++)
        {
            if (!ReferenceEquals(fromIndex[i].Stored, linear[i])
                || !(Glob.TryGetWitness(linear[i].Entry.Pattern, q, out string? w) && w == fromIndex[i].Witness))
            {
                throw new InvalidOperationException($"{q}: index and linear scan differ at {i}");
            }
        }

        return linear.Count;
    }

    /// <summary>The naive way: every stored entry through the exact check, hits by owner and sequence.</summary>
    private List<IndexedEntry<int>> LinearScan(Glob q)
    {
        var hits = new List<IndexedEntry<int>>();
        foreach (IndexedEntry<int> stored in _stored)
        {
            if (Glob.Overlaps(stored.Entry.Pattern, q))
            {
                hits.Add(stored);
            }
        }

        hits.Sort((x, y) => x.Owner != y.Owner ? x.Owner.CompareTo(y.Owner) : x.Sequence.CompareTo(y.Sequence));
        return hits;
    }

    [BenchmarkCategory("Selective"), Benchmark(Baseline = true, OperationsPerInvoke = 64)]
    public int LinearScanSelective() => ScanAll(_selective);

    [BenchmarkCategory("Selective"), Benchmark(OperationsPerInvoke = 64)]
    public int IndexSelective() => QueryAll(_selective);

    [BenchmarkCategory("Sparse"), Benchmark(Baseline = true, OperationsPerInvoke = 64)]
    public int LinearScanSparse() => ScanAll(_sparse);

    [BenchmarkCategory("Sparse"), Benchmark(OperationsPerInvoke = 64)]
    public int IndexSparse() => QueryAll(_sparse);

    [BenchmarkCategory("Broad"), Benchmark(Baseline = true, OperationsPerInvoke = 16)]
    public int LinearScanBroad() => ScanAll(_broad);

    [BenchmarkCategory("Broad"), Benchmark(OperationsPerInvoke = 16)]
    public int IndexBroad() => QueryAll(_broad);

    private int ScanAll(Glob[] queries)
    {
        int hits = 0;
        foreach (Glob q in queries)
        {
            hits += LinearScan(q).Count;
        }

        return hits;
    }

    private int QueryAll(Glob[] queries)
    {
        int hits = 0;
        foreach (Glob q in queries)
        {
            hits += _index.Query(q).Length;
        }

        return hits;
    }
}
