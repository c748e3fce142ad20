using ClaimGraph.Globs;
using ClaimGraph.Index;
using ClaimGraph.Properties.Claims;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Index;

/// <summary>The index's cheap overlap decision agrees with <see cref="Glob.Overlaps(Glob, Glob)"/> whenever it decides.</summary>
public class FastOverlapProperties
{
    private static readonly Arbitrary<(PatternSpec, PatternSpec)> Pairs = Arb.From(
        from a in ClaimGen.Pattern(namespaces: true)
        from b in ClaimGen.Pattern(namespaces: true)
        select (a, b),
        p => ClaimGen.ShrinkPattern(p.Item1).Select(a => (a, p.Item2)).Concat(ClaimGen.ShrinkPattern(p.Item2).Select(b => (p.Item1, b))));

    [Property(MaxTest = 3000)]
    public Property Decide_RandomPairs_AgreesWithExactOverlap() =>
        Prop.ForAll(Pairs, p =>
        {
            Glob a = p.Item1.Parse(), b = p.Item2.Parse();
            int fast = FastOverlap.Decide(a, b);
            Assert.True(fast < 0 || (fast == 1) == Glob.Overlaps(a, b), $"{p.Item1} vs {p.Item2}: fast {fast}, exact {Glob.Overlaps(a, b)}");
            Assert.Equal(fast, FastOverlap.Decide(b, a));
        });
}
