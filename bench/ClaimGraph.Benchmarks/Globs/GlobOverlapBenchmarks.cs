using BenchmarkDotNet.Attributes;
using ClaimGraph.Globs;

namespace ClaimGraph.Benchmarks.Globs;

/// <summary>
/// <c>Glob.Overlaps</c> and <c>Glob.TryGetWitness</c> on the pairs claims typically form, against the naive
/// candidate-enumeration baseline. Goal: median under 150 ns and no allocation for <c>Overlaps</c>.
/// </summary>
[MemoryDiagnoser]
public class GlobOverlapBenchmarks
{
    [ParamsSource(nameof(Cases))]
    public OverlapCase Case { get; set; } = null!;

    public static IEnumerable<OverlapCase> Cases() =>
    [
        new("prefixes", "src/billing/**", "src/billing/invoices/**"),
        new("prefixes-disjoint", "src/billing/**", "src/payments/**"),
        new("prefix-ext", "src/billing/**", "**/*.sql"),
        new("ext-disjoint", "docs/**", "*.md"),
        new("file-ext", "src/billing/schema.sql", "**/*.md"),
        new("mid-wild", "src/*/schema.sql", "src/billing/*.sql"),
        new("mid-wild-disjoint", "src/*/db/*.sql", "src/*/api/*.cs"),
    ];

    [GlobalSetup]
    public void Setup() => Case.Check();

    [Benchmark(Baseline = true)]
    public bool Naive() => Case.Naive.Overlaps(out _);

    [Benchmark]
    public bool Overlaps() => Glob.Overlaps(Case.A, Case.B);

    [Benchmark]
    public string? TryGetWitness() => Glob.TryGetWitness(Case.A, Case.B, out string? witness) ? witness : null;
}
