using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Globs;

/// <summary>Examples for <see cref="Glob"/>: every syntax form of the glob dialect, matching, coverage, normalisation, equality.</summary>
public partial class GlobTests
{
    [Theory]
    [InlineData("src/app.py", "src/app.py", true)]
    [InlineData("src/app.py", "src/app.pyc", false)]
    [InlineData("src/app.py", "src", false)]
    [InlineData("src/app.py", "Src/app.py", false)]
    [InlineData("src/app.py", "x/src/app.py", false)]
    [InlineData("a b,c", "a b,c", true)]
    [InlineData("é/ü", "é/ü", true)]
    public void IsMatch_Literal_MatchesItselfOrdinally(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Glob.Parse(pattern).IsMatch(path));

    [Theory]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", ".md", true)]
    [InlineData("*.md", "docs/a.md", false)]
    [InlineData("*", ".gitignore", true)]
    [InlineData(".*", ".gitignore", true)]
    [InlineData("*", "a/b", false)]
    [InlineData("src/*", "src/a", true)]
    [InlineData("src/*", "src/a/b", false)]
    [InlineData("a*b", "ab", true)]
    [InlineData("a*b", "axyb", true)]
    [InlineData("a*b", "a/b", false)]
    [InlineData("a*b*c", "abxbc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("*a*", "bab", true)]
    public void IsMatch_Star_MatchesWithinOneSegmentIncludingDotFiles(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Glob.Parse(pattern).IsMatch(path));

    [Theory]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "a.c", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("a?c", "abbc", false)]
    [InlineData("a?c", "a/c", false)]
    [InlineData("?", "é", true)]
    public void IsMatch_QuestionMark_MatchesExactlyOneCharacter(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Glob.Parse(pattern).IsMatch(path));

    [Theory]
    [InlineData("[abc].txt", "b.txt", true)]
    [InlineData("[abc].txt", "d.txt", false)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("[a-c]x", "dx", false)]
    [InlineData("[a-cx-z]", "y", true)]
    [InlineData("[!a-c]x", "dx", true)]
    [InlineData("[!a-c]x", "bx", false)]
    [InlineData("[^a]", "b", true)]
    [InlineData("[^a]", "a", false)]
    [InlineData("[]]", "]", true)]
    [InlineData("[]a]", "a", true)]
    [InlineData("[!]]", "a", true)]
    [InlineData("[!]]", "]", false)]
    [InlineData("[a-]", "-", true)]
    [InlineData("[\\-]", "-", true)]
    [InlineData("[\\!]", "!", true)]
    [InlineData("[\\^]", "^", true)]
    [InlineData("[*?]", "*", true)]
    [InlineData("[*?]", "a", false)]
    [InlineData("a[.]b", "a.b", true)]
    public void IsMatch_Set_MatchesOneCharacterOfTheSet(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Glob.Parse(pattern).IsMatch(path));

    [Theory]
    [InlineData("{a,b}.txt", "a.txt", true)]
    [InlineData("{a,b}.txt", "b.txt", true)]
    [InlineData("{a,b}.txt", "c.txt", false)]
    [InlineData("{a,{b,c}}x", "cx", true)]
    [InlineData("{a,{b,c}}x", "dx", false)]
    [InlineData("src/{a/b,c}/d", "src/a/b/d", true)]
    [InlineData("src/{a/b,c}/d", "src/c/d", true)]
    [InlineData("src/{a/b,c}/d", "src/a/d", false)]
    [InlineData("src/{,x/}a", "src/a", true)]
    [InlineData("src/{,x/}a", "src/x/a", true)]
    [InlineData("src/{,x/}a", "src/y/a", false)]
    [InlineData("{*.md,docs/**}", "docs/a/b", true)]
    [InlineData("{*.md,docs/**}", "a.md", true)]
    [InlineData("{*.md,docs/**}", "docs", false)]
    [InlineData("a,b", "a,b", true)]
    [InlineData("{a\\,b,c}", "a,b", true)]
    public void IsMatch_Braces_MatchAnyAlternative(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Glob.Parse(pattern).IsMatch(path));

    [Theory]
    [InlineData("src/**", "src", false)]
    [InlineData("src/**", "src/a", true)]
    [InlineData("src/**", "src/a/b/c", true)]
    [InlineData("src/**", "srcx/a", false)]
    [InlineData("**/a.md", "a.md", true)]
    [InlineData("**/a.md", "x/y/a.md", true)]
    [InlineData("**/a.md", "x/a.md/y", false)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/**/b", "a/x/c", false)]
    [InlineData("a/**/b", "a/b/c", false)]
    [InlineData("**", "a", true)]
    [InlineData("**", "a/b/c", true)]
    [InlineData("**/**", "a", true)]
    [InlineData("a/**/**", "a", false)]
    [InlineData("a/**/**", "a/b", true)]
    [InlineData("**/*/**", "a", false)]
    [InlineData("**/*/**", "a/b", true)]
    [InlineData("a/**/b/**", "a/b", false)]
    [InlineData("a/**/b/**", "a/b/c", true)]
    public void IsMatch_Globstar_ZeroOrMoreInTheMiddleOneOrMoreAtTheEnd(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Glob.Parse(pattern).IsMatch(path));

    [Theory]
    [InlineData("src/", "src", false)]
    [InlineData("src/", "src/a", true)]
    [InlineData("src/", "src/a/b", true)]
    [InlineData("/src/a", "src/a", true)]
    [InlineData("./src/a", "src/a", true)]
    [InlineData("/*.md", "a.md", true)]
    [InlineData("/*.md", "x/a.md", false)]
    public void IsMatch_TrailingAndLeadingSlash_DirectoryAndRootAnchor(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Glob.Parse(pattern).IsMatch(path));

    [Theory]
    [InlineData("d/a\\*b", "d/a*b", true)]
    [InlineData("d/a\\*b", "d/axb", false)]
    [InlineData("d/a\\?", "d/a?", true)]
    [InlineData("d/a\\?", "d/ab", false)]
    [InlineData("\\[a\\]", "[a]", true)]
    [InlineData("\\{a\\}", "{a}", true)]
    [InlineData("{a\\,b}", "a,b", true)]
    [InlineData("x\\:y", "x:y", true)]
    [InlineData("\\!a", "!a", true)]
    [InlineData("a!", "a!", true)]
    [InlineData("\\\\", "a", false)]
    public void IsMatch_Escapes_MatchTheCharacterLiterally(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Glob.Parse(pattern).IsMatch(path));

    [Fact]
    public void Parse_Namespace_SplitsNamespaceAndPattern()
    {
        Glob glob = Glob.Parse("db:billing/*");
        Assert.Equal("db", glob.Namespace);
        Assert.Equal("billing/*", glob.Pattern);
        Assert.Equal("db:billing/*", glob.ToString());
        Assert.True(glob.IsMatch("billing/schema"));
    }

    [Theory]
    [InlineData("service:payments", "service")]
    [InlineData("a1_-b:x", "a1_-b")]
    [InlineData("ab:x", "ab")]
    [InlineData("src/a", "")]
    [InlineData("ab\\:x", "")]
    public void Parse_NamespacePrefix_NeedsTwoLowercaseCharacters(string pattern, string expectedNamespace) =>
        Assert.Equal(expectedNamespace, Glob.Parse(pattern).Namespace);

    [Fact]
    public void IsMatch_IgnoreCase_ComparesOrdinalIgnoreCase()
    {
        Assert.True(Glob.Parse("SRC/*.MD", GlobOptions.IgnoreCase).IsMatch("src/a.md"));
        Assert.False(Glob.Parse("SRC/*.MD").IsMatch("src/a.md"));
        Assert.True(Glob.Parse("Ä*", GlobOptions.IgnoreCase).IsMatch("äx"));
        Assert.True(Glob.Parse("src/**", GlobOptions.IgnoreCase).IsMatch("SRC/x"));
        Assert.True(Glob.Parse("*.md", GlobOptions.IgnoreCase).IsMatch("A.MD"));
        Assert.True(Glob.Parse("a*", GlobOptions.IgnoreCase).IsMatch("AB"));
        Assert.True(Glob.Parse("a?c", GlobOptions.IgnoreCase).IsMatch("AbC"));
    }

    [Theory]
    [InlineData("[a-c]", "B", true)]
    [InlineData("[A-C]", "b", true)]
    [InlineData("[!a]", "A", false)]
    [InlineData("[!a]", "b", true)]
    [InlineData("[é]", "É", true)]
    public void IsMatch_IgnoreCaseSet_MatchesEitherCase(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Glob.Parse(pattern, GlobOptions.IgnoreCase).IsMatch(path));

    [Fact]
    public void IsMatch_IgnoreCaseLongS_FollowsToUpperInvariantNotOrdinalIgnoreCase()
    {
        // The documented choice: ToUpperInvariant('ſ') is 'S', so under IgnoreCase 's' matches U+017F, although
        // string.Equals("s", "ſ", OrdinalIgnoreCase) is false (the one BMP difference; FileSystemGlobbing differs here).
        Assert.True(Glob.Parse("s", GlobOptions.IgnoreCase).IsMatch("\u017F"));
        Assert.False(string.Equals("s", "\u017F", StringComparison.OrdinalIgnoreCase));
        Assert.False(Glob.Parse("s").IsMatch("\u017F"));
    }

    [Fact]
    public void IsMatch_IgnoreCaseSurrogatePair_ComparesCodeUnitsOnly()
    {
        // Per UTF-16 code unit: the Deseret letters U+10400 and U+10428 differ in both units' ToUpperInvariant.
        Assert.False(Glob.Parse("\U00010400", GlobOptions.IgnoreCase).IsMatch("\U00010428"));
        Assert.True(Glob.Parse("\U00010400", GlobOptions.IgnoreCase).IsMatch("\U00010400"));
    }

    [Theory]
    [InlineData("src/billing", "src/billing/a.sql", false, true)]
    [InlineData("src/billing", "src/billing", true, true)]
    [InlineData("src/billing", "src", false, false)]
    [InlineData("*.md", "a.md/x", false, true)]
    [InlineData("*.md", "docs/a.md", false, false)]
    [InlineData("src/**", "src", false, false)]
    [InlineData("src/**", "src/a/b", true, true)]
    [InlineData("src/*", "src/a/b", false, true)]
    [InlineData("{a,b/c}", "b/c/d", false, true)]
    public void Covers_PathOrAncestorMatched_TrueWhereIsMatchMayBeFalse(string pattern, string path, bool isMatch, bool covers)
    {
        Glob glob = Glob.Parse(pattern);
        Assert.Equal(isMatch, glob.IsMatch(path));
        Assert.Equal(covers, glob.Covers(path));
        Assert.Equal(isMatch, glob.IsMatch(path.AsSpan()));
        Assert.Equal(covers, glob.Covers(path.AsSpan()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/a")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("a/./b")]
    [InlineData("a\\b")]
    [InlineData("a\0")]
    public void IsMatchAndCovers_InvalidPath_ThrowInvalidPathException(string path)
    {
        Glob glob = Glob.Parse("**");
        Assert.Throws<InvalidPathException>(() => glob.IsMatch(path));
        Assert.Throws<InvalidPathException>(() => glob.Covers(path));
        Assert.Throws<InvalidPathException>(() => glob.IsMatch(path.AsSpan()));
        Assert.Throws<InvalidPathException>(() => glob.Covers(path.AsSpan()));
    }

    [Fact]
    public void IsMatchAndCovers_NullPath_ThrowArgumentNullException()
    {
        Glob glob = Glob.Parse("**");
        Assert.Throws<ArgumentNullException>(() => glob.IsMatch(null!));
        Assert.Throws<ArgumentNullException>(() => glob.Covers(null!));
    }
}
