using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Globs;

/// <summary>Inputs that used to be answered silently and are now refused, and their neighbours that stay accepted.</summary>
public partial class GlobTests
{
    [Theory]
    [InlineData("src\\*.cs", 3, "'src/*.cs'", "'[*]'")]
    [InlineData("src\\**\\*.cs", 3, "'src/**/*.cs'", "'[*]'")]
    [InlineData("**\\*.md", 2, "'**/*.md'", "'[*]'")]
    [InlineData("src\\?.cs", 3, "'src/?.cs'", "'[?]'")]
    [InlineData("src\\[ab]*.cs", 3, "'src/[ab]*.cs'", "'[[]'")]
    [InlineData("src\\{a,b}", 3, "'src/{a,b}'", "'[{]'")]
    [InlineData("src\\\\lib", 3, "'src/lib'", "'[\\\\]'")]
    [InlineData("src\\\\*.cs", 3, "'src/*.cs'", null)]
    [InlineData("{src,lib}\\*.cs", 9, "'{src,lib}/*.cs'", null)]
    [InlineData("a{b,c\\*}", 5, null, null)]
    [InlineData("db:src\\*.sql", 6, "'db:src/*.sql'", null)]
    [InlineData("/src\\*.cs", 4, null, null)]
    [InlineData("./src\\*.cs", 5, null, null)]
    [InlineData("src/a\\**", 5, "'src/a/**'", "'[*]'")]
    [InlineData("\\**", 0, null, null)]
    [InlineData("a/\\**/b", 2, null, null)]
    public void Parse_BackslashWhereASeparatorWouldBe_RefusedWithSlashHint(string pattern, int position, string? suggestion, string? literal)
    {
        GlobParseException e = Assert.Throws<GlobParseException>(() => Glob.Parse(pattern));

        Assert.Equal(GlobErrorCode.BackslashSeparator, e.Code);
        Assert.Equal(position, e.Position);
        Assert.Contains("use '/' as the separator", e.Hint, StringComparison.Ordinal);
        if (suggestion is not null)
        {
            Assert.Contains(suggestion, e.Hint, StringComparison.Ordinal);
        }

        if (literal is not null)
        {
            Assert.Contains(literal, e.Hint, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("\\*.md", "*.md")]
    [InlineData("\\[id\\].tsx", "[id].tsx")]
    [InlineData("pages/\\[id\\].tsx", "pages/[id].tsx")]
    [InlineData("src/a\\*b", "src/a*b")]
    [InlineData("src/a\\{b", "src/a{b")]
    [InlineData("a\\]b", "a]b")]
    [InlineData("a\\}", "a}")]
    [InlineData("a\\,b", "a,b")]
    [InlineData("a\\!b", "a!b")]
    [InlineData("a\\:b", "a:b")]
    [InlineData("{\\*x,y}", "*x")]
    [InlineData("/\\*x", "*x")]
    [InlineData("a[*]b", "a*b")]
    [InlineData("a[?]b", "a?b")]
    [InlineData("x[[]1].txt", "x[1].txt")]
    [InlineData("a[*]*", "a*bc")]
    public void Parse_EscapeThatIsNoSeparator_StaysLiteral(string pattern, string path)
    {
        Glob glob = Glob.Parse(pattern);

        Assert.True(glob.IsMatch(path));
        Assert.Equal(glob, Glob.Parse(glob.ToString()));
    }

    [Fact]
    public void Parse_OneCharacterSetInsteadOfEscape_MatchesOnlyThatCharacter()
    {
        Glob glob = Glob.Parse("a[*]b");

        Assert.True(glob.IsMatch("a*b"));
        Assert.False(glob.IsMatch("axb"));
        Assert.False(glob.IsMatch("ab"));
    }

    [Theory]
    [InlineData("a*b")]
    [InlineData("a?b")]
    [InlineData("x[1].txt")]
    [InlineData("a{b}")]
    [InlineData("a**b")]
    [InlineData("*a*")]
    [InlineData("a]b,c!d:e")]
    [InlineData("dir/a*b")]
    [InlineData("d*r/x[1]/a**")]
    public void EscapeLiteral_SpecialCharacters_ParsesAndMatchesExactlyThatPath(string path)
    {
        Glob glob = Glob.Parse(Glob.EscapeLiteral(path));

        Assert.True(glob.IsMatch(path));
        Assert.False(glob.IsMatch(path + "x"));
        Assert.Equal(Glob.EscapeLiteral(path), ClaimEntry.EscapePath(path));
        Assert.Equal(glob, ClaimEntry.ForPath(ClaimMode.Write, path).Pattern);
    }

    [Theory]
    [InlineData("a*b", "a[*]b")]
    [InlineData("*a", "\\*a")]
    [InlineData("a[1]", "a[[]1\\]")]
    [InlineData("dir/a*b", "dir/a\\*b")]
    public void EscapeLiteral_WithoutSlash_WritesSetsWhereAnEscapeWouldBeRefused(string path, string expected) =>
        Assert.Equal(expected, Glob.EscapeLiteral(path));

    [Theory]
    [InlineData("/a\\*b", "a*b")]
    [InlineData("/a\\[1]", "a[1]")]
    [InlineData("docs/\\**", "docs/*x")]
    [InlineData("a\\*b", "x/a*b")]
    public void GitignoreReader_LiteralWhereAnEscapeWouldBeRefused_TranslatesToASet(string line, string path)
    {
        GitignoreLine read = GitignoreReader.ReadLine(line, PatternFileFormat.Gitignore);

        Assert.Equal(GitignoreLineKind.Pattern, read.Kind);
        Assert.True(read.Glob!.Covers(path), read.Pattern);
    }

    [Theory]
    [InlineData("[[:digit:]]", 1, "'[0-9]'")]
    [InlineData("[:alpha:]", 0, "'[a-zA-Z]'")]
    [InlineData("[![:space:]]", 2, "list the characters")]
    [InlineData("x/[a[:upper:]]", 4, "'[A-Z]'")]
    [InlineData("[[:foo:]]", 1, "list the characters")]
    public void Parse_PosixCharacterClass_RefusedWithARange(string pattern, int position, string hint)
    {
        GlobParseException e = Assert.Throws<GlobParseException>(() => Glob.Parse(pattern));

        Assert.Equal(GlobErrorCode.PosixCharacterClass, e.Code);
        Assert.Equal(position, e.Position);
        Assert.Contains(hint, e.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[[]", "[", "a")]
    [InlineData("[[:]", ":", "a")]
    [InlineData("[[:]", "[", "d")]
    [InlineData("[:]", ":", "a")]
    [InlineData("[::]", ":", "a")]
    [InlineData("[a:b]", ":", "c")]
    [InlineData("[\\:digit\\:]", "d", "1")]
    [InlineData("[\\:digit\\:]", ":", "1")]
    [InlineData("[[:1:]]", "1]", "1")]
    public void Parse_ColonInASet_IsALiteralMember(string pattern, string matching, string notMatching)
    {
        Glob glob = Glob.Parse(pattern);

        Assert.True(glob.IsMatch(matching));
        Assert.False(glob.IsMatch(notMatching));
    }

    [Theory]
    [InlineData("[a\\-z]", "-", "b")]
    [InlineData("[a\\-z]", "z", "y")]
    [InlineData("[\\^a]", "^", "b")]
    [InlineData("[\\!a]", "!", "b")]
    [InlineData("[a-]", "-", "b")]
    [InlineData("[--.]", "-", "0")]
    [InlineData("[--.0-A]", "A", "B")]
    public void Parse_EscapedDashCaretAndBangInASet_AreLiteralMembers(string pattern, string matching, string notMatching)
    {
        Glob glob = Glob.Parse(pattern);

        Assert.True(glob.IsMatch(matching));
        Assert.False(glob.IsMatch(notMatching));
    }

    [Theory]
    [InlineData("[--A]", 1, "as '\\--.0-A'")]
    [InlineData("[!.-0]", 2, "as '.0'")]
    [InlineData("[a/]", 2, "outside the set")]
    public void Parse_RangeOrMemberThatContainsSlash_RefusedWithTheSplitRange(string pattern, int position, string hint)
    {
        GlobParseException e = Assert.Throws<GlobParseException>(() => Glob.Parse(pattern));

        Assert.Equal(GlobErrorCode.SlashInSet, e.Code);
        Assert.Equal(position, e.Position);
        Assert.Contains(hint, e.Hint, StringComparison.Ordinal);
    }
}
