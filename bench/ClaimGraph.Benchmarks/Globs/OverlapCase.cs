using ClaimGraph.Globs;
using ClaimGraph.Oracles.Globs;

namespace ClaimGraph.Benchmarks.Globs;

/// <summary>
/// A named pair of patterns for the overlap benchmarks, with both sides parsed and the naive baseline prepared.
/// <see cref="Check"/> makes sure the baseline and ClaimGraph agree before anything is measured.
/// </summary>
public sealed class OverlapCase
{
    public OverlapCase(string name, string a, string b)
    {
        Name = name;
        A = Glob.Parse(a);
        B = Glob.Parse(b);
        Naive = new NaiveOverlap(a, b);
    }

    public string Name { get; }

    public Glob A { get; }

    public Glob B { get; }

    public NaiveOverlap Naive { get; }

    public void Check()
    {
        bool expected = Glob.Overlaps(A, B);
        bool naive = Naive.Overlaps(out string? witness);
        if (naive != expected || (witness is not null && !(A.Covers(witness) && B.Covers(witness))))
        {
            throw new InvalidOperationException($"{Name}: '{A}' and '{B}': ClaimGraph {expected}, naive {naive} (witness '{witness}')");
        }
    }

    /// <summary>Shown in the results table.</summary>
    public override string ToString() => Name;
}
