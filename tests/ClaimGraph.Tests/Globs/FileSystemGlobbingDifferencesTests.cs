using ClaimGraph.Globs;
using Microsoft.Extensions.FileSystemGlobbing;

namespace ClaimGraph.Tests.Globs;

/// <summary>
/// Every difference from Microsoft.Extensions.FileSystemGlobbing that the README lists, checked against
/// FileSystemGlobbing itself (one include per <c>Matcher</c>, ordinal, paths under a fixed root), so the table
/// cannot drift from what the library does.
/// </summary>
public class FileSystemGlobbingDifferencesTests
{
    private const string Root = "/claimgraph-root";

    private static bool FsgMatches(string pattern, string path)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(pattern);
        return matcher.Match(Root, [Root + "/" + path]).HasMatches;
    }

    private static GlobErrorCode Refusal(string pattern)
    {
        Assert.False(Glob.TryParse(pattern, GlobOptions.None, out _, out GlobError? error), pattern);
        return error.Code;
    }

    [Theory]
    [InlineData("src\\*.cs", "src/a.cs", GlobErrorCode.BackslashSeparator)]
    [InlineData("src\\**\\*.cs", "src/b/a.cs", GlobErrorCode.BackslashSeparator)]
    [InlineData("a\\b", "a/b", GlobErrorCode.InvalidEscape)]
    public void Backslash_IsASeparatorThere_RefusedHere(string pattern, string path, GlobErrorCode code)
    {
        Assert.True(FsgMatches(pattern, path));
        Assert.Equal(code, Refusal(pattern));
        Assert.True(Glob.Parse(pattern.Replace("\\", "/", StringComparison.Ordinal)).IsMatch(path));
    }

    [Theory]
    [InlineData("?", "a", "?")]
    [InlineData("[ab]", "a", "[ab]")]
    [InlineData("{a,b}", "a", "{a,b}")]
    public void QuestionMarkSetsAndBraces_LiteralThere_SpecialHere(string pattern, string path, string literalPath)
    {
        Assert.False(FsgMatches(pattern, path));
        Assert.True(FsgMatches(pattern, literalPath));
        Assert.True(Glob.Parse(pattern).IsMatch(path));
    }

    [Fact]
    public void StarDotStar_AnyNameThere_ANameWithADotHere()
    {
        Assert.True(FsgMatches("*.*", "a"));
        Assert.False(Glob.Parse("*.*").IsMatch("a"));
        Assert.True(Glob.Parse("*.*").IsMatch("a.b"));
    }

    [Theory]
    [InlineData("**.txt", new[] { "a.txt", "b/a.txt", "b/c/a.txt" }, "**/*.txt")]
    [InlineData("dir/**.cs", new[] { "dir/a.cs", "dir/b/a.cs" }, "**/*.cs")]
    [InlineData("a**b", new[] { "ab", "axb" }, "a*b")]
    public void GlobstarSharingASegment_ReadAsAWildcardThere_RefusedWithTheRewriteHere(string pattern, string[] paths, string hint)
    {
        Assert.All(paths, p => Assert.True(FsgMatches(pattern, p), p));
        GlobParseException e = Assert.Throws<GlobParseException>(() => Glob.Parse(pattern));
        Assert.Equal(GlobErrorCode.GlobstarNotAlone, e.Code);
        Assert.Contains(hint, e.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("./a/./b", "a/b")]
    [InlineData("a/.", "a")]
    [InlineData("./a/.", "a")]
    public void DotSegments_IgnoredThere_RefusedHere(string pattern, string path)
    {
        Assert.True(FsgMatches(pattern, path));
        Assert.Equal(GlobErrorCode.DotSegment, Refusal(pattern));
        Assert.True(Glob.Parse("./a").IsMatch("a")); // only a leading './' is dropped
    }

    [Fact]
    public void DotDotSegments_OutsideTheRootOrThrowingThere_RefusedHere()
    {
        Assert.False(FsgMatches("../a", "a"));
        Assert.Throws<ArgumentException>(() => new Matcher().AddInclude("a/../b"));
        Assert.Equal(GlobErrorCode.DotSegment, Refusal("../a"));
        Assert.Equal(GlobErrorCode.DotSegment, Refusal("a/../b"));
    }

    [Theory]
    [InlineData("", "a", GlobErrorCode.EmptyPattern)]
    [InlineData("a//b", "a/b", GlobErrorCode.EmptySegment)]
    public void EmptyPatternOrSegment_MatchesNothingThere_RefusedHere(string pattern, string path, GlobErrorCode code)
    {
        Assert.False(FsgMatches(pattern, path));
        Assert.Equal(code, Refusal(pattern));
    }

    [Theory]
    [InlineData("a:b", GlobErrorCode.UnescapedColon, "a\\:b")]
    [InlineData("a}", GlobErrorCode.UnmatchedBrace, "a\\}")]
    [InlineData("!a", GlobErrorCode.LeadingExclamation, "\\!a")]
    public void ColonStrayBraceLeadingBang_LiteralThere_RefusedHere(string pattern, GlobErrorCode code, string escaped)
    {
        string path = pattern;
        Assert.True(FsgMatches(pattern, path));
        Assert.Equal(code, Refusal(pattern));
        Assert.True(Glob.Parse(escaped).IsMatch(path));
    }

    [Fact]
    public void Case_InsensitiveByDefaultThere_SensitiveByDefaultHere()
    {
        var matcher = new Matcher();
        matcher.AddInclude("src/*.CS");
        Assert.True(matcher.Match(Root, [Root + "/SRC/a.cs"]).HasMatches);
        Assert.False(FsgMatches("src/*.CS", "SRC/a.cs"));

        Assert.False(Glob.Parse("src/*.CS").IsMatch("SRC/a.cs"));
        Assert.True(Glob.Parse("src/*.CS", GlobOptions.IgnoreCase).IsMatch("SRC/a.cs"));
    }

    [Theory]
    [InlineData("\u017F", "s", false, true)]                // LATIN SMALL LETTER LONG S: ToUpperInvariant gives 'S'
    [InlineData("\u017F", "S", false, true)]
    [InlineData("\U00010428", "\U00010400", true, false)] // DESERET SMALL / CAPITAL LONG I: one letter, two code units
    [InlineData("a", "A", true, true)]
    public void IgnoreCase_OrdinalIgnoreCaseThere_ToUpperInvariantPerCodeUnitHere(string pattern, string path, bool there, bool here)
    {
        var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
        matcher.AddInclude(pattern);

        Assert.Equal(there, matcher.Match(Root, [Root + "/" + path]).HasMatches);
        Assert.Equal(here, Glob.Parse(pattern, GlobOptions.IgnoreCase).IsMatch(path));
    }

    [Theory]
    [InlineData("src/**", "src", false)]
    [InlineData("src/**", "src/a", true)]
    [InlineData("**", "a", true)]
    [InlineData("src/*", "src/.x", true)]
    [InlineData("/a", "a", true)]
    [InlineData("a/", "a/b", true)]
    [InlineData("a/", "a", false)]
    public void SharedSubset_TrailingGlobstarDotNamesAndAnchors_Agree(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, FsgMatches(pattern, path));
        Assert.Equal(expected, Glob.Parse(pattern).IsMatch(path));
    }
}
