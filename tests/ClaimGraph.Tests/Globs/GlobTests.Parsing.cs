using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Globs;

public partial class GlobTests
{
    /// <summary>One rejected pattern per pattern error code: the code, the position and a word the hint must contain (or null for no hint check).</summary>
    public static TheoryData<string, GlobErrorCode, int, string?> Rejections() => new()
    {
        { string.Empty, GlobErrorCode.EmptyPattern, 0, "**" },
        { "/", GlobErrorCode.EmptyPattern, 1, null },
        { "./", GlobErrorCode.EmptyPattern, 2, null },
        { "ns:", GlobErrorCode.EmptyPattern, 3, null },
        { "a//b", GlobErrorCode.EmptySegment, 2, "/" },
        { "a/{/b,c}", GlobErrorCode.EmptySegment, 3, null },
        { "a/./b", GlobErrorCode.DotSegment, 2, null },
        { "../a", GlobErrorCode.DotSegment, 0, null },
        { "a/..", GlobErrorCode.DotSegment, 2, null },
        { "{a,.}/b", GlobErrorCode.DotSegment, 3, null },
        { "**.md", GlobErrorCode.GlobstarNotAlone, 0, "**/*.md" },
        { "src/a**", GlobErrorCode.GlobstarNotAlone, 5, "a*/**" },
        { "a**b", GlobErrorCode.GlobstarNotAlone, 1, "a*b" },
        { "***", GlobErrorCode.GlobstarNotAlone, 0, "'**'" },
        { "[abc", GlobErrorCode.UnclosedSet, 0, "\\[" },
        { "a/b[c", GlobErrorCode.UnclosedSet, 3, null },
        { "[\\]", GlobErrorCode.UnclosedSet, 0, null },
        { "{a,b", GlobErrorCode.UnclosedBrace, 0, "\\{" },
        { "x{a{b}", GlobErrorCode.UnclosedBrace, 1, null },
        { "[]", GlobErrorCode.EmptySet, 0, null },
        { "[!]", GlobErrorCode.EmptySet, 0, null },
        { "a\\b", GlobErrorCode.InvalidEscape, 1, "'/'" },
        { "[\\a]", GlobErrorCode.InvalidEscape, 1, null },
        { "a\0b", GlobErrorCode.NulCharacter, 1, null },
        { new string('a', Glob.MaxLength + 1), GlobErrorCode.PatternTooLong, Glob.MaxLength, null },
        { string.Join('/', Enumerable.Repeat("a", Glob.MaxSegments + 1)), GlobErrorCode.TooManySegments, 2 * Glob.MaxSegments, "split" },
        { string.Concat(Enumerable.Repeat("{a,b}", 11)), GlobErrorCode.TooManyAlternatives, 0, "split" },
        { "a:b", GlobErrorCode.UnescapedColon, 1, "\\:" },
        { "C:/x", GlobErrorCode.UnescapedColon, 1, null },
        { "a{b:}", GlobErrorCode.UnescapedColon, 3, null },
        { "a\\", GlobErrorCode.TrailingEscape, 1, "'/'" },
        { "a}", GlobErrorCode.UnmatchedBrace, 1, "\\}" },
        { "!a", GlobErrorCode.LeadingExclamation, 0, "claim set" },
        { "ns:!a", GlobErrorCode.LeadingExclamation, 3, null },
        { "[a/]", GlobErrorCode.SlashInSet, 2, null },
        { "[!.-0]", GlobErrorCode.SlashInSet, 2, null },
        { "[z-a]", GlobErrorCode.InvalidRange, 1, "a-z" },
        { new string('{', Glob.MaxBraceDepth + 1) + "a" + new string('}', Glob.MaxBraceDepth + 1), GlobErrorCode.BraceNestingTooDeep, Glob.MaxBraceDepth, null },
        { "src\\*.cs", GlobErrorCode.BackslashSeparator, 3, "'src/*.cs'" },
        { "src\\**\\*.cs", GlobErrorCode.BackslashSeparator, 3, "'src/**/*.cs'" },
        { "[[:digit:]]", GlobErrorCode.PosixCharacterClass, 1, "[0-9]" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Parse_InvalidPattern_ThrowsWithCodePositionAndHint(string pattern, GlobErrorCode code, int position, string? hint)
    {
        GlobParseException e = Assert.Throws<GlobParseException>(() => Glob.Parse(pattern));
        Assert.Equal(code, e.Code);
        Assert.Equal(position, e.Position);
        Assert.Equal(pattern, e.Pattern);
        if (hint is not null)
        {
            Assert.NotNull(e.Hint);
            Assert.Contains(hint, e.Hint, StringComparison.Ordinal);
        }

        Assert.False(Glob.TryParse(pattern, GlobOptions.None, out Glob? glob, out GlobError? error));
        Assert.Null(glob);
        Assert.Equal((e.Error.Code, e.Error.Input, e.Error.Position, e.Error.ToString()), (error.Code, error.Input, error.Position, error.ToString()));
        Assert.False(Glob.TryParse(pattern, out _));
    }

    [Fact]
    public void Rejections_CoverEveryPatternErrorCode()
    {
        var covered = Rejections().Select(row => (GlobErrorCode)row[1]).ToHashSet();
        foreach (GlobErrorCode code in Enum.GetValues<GlobErrorCode>().Where(c => (int)c < 100))
        {
            Assert.Contains(code, covered);
        }
    }

    [Theory]
    [InlineData(Glob.MaxLength)]
    public void Parse_LongestAcceptedPattern_Succeeds(int length) =>
        Assert.Equal(length, Glob.Parse(new string('a', length)).Pattern.Length);

    [Fact]
    public void Parse_AtTheLimits_Succeeds()
    {
        Assert.NotNull(Glob.Parse(string.Join('/', Enumerable.Repeat("a", Glob.MaxSegments))));
        Assert.NotNull(Glob.Parse(string.Concat(Enumerable.Repeat("{a,b}", 10))));
        Glob nested = Glob.Parse(new string('{', Glob.MaxBraceDepth) + "a" + new string('}', Glob.MaxBraceDepth));
        Assert.True(nested.IsMatch("a"));
    }

    [Fact]
    public void Parse_DeepBraceNesting_FailsWithoutExhaustingTheStack()
    {
        // Regression: 2,000 nested braces overflowed the stack of a 256 KB thread (the process died).
        string pattern = new string('{', 2000) + "a" + new string('}', 2000);
        GlobError? error = null;
        var thread = new Thread(() => Glob.TryParse(pattern, GlobOptions.None, out _, out error), 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.Equal(GlobErrorCode.BraceNestingTooDeep, error?.Code);
    }

    [Fact]
    public void Parse_ManySequentialBraces_ExpandsWithoutRecursingPerBrace()
    {
        string pattern = string.Concat(Enumerable.Repeat("{a}", Glob.MaxLength / 3));
        Glob? glob = null;
        var thread = new Thread(() => glob = Glob.Parse(pattern), 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.NotNull(glob);
        Assert.True(glob.IsMatch(new string('a', Glob.MaxLength / 3)));
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => Glob.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => Glob.TryParse(null!, out _));
    }

    [Theory]
    [InlineData("/src/a", "src/a")]
    [InlineData("./src/a", "src/a")]
    [InlineData("src/", "src/**")]
    [InlineData("a/**/**/b", "a/**/b")]
    [InlineData("a/**/", "a/**")]
    [InlineData("**/", "**")]
    [InlineData("\\!a", "\\!a")]
    [InlineData("/!a", "\\!a")]
    [InlineData("a!", "a!")]
    [InlineData("[^a]", "[!a]")]
    [InlineData("[a-a]", "[a]")]
    [InlineData("[]]", "[\\]]")]
    [InlineData("[a-]", "[a\\-]")]
    [InlineData("a,b", "a,b")]
    [InlineData("{a\\,b,c}", "{a\\,b,c}")]
    [InlineData("{!a,b}", "{!a,b}")]
    [InlineData("db:/x", "db:x")]
    [InlineData("db:./x/", "db:x/**")]
    [InlineData("x\\:y", "x\\:y")]
    [InlineData("{a,b}/", "{a,b}/**")]
    public void ToString_Pattern_IsNormalisedAndParsesBackEqual(string pattern, string expected)
    {
        Glob glob = Glob.Parse(pattern);
        Assert.Equal(expected, glob.ToString());
        Assert.Equal(glob, Glob.Parse(glob.ToString()));
    }

    [Theory]
    [InlineData("src/", "src/**")]
    [InlineData("/a/b", "a/b")]
    [InlineData("a/**/**", "a/**")]
    public void Equals_SameNormalisedText_EqualWithEqualHash(string a, string b)
    {
        Glob x = Glob.Parse(a), y = Glob.Parse(b);
        Assert.True(x.Equals(y));
        Assert.True(x.Equals((object)y));
        Assert.True(x == y);
        Assert.False(x != y);
        Assert.Equal(x.GetHashCode(), y.GetHashCode());
    }

    [Fact]
    public void Equals_DifferentOptionsNamespaceOrText_NotEqual()
    {
        Glob plain = Glob.Parse("a/*");
        Assert.NotEqual(plain, Glob.Parse("a/*", GlobOptions.IgnoreCase));
        Assert.NotEqual(plain, Glob.Parse("db:a/*"));
        Assert.NotEqual(plain, Glob.Parse("a/?"));
        Assert.NotEqual(Glob.Parse("{a,b}"), Glob.Parse("{b,a}"));
        Assert.False(plain.Equals(null));
        Assert.False(plain.Equals("a/*"));
        Assert.True(plain != null);
        Assert.True((Glob?)null == null);
    }

    [Fact]
    public void Options_UnknownFlags_AreDropped()
    {
        Glob glob = Glob.Parse("a", (GlobOptions)3);
        Assert.Equal(GlobOptions.IgnoreCase, glob.Options);
        Assert.True(glob.IgnoreCase);
        Assert.Equal(Glob.Parse("a", GlobOptions.IgnoreCase), glob);
    }
}
