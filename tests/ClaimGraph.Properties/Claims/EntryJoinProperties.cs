using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Claims;

/// <summary>The pair filter used for large claim sets keeps every overlapping pair (and only lists each once, in order).</summary>
public class EntryJoinProperties
{
    private static readonly Arbitrary<(EntrySpec[], EntrySpec[])> Lists = Arb.From(
        from n in Gen.Choose(0, 12)
        from a in Gen.ArrayOf(ClaimGen.Entry(namespaces: true), n)
        from m in Gen.Choose(0, 12)
        from b in Gen.ArrayOf(ClaimGen.Entry(namespaces: true), m)
        select (a, b),
        p => Enumerable.Range(0, p.Item1.Length).Select(i => (p.Item1.Where((_, k) => k != i).ToArray(), p.Item2))
            .Concat(Enumerable.Range(0, p.Item2.Length).Select(i => (p.Item1, p.Item2.Where((_, k) => k != i).ToArray()))));

    [Property(MaxTest = 1500)]
    public Property Candidates_RandomEntries_ContainEveryOverlappingPairInOrder() =>
        Prop.ForAll(Lists, p =>
        {
            ImmutableArray<ClaimEntry> a = [.. p.Item1.Select(e => e.ToEntry())];
            ImmutableArray<ClaimEntry> b = [.. p.Item2.Select(e => e.ToEntry())];

            List<int>[] candidates = EntryJoin.Candidates(a, b);

            for (int i = 0; i < a.Length; i++)
            {
                Assert.Equal(candidates[i].Order().Distinct(), candidates[i]);
                for (int j = 0; j < b.Length; j++)
                {
                    Assert.True(
                        !Glob.Overlaps(a[i].Pattern, b[j].Pattern) || candidates[i].Contains(j),
                        $"{a[i]} and {b[j]} overlap but the pair was filtered out");
                }
            }
        });
}
