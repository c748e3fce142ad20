using ClaimGraph.Claims;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Claims;

/// <summary><see cref="ClaimSet.Conflicts(ClaimSet, ClaimSet)"/> against a brute-force reference over a path universe.</summary>
public class ClaimSetProperties
{
    [Property(MaxTest = 1500)]
    public Property Conflicts_RandomSets_NeverMissesAndEveryWitnessProves() =>
        Prop.ForAll(SetPair.Arbitrary(namespaces: true), p =>
        {
            ClaimSet a = p.Left.ToClaimSet();
            ClaimSet b = p.Right.ToClaimSet();

            ClaimConflictResult r = ClaimSet.Conflicts(a, b);

            bool reference = ClaimGen.BruteForceConflict(a, b);
            Assert.True(!reference || r.IsConflict, $"missed conflict: {p}");
            if (r.IsConflict && !r.IsConservative)
            {
                Assert.True(ClaimGen.Proves(r.Conflict, a, b), $"witness does not prove {r}: {p}");
            }

            // These small patterns are well within the search budget: the answer must be exact.
            Assert.False(r.IsConservative, $"conservative on a small case: {r}: {p}");
        });

    [Property(MaxTest = 1000)]
    public Property Conflicts_Swapped_SameAnswerMirroredEvidence() =>
        Prop.ForAll(SetPair.Arbitrary(namespaces: true), p =>
        {
            ClaimSet a = p.Left.ToClaimSet();
            ClaimSet b = p.Right.ToClaimSet();

            ClaimConflictResult ab = ClaimSet.Conflicts(a, b);
            ClaimConflictResult ba = ClaimSet.Conflicts(b, a);

            Assert.Equal(ab.IsConflict, ba.IsConflict);
            Assert.Equal(ab.IsConservative, ba.IsConservative);
            Assert.Equal(ab, ba.Mirror());
        });

    [Property(MaxTest = 1000)]
    public Property Parse_TextOfSet_RoundTrips() =>
        Prop.ForAll(SetPair.Arbitrary(namespaces: true), p =>
        {
            ClaimSet a = p.Left.ToClaimSet();
            if (a.Entries.Concat(a.Exclusions.Select(x => new ClaimEntry(ClaimMode.Read, x))).Any(e => e.Pattern.IgnoreCase))
            {
                // The text form carries no per-pattern options.
                return;
            }

            Assert.Equal(a, ClaimSet.Parse(a.ToString()));
        });
}
