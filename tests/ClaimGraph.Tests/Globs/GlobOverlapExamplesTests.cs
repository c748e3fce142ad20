using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Globs;

public class GlobOverlapExamplesTests
{
    [Theory]
    [InlineData("src/billing/**", "src/*/schema.sql", "src/billing/schema.sql")]
    [InlineData("src/*.py", "src/foo*", "src/foo.py")]
    [InlineData("src/**", "src/app.py", "src/app.py")]
    public void TryGetWitness_DesignExamples_GivesExpectedWitness(string a, string b, string expected)
    {
        Assert.True(Glob.TryGetWitness(Glob.Parse(a), Glob.Parse(b), out string? w));
        Assert.Equal(expected, w);
        Assert.True(Glob.TryGetWitness(Glob.Parse(b), Glob.Parse(a), out string? w2));
        Assert.Equal(expected, w2);
    }

    [Theory]
    [InlineData("docs/**", "*.md")]
    [InlineData("a*b", "c*b")]
    public void Overlaps_DisjointDesignExamples_False(string a, string b)
    {
        Assert.False(Glob.Overlaps(Glob.Parse(a), Glob.Parse(b)));
        Assert.False(Glob.TryGetWitness(Glob.Parse(a), Glob.Parse(b), out _));
    }

    [Fact]
    public void TryGetWitness_AnywhereMarkdownAndDirectory_WitnessUnderDirectory()
    {
        Glob a = Glob.Parse("**/*.md");
        Glob b = Glob.Parse("src/detectors/**");
        Assert.True(Glob.TryGetWitness(a, b, out string? w));
        Assert.StartsWith("src/detectors/", w, StringComparison.Ordinal);
        Assert.EndsWith(".md", w, StringComparison.Ordinal);
        Assert.True(a.Covers(w) && b.Covers(w));
    }
}
