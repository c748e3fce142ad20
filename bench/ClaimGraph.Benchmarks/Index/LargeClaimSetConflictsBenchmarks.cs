using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Index;

namespace ClaimGraph.Benchmarks.Index;

/// <summary>
/// One claim set of 1,000 exact files (a large commit claimed file by file, not coarsened to folders) through
/// <see cref="OverlapIndex{TOwner}.Conflicts(ClaimSet)"/>, against the linear scan with the same exact check (every
/// owner's claim set through <see cref="ClaimSet.Conflicts(ClaimSet, ClaimSet)"/>). The index holds the N entries of
/// <see cref="IndexWorkload"/> (eight per owner). Shapes: <c>folder</c>, 1,000 files in a row of the sorted tree (a
/// commit that touches one subtree); <c>scattered</c>, every k-th file of the tree (a repository-wide rename). Setup
/// checks that both give the same owners.
/// </summary>
[MemoryDiagnoser]
public class LargeClaimSetConflictsBenchmarks
{
    /// <summary>Entries in the claim set.</summary>
    public const int Entries = 1_000;

    private OverlapIndex<int> _index = null!;
    private (int Owner, ClaimSet Claims)[] _owners = [];
    private ClaimSet _query = null!;

    [Params(1_000, 10_000)]
    public int N { get; set; }

    [Params("folder", "scattered")]
    public string Shape { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        IndexWorkload workload = IndexWorkload.Load();
        (_, _index, _, _) = OverlapIndexQueryBenchmarks.Build(workload, N);
        _owners = [.. _index.Owners.Select(o => (o, ClaimSet.Create(_index.EntriesOf(o).Select(e => e.Entry))))];
        _query = Files(workload, Shape);
        int[] linear = LinearScan();
        ImmutableArray<IndexConflict<int>> fromIndex = _index.Conflicts(_query);
        if (!fromIndex.Select(c => c.Owner).SequenceEqual(linear))
        {
            throw new InvalidOperationException($"{Shape}: index and linear scan disagree ({fromIndex.Length} vs {linear.Length} owners)");
        }

        Console.WriteLine($"// workload: {workload.Source}; N={N}, {Shape}: {_query.Entries.Length} entries, {linear.Length} conflicting owners");
    }

    /// <summary>1,000 exact write claims: consecutive files of the sorted tree, or spread evenly over it.</summary>
    internal static ClaimSet Files(IndexWorkload workload, string shape)
    {
        string[] sorted = [.. workload.Files.Order(StringComparer.Ordinal)];
        IEnumerable<string> picked = shape == "folder"
            ? sorted.Skip(sorted.Length / 3).Take(Entries)
            : Enumerable.Range(0, Entries).Select(i => sorted[(int)((long)i * sorted.Length / Entries)]);
        return ClaimSet.Create(picked.Select(f => new ClaimEntry(ClaimMode.Write, Glob.Parse(Glob.EscapeLiteral(f)))));
    }

    private int[] LinearScan()
    {
        var owners = new List<int>();
        foreach ((int owner, ClaimSet claims) in _owners)
        {
            if (ClaimSet.Conflicts(_query, claims).IsConflict)
            {
                owners.Add(owner);
            }
        }

        return [.. owners];
    }

    [Benchmark(Baseline = true)]
    public int LinearScanConflicts() => LinearScan().Length;

    [Benchmark]
    public int IndexConflicts() => _index.Conflicts(_query).Length;
}
