using ClaimGraph.Claims;

namespace ClaimGraph.Tests.Claims;

/// <summary>Conflicts where exclusions decide the answer: each case needs more than the overlap witness.</summary>
public class ExclusionConflictTests
{
    [Theory]
    [InlineData("write src/**\n!src/a/**\n!src/b/**", "read src/{a,b}/**")]
    [InlineData("write **\n!**/*.md", "read docs/*.md")]
    [InlineData("write src/**\n!src/[a-m]*", "read src/[a-c]?")]
    [InlineData("write src/**\n!src/*/gen/**", "write src/*/gen/x/**")]
    [InlineData("write db:billing/**\n!db:billing/**", "write db:billing/schema")]
    [InlineData("write **\n!*", "read a*/**")]
    public void Conflicts_SharedCoverageAllExcluded_ExactlyNone(string left, string right)
    {
        ClaimSet a = ClaimSet.Parse(left);
        ClaimSet b = ClaimSet.Parse(right);

        ClaimConflictResult r = ClaimSet.Conflicts(a, b);

        Assert.False(r.IsConflict, r.ToString());
        Assert.False(ClaimSet.Conflicts(b, a).IsConflict);
    }

    [Theory]
    [InlineData("write **\n!**/*.md", "read docs/**")]
    [InlineData("write src/**\n!src/[a-m]*", "read src/[a-z]")]
    [InlineData("write src/**\n!src/a/**\n!src/b/**", "read src/{a,b,c}/**")]
    [InlineData("write src/**\n!src/*/*", "read src/**")]
    [InlineData("write src/**\n!src/a\n!src/b", "read src/?")]
    public void Conflicts_SomeSharedPathNotExcluded_ExactWitness(string left, string right)
    {
        ClaimSet a = ClaimSet.Parse(left);
        ClaimSet b = ClaimSet.Parse(right);

        ClaimConflictResult r = ClaimSet.Conflicts(a, b);

        Assert.True(r.IsConflict);
        Assert.False(r.IsConservative);
        string w = r.Conflict!.Witness;
        Assert.True(r.Conflict.Left.Pattern.Covers(w), w);
        Assert.True(r.Conflict.Right.Pattern.Covers(w), w);
        Assert.DoesNotContain(a.Exclusions, x => x.Covers(w));
        Assert.DoesNotContain(b.Exclusions, x => x.Covers(w));
    }

    [Fact]
    public void Conflicts_ExclusionInOtherNamespace_DoesNotSubtract()
    {
        ClaimSet a = ClaimSet.Parse("write db:billing/**\n!billing/**");
        ClaimSet b = ClaimSet.Parse("read db:billing/schema");

        ClaimConflictResult r = ClaimSet.Conflicts(a, b);

        Assert.True(r.IsConflict);
        Assert.Equal("billing/schema", r.Conflict!.Witness);
    }

    [Fact]
    public void Conflicts_ExclusionsOnBothSides_BothApply()
    {
        ClaimSet a = ClaimSet.Parse("write src/**\n!src/a/**");
        ClaimSet b = ClaimSet.Parse("write src/{a,b}/**\n!src/b/**");

        Assert.False(ClaimSet.Conflicts(a, b).IsConflict);
    }

    [Fact]
    public void Conflicts_BarrierAgainstFullyExcludedEntries_None()
    {
        ClaimSet b = ClaimSet.Parse("read docs/**\n!docs/**");

        Assert.False(ClaimSet.Conflicts(ClaimSet.Barrier, b).IsConflict);
    }

    [Fact]
    public void Conflicts_BarrierAgainstBarrier_Conflict()
    {
        ClaimConflictResult r = ClaimSet.Conflicts(ClaimSet.Barrier, ClaimSet.Barrier);

        Assert.True(r.IsConflict);
        Assert.True(r.Conflict!.LeftIsBarrier && r.Conflict.RightIsBarrier);
        Assert.Equal("write **", r.Conflict.Left.ToString());
    }

    [Fact]
    public void Conflicts_BarrierAgainstNamespacedEntry_BarrierEntryInThatNamespace()
    {
        ClaimConflictResult r = ClaimSet.Conflicts(ClaimSet.Parse("read db:billing/schema"), ClaimSet.Barrier);

        Assert.True(r.IsConflict);
        Assert.Equal("write db:**", r.Conflict!.Right.ToString());
        Assert.Equal("billing/schema", r.Conflict.Witness);
        Assert.True(r.Conflict.RightIsBarrier);
    }
}
