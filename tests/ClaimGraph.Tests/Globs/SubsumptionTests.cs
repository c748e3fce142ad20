using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Globs;

/// <summary>The sound "covers every path of" check that lets an exclusion settle a pair without a search.</summary>
public class SubsumptionTests
{
    [Theory]
    [InlineData("src/gen/**", "src/gen/x.cs")]
    [InlineData("src/gen/**", "src/gen/**")]
    [InlineData("src/*/bin", "src/a/bin/x")]
    [InlineData("docs/*.md", "docs/a.md")]
    [InlineData("docs/a*", "docs/ab*/**")]
    [InlineData("docs/*b", "docs/{ab,cb}")]
    [InlineData("src/**", "src/{a,b}/**")]
    [InlineData("SRC/**", "src/**", true, false)]
    public void CoversAll_WiderPrefix_True(string outer, string inner, bool outerIgnoresCase = false, bool innerIgnoresCase = false)
    {
        Glob o = Glob.Parse(outer, outerIgnoresCase ? GlobOptions.IgnoreCase : GlobOptions.None);
        Glob i = Glob.Parse(inner, innerIgnoresCase ? GlobOptions.IgnoreCase : GlobOptions.None);

        Assert.True(Subsumption.CoversAll(o, i));
    }

    [Theory]
    [InlineData("src/gen/**", "src/**")]
    [InlineData("src/a/**", "src/{a,b}/**")]
    [InlineData("docs/*.md", "docs/*")]
    [InlineData("db:src/**", "src/a")]
    [InlineData("src/**", "SRC/a", false, true)]
    [InlineData("**/*.md", "docs/a.md")] // covered, but not of the recognised shape: "not shown"
    public void CoversAll_NotShown_False(string outer, string inner, bool outerIgnoresCase = false, bool innerIgnoresCase = false)
    {
        Glob o = Glob.Parse(outer, outerIgnoresCase ? GlobOptions.IgnoreCase : GlobOptions.None);
        Glob i = Glob.Parse(inner, innerIgnoresCase ? GlobOptions.IgnoreCase : GlobOptions.None);

        Assert.False(Subsumption.CoversAll(o, i));
    }
}
