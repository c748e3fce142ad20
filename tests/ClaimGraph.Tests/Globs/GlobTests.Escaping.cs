using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Globs;

public partial class GlobTests
{
    [Theory]
    [InlineData("src/app.py")]
    [InlineData("docs/a*b?.md")]
    [InlineData("weird/[x]{y,z}/q:r\\s")]
    [InlineData("!bang/file")]
    public void EscapeLiteral_AnyPath_MatchesExactlyThatPath(string path)
    {
        Glob glob = Glob.Parse(Glob.EscapeLiteral(path));
        if (GlobPath.IsValid(path))
        {
            Assert.True(glob.IsMatch(path));
            Assert.False(glob.IsMatch(path + "x"));
            Assert.True(glob.Covers(path + "/child"));
        }

        Assert.Equal(glob, Glob.Parse(glob.ToString()));
    }

    [Fact]
    public void EscapeLiteral_NothingSpecial_ReturnsTheSameString()
    {
        const string path = "src/billing/tax.cs";
        Assert.Same(path, Glob.EscapeLiteral(path));
        Assert.Equal("src/a\\*b\\:c\\!", Glob.EscapeLiteral("src/a*b:c!"));
    }
}
