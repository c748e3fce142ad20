using ClaimGraph.Globs;
using ClaimGraph.Oracles.Globs;
using ClaimGraph.Properties.Claims;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Index;

/// <summary>
/// The overlap check the index runs on every candidate (<see cref="Glob.Overlaps(Glob, Glob)"/>, decided by a walk in step
/// and a satisfiability test, with no product search) agrees with the general product-search algorithm kept verbatim in
/// <see cref="ReferenceOverlap"/>, on claim-shaped pairs with namespaces.
/// </summary>
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
            bool fast = Glob.Overlaps(a, b);
            Assert.True(fast == ReferenceOverlap.Overlaps(a, b), $"{p.Item1} vs {p.Item2}: overlap {fast}, product search {ReferenceOverlap.Overlaps(a, b)}");
            Assert.Equal(fast, Glob.Overlaps(b, a));
        });
}
