using BenchmarkDotNet.Attributes;
using ClaimGraph.Globs;

namespace ClaimGraph.Benchmarks.Globs;

/// <summary>
/// Overlap on adversarial pairs whose size grows: many stars in one segment (disjoint, so every candidate must be
/// tried) and many <c>**</c> segments (overlapping, with a long search). The naive baseline grows exponentially with
/// <see cref="Size"/>; ClaimGraph's product search should grow polynomially (O(|a|·|b|)).
/// </summary>
[MemoryDiagnoser]
public class GlobOverlapAdversarialBenchmarks
{
    public enum Shape
    {
        /// <summary><c>a*a*…*a*b</c> against <c>a*a*…*a*c</c>: disjoint, same prefix, N stars each.</summary>
        ManyStars,

        /// <summary><c>a/**/a/**/…/b</c> against <c>a/**/a/**/…/c</c>: N <c>**</c> segments each.</summary>
        ManyGlobstars,
    }

    private OverlapCase _case = null!;

    [Params(Shape.ManyStars, Shape.ManyGlobstars)]
    public Shape Kind { get; set; }

    [Params(2, 4, 8)]
    public int Size { get; set; }

    public static OverlapCase Build(Shape kind, int size) => kind switch
    {
        Shape.ManyStars => new OverlapCase(
            $"stars-{size}",
            "x/" + string.Concat(Enumerable.Repeat("a*", size)) + "b",
            "x/" + string.Concat(Enumerable.Repeat("a*", size)) + "c"),
        _ => new OverlapCase(
            $"globstars-{size}",
            string.Concat(Enumerable.Repeat("a/**/", size)) + "b",
            string.Concat(Enumerable.Repeat("a/**/", size)) + "c"),
    };

    [GlobalSetup]
    public void Setup()
    {
        _case = Build(Kind, Size);
        _case.Check();
    }

    [Benchmark(Baseline = true)]
    public bool Naive() => _case.Naive.Overlaps(out _);

    [Benchmark]
    public bool Overlaps() => Glob.Overlaps(_case.A, _case.B);

    [Benchmark]
    public string? TryGetWitness() => Glob.TryGetWitness(_case.A, _case.B, out string? witness) ? witness : null;
}
