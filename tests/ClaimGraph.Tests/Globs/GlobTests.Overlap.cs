using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Globs;

public partial class GlobTests
{
    [Theory]
    [InlineData("src/billing/**", "src/*/schema.sql", "src/billing/schema.sql")]
    [InlineData("src/*.py", "src/foo*", "src/foo.py")]
    [InlineData("src/**", "src/app.py", "src/app.py")]
    [InlineData("src/billing", "src/billing/a.sql", "src/billing/a.sql")]
    [InlineData("**", "**", "a")]
    [InlineData("a/**", "**/b", "a/b")]
    [InlineData("*", ".*", ".a")]
    [InlineData("{x,y}/a", "y/*", "y/a")]
    [InlineData("[!a]", "?", "b")]
    [InlineData("a/b/c", "a", "a/b/c")]
    public void TryGetWitness_OverlappingPatterns_GivesShortestCommonPathInBothOrders(string a, string b, string expected)
    {
        Glob x = Glob.Parse(a), y = Glob.Parse(b);
        Assert.True(Glob.Overlaps(x, y));
        Assert.True(x.Overlaps(y));
        Assert.True(Glob.TryGetWitness(x, y, out string? w));
        Assert.Equal(expected, w);
        Assert.True(Glob.TryGetWitness(y, x, out string? w2));
        Assert.Equal(expected, w2);
        Assert.True(x.Covers(w) && y.Covers(w));
    }

    [Theory]
    [InlineData("docs/**", "*.md")]
    [InlineData("a*b", "c*b")]
    [InlineData("src/a/**", "src/b/**")]
    [InlineData("*.py", "*.md")]
    [InlineData("[ab]", "[cd]")]
    [InlineData("[!a]", "a")]
    [InlineData("\\\\", "**")]
    [InlineData("db:a", "a")]
    [InlineData("db:**", "svc:**")]
    public void Overlaps_DisjointPatterns_FalseWithoutWitness(string a, string b)
    {
        Glob x = Glob.Parse(a), y = Glob.Parse(b);
        Assert.False(Glob.Overlaps(x, y));
        Assert.False(Glob.Overlaps(y, x));
        Assert.False(Glob.TryGetWitness(x, y, out string? w));
        Assert.Null(w);
    }

    [Fact]
    public void TryGetWitness_AnywhereMarkdownAndDirectory_WitnessUnderDirectory()
    {
        Glob a = Glob.Parse("**/*.md");
        Glob b = Glob.Parse("src/detectors/**");
        Assert.True(Glob.TryGetWitness(a, b, out string? w));
        Assert.Equal("src/detectors/.md", w); // the shortest: '*' may be empty
        Assert.True(a.Covers(w) && b.Covers(w));
    }

    [Fact]
    public void Overlaps_SameNamespace_ComparesPatterns()
    {
        Assert.True(Glob.Overlaps(Glob.Parse("db:billing/*"), Glob.Parse("db:billing/schema")));
        Assert.True(Glob.TryGetWitness(Glob.Parse("db:billing/*"), Glob.Parse("db:**"), out string? w));
        Assert.Equal("billing/a", w);
    }

    [Theory]
    [InlineData("*", ".*")]
    [InlineData("*..", "*")]
    [InlineData("**/.*", "docs/**")]
    [InlineData("**/.git*", "*/**")]
    [InlineData("..*", "**")]
    public void Overlaps_StarAgainstDotPrefixOrSuffix_True(string a, string b)
    {
        // Regression: a star against the literal '.' or '..' with a star was taken for the name '.' or '..'.
        Glob x = Glob.Parse(a), y = Glob.Parse(b);
        Assert.True(Glob.Overlaps(x, y));
        Assert.True(Glob.Overlaps(y, x));
        Assert.True(Glob.TryGetWitness(x, y, out string? w));
        Assert.True(x.Covers(w) && y.Covers(w));
    }

    [Theory]
    [InlineData("SRC/A", GlobOptions.IgnoreCase, "src/a", GlobOptions.None, true)]
    [InlineData("SRC/A", GlobOptions.None, "src/a", GlobOptions.None, false)]
    [InlineData("[A-C]x", GlobOptions.IgnoreCase, "bX", GlobOptions.IgnoreCase, true)]
    [InlineData("[!a]", GlobOptions.IgnoreCase, "A", GlobOptions.None, false)]
    [InlineData("s", GlobOptions.IgnoreCase, "\u017F", GlobOptions.None, true)]
    public void Overlaps_IgnoreCase_AppliesEachPatternsOwnOption(string a, GlobOptions oa, string b, GlobOptions ob, bool expected)
    {
        Glob x = Glob.Parse(a, oa), y = Glob.Parse(b, ob);
        Assert.Equal(expected, Glob.Overlaps(x, y));
        Assert.Equal(expected, Glob.TryGetWitness(x, y, out string? w));
        Assert.True(!expected || (x.Covers(w!) && y.Covers(w!)));
    }

    [Fact]
    public void Overlaps_Null_ThrowsArgumentNullException()
    {
        Glob g = Glob.Parse("a");
        Assert.Throws<ArgumentNullException>(() => Glob.Overlaps(null!, g));
        Assert.Throws<ArgumentNullException>(() => Glob.Overlaps(g, null!));
        Assert.Throws<ArgumentNullException>(() => Glob.TryGetWitness(g, null!, out _));
    }

    [Fact]
    public void LeadingLiterals_SharedLiteralPrefix_ListsItUntilTheFirstWildcardOrDifference()
    {
        Assert.Equal(["src", "billing"], Glob.Parse("src/billing/**").LeadingLiterals());
        Assert.Equal(["src"], Glob.Parse("src/{a,b}/x").LeadingLiterals());
        Assert.Empty(Glob.Parse("**/*.md").LeadingLiterals());
    }
}
