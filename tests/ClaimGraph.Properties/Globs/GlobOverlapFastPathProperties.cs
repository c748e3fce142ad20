using ClaimGraph.Globs;
using ClaimGraph.Oracles.Globs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Globs;

/// <summary>A pair of patterns in the shapes claims usually take, as segment texts so that it shrinks by dropping segments.</summary>
internal sealed record TypicalPair(string[] A, bool IgnoreCaseA, string[] B, bool IgnoreCaseB)
{
    /// <summary>Literals (one with an escaped '\', never a valid name), prefixes, suffixes, stars, globstars, a set, a brace.</summary>
    private static readonly string[] Segments =
    [
        "src", "SRC", "a", "A", "b", ".a", "a.md", "x.MD", "\\\\ab", "*", "**", "*.md", "*.MD", "*a", "a*", "A*", ".*", "*.", "s*", "*c", "[ab]", "{a,b*}",
    ];

    private static readonly Gen<(string[], bool)> Side =
        from count in Gen.Choose(1, 4)
        from segs in Gen.ArrayOf(Gen.Elements(Segments), count)
        from ignoreCase in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        select (segs, ignoreCase);

    public static readonly Arbitrary<TypicalPair> Arbitrary = Arb.From(
        from a in Side
        from b in Side
        select new TypicalPair(a.Item1, a.Item2, b.Item1, b.Item2),
        p => GlobGen.DropOne(p.A, 1).Select(a => p with { A = a }).Concat(GlobGen.DropOne(p.B, 1).Select(b => p with { B = b })));

    public Glob ParseA() => Glob.Parse(string.Join("/", A), IgnoreCaseA ? GlobOptions.IgnoreCase : GlobOptions.None);

    public Glob ParseB() => Glob.Parse(string.Join("/", B), IgnoreCaseB ? GlobOptions.IgnoreCase : GlobOptions.None);

    public override string ToString() =>
        $"'{string.Join("/", A)}'{(IgnoreCaseA ? " IgnoreCase" : string.Empty)} vs '{string.Join("/", B)}'{(IgnoreCaseB ? " IgnoreCase" : string.Empty)}";
}

/// <summary>
/// The fast paths of <see cref="Glob.Overlaps(Glob, Glob)"/> and <see cref="Glob.TryGetWitness"/> (walking shared
/// segments in step, "accepts everything" remainders, literal and affix segment tests, the heap-based witness search)
/// against <see cref="ReferenceOverlap"/>, the general algorithm without them: same answers, same witnesses.
/// </summary>
public class GlobOverlapFastPathProperties
{
    private static void AssertSameAsReference(Glob a, Glob b)
    {
        bool expected = ReferenceOverlap.Overlaps(a, b);
        Assert.True(Glob.Overlaps(a, b) == expected, $"Overlaps: fast {!expected}, general {expected}");
        string? reference = ReferenceOverlap.Witness(a, b);
        Glob.TryGetWitness(a, b, out string? witness);
        Assert.True(witness == reference, $"witness: fast '{witness}', general '{reference}'");
        foreach (Alternative x in a.Alternatives)
        {
            foreach (Alternative y in b.Alternatives)
            {
                foreach (Segment s in x.Cover)
                {
                    foreach (Segment t in y.Cover)
                    {
                        int name = CommonName.Shortest(s, t, witness: null);
                        Assert.True(GlobOverlap.SegmentsIntersect(s, t) == name >= 0, $"segments '{string.Concat(s.Tokens.Select(k => k.C))}' and '{string.Concat(t.Tokens.Select(k => k.C))}': intersect, name {name}");
                        Assert.True(CommonName.Length(s, t) == name, $"segments {s.Kind} '{s.Literal}' and {t.Kind} '{t.Literal}': fast length {CommonName.Length(s, t)}, name {name}");
                    }
                }
            }
        }
    }

    [Property(MaxTest = 2000)]
    public Property FastPaths_TypicalShapes_EqualGeneralAlgorithm() =>
        Prop.ForAll(TypicalPair.Arbitrary, p => AssertSameAsReference(p.ParseA(), p.ParseB()));

    [Property(MaxTest = 1000)]
    public Property FastPaths_RandomPairs_EqualGeneralAlgorithm() =>
        Prop.ForAll(OverlapCase.Arbitrary, c => AssertSameAsReference(c.A.Parse(), c.B.Parse()));
}
