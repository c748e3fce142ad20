using System.Collections.Immutable;
using ClaimGraph.Globs;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Serialization;

public class GitignoreReaderTests
{
    private static GitignoreLine Gitignore(string line) => GitignoreReader.ReadLine(line, PatternFileFormat.Gitignore);

    private static GitignoreLine Codeowners(string line) => GitignoreReader.ReadLine(line, PatternFileFormat.Codeowners);

    [Theory]
    [InlineData("*.md", "**/*.md")]
    [InlineData("foo", "**/foo")]
    [InlineData("foo/", "**/foo/**")]
    [InlineData("/foo", "foo")]
    [InlineData("/foo/", "foo/**")]
    [InlineData("doc/frotz", "doc/frotz")]
    [InlineData("doc/frotz/", "doc/frotz/**")]
    [InlineData("/doc/*.txt", "doc/*.txt")]
    [InlineData("**/foo", "**/foo")]
    [InlineData("**/foo/bar", "**/foo/bar")]
    [InlineData("abc/**", "abc/**")]
    [InlineData("a/**/b", "a/**/b")]
    [InlineData("/**", "**")]
    [InlineData("**", "**/*")]
    [InlineData("*", "**/*")]
    [InlineData("**/", "**/*/**")]
    [InlineData("a/**/", "a/**/*/**")]
    [InlineData("a/***/b", "a/**/b")]
    [InlineData("**.md", "**/*.md")]
    [InlineData("a/**b", "a/*b")]
    [InlineData("a?c", "**/a?c")]
    public void ReadLine_GitignorePattern_TranslatesAnchoringAndDirectories(string line, string expected)
    {
        GitignoreLine result = Gitignore(line);
        Assert.Equal(GitignoreLineKind.Pattern, result.Kind);
        Assert.Equal(expected, result.Pattern);
        Assert.Equal(Glob.Parse(expected), result.Glob);
        Assert.False(result.IsNegated);
        Assert.Equal(GitignoreUnsupportedReason.None, result.Reason);
    }

    [Theory]
    [InlineData("*.md", "a.md", true)]
    [InlineData("*.md", "docs/deep/a.md", true)]
    [InlineData("*.md", "x.md/inside", true)]
    [InlineData("foo/", "foo", false)]
    [InlineData("foo/", "a/foo/b", true)]
    [InlineData("/foo", "a/foo", false)]
    [InlineData("doc/frotz", "a/doc/frotz", false)]
    [InlineData("a/**/", "a/b", false)]
    [InlineData("a/**/", "a/b/c", true)]
    [InlineData("**/", "a", false)]
    [InlineData("**/", "a/b", true)]
    public void ReadLine_GitignorePattern_CoversWhatGitIgnores(string line, string path, bool ignored) =>
        Assert.Equal(ignored, Gitignore(line).Glob!.Covers(path));

    [Theory]
    [InlineData("\\#file", "**/#file")]
    [InlineData("\\!important", "**/!important")]
    [InlineData("Generated\\ Files/", "**/Generated Files/**")]
    [InlineData("trailing   ", "**/trailing")]
    [InlineData("space\\ ", "**/space ")]
    [InlineData("space\\  ", "**/space ")]
    [InlineData("a\\\\b", "**/a\\\\b")]
    [InlineData("\\a", "**/a")]
    [InlineData("a{b,c}", "**/a\\{b,c\\}")]
    [InlineData("test:.cs", "**/test\\:.cs")]
    [InlineData("syntax: glob", "**/syntax\\: glob")]
    [InlineData("a]b", "**/a\\]b")]
    [InlineData("x!y", "**/x!y")]
    [InlineData(" lead", "**/ lead")]
    public void ReadLine_GitignoreEscapesAndSpecials_AreLiteralInTheDialect(string line, string expected) =>
        Assert.Equal(expected, Gitignore(line).Pattern);

    [Theory]
    [InlineData("[Dd]ebug/", "**/[Dd]ebug/**")]
    [InlineData("*.[Cc]ache", "**/*.[Cc]ache")]
    [InlineData("[!a]x", "**/[!a]x")]
    [InlineData("[^a]x", "**/[!a]x")]
    [InlineData("[]a]", "**/[\\]a]")]
    [InlineData("[a-z0-9]", "**/[a-z0-9]")]
    [InlineData("[z-a]", "**/[z]")]
    [InlineData("[a-c-e]", "**/[a-c\\-e]")]
    [InlineData("[\\]]", "**/[\\]]")]
    [InlineData("[d|D]ebug", "**/[d|D]ebug")]
    [InlineData("[!-0]", "**/[!\\-0]")]
    [InlineData("[+-0]", "**/[+-.0]")]
    [InlineData("[!/]", "**/?")]
    [InlineData("[[:x]", "**/[\\[\\:x]")]
    [InlineData("[{,}]", "**/[\\{\\,\\}]")]
    public void ReadLine_GitignoreSet_KeepsWildmatchMeaning(string line, string expected) =>
        Assert.Equal(expected, Gitignore(line).Pattern);

    [Theory]
    [InlineData("[Dd]ebug/", "Debug/x", true)]
    [InlineData("[Dd]ebug/", "ebug/x", false)]
    [InlineData("[z-a]", "z", true)]
    [InlineData("[z-a]", "m", false)]
    public void ReadLine_GitignoreSet_CoversLikeGit(string line, string path, bool ignored) =>
        Assert.Equal(ignored, Gitignore(line).Glob!.Covers(path));

    [Theory]
    [InlineData("!foo", "**/foo")]
    [InlineData("!/base/*.sha256", "base/*.sha256")]
    [InlineData("!thirdparty/**/x64/", "thirdparty/**/x64/**")]
    public void ReadLine_GitignoreNegation_SetsIsNegated(string line, string expected)
    {
        GitignoreLine result = Gitignore(line);
        Assert.Equal(GitignoreLineKind.Pattern, result.Kind);
        Assert.True(result.IsNegated);
        Assert.Equal(expected, result.Pattern);
    }

    [Theory]
    [InlineData("", GitignoreLineKind.Blank)]
    [InlineData("   ", GitignoreLineKind.Blank)]
    [InlineData("\r", GitignoreLineKind.Blank)]
    [InlineData("# comment", GitignoreLineKind.Comment)]
    [InlineData("#", GitignoreLineKind.Comment)]
    public void ReadLine_GitignoreBlankOrComment_ReportsKind(string line, GitignoreLineKind kind)
    {
        GitignoreLine result = Gitignore(line);
        Assert.Equal(kind, result.Kind);
        Assert.Null(result.Glob);
        Assert.Null(result.Pattern);
        Assert.Equal(GitignoreUnsupportedReason.None, result.Reason);
    }

    [Theory]
    [InlineData("foo\\", GitignoreUnsupportedReason.TrailingBackslash)]
    [InlineData("!", GitignoreUnsupportedReason.EmptyPattern)]
    [InlineData("/", GitignoreUnsupportedReason.EmptyPattern)]
    [InlineData("!/", GitignoreUnsupportedReason.EmptyPattern)]
    [InlineData("[[:alpha:]]x", GitignoreUnsupportedReason.CharacterClass)]
    [InlineData("a[bc", GitignoreUnsupportedReason.InvalidPattern)]
    [InlineData("[/]", GitignoreUnsupportedReason.InvalidPattern)]
    [InlineData("a//b", GitignoreUnsupportedReason.InvalidPattern)]
    [InlineData("a/../b", GitignoreUnsupportedReason.InvalidPattern)]
    [InlineData("./a", GitignoreUnsupportedReason.InvalidPattern)]
    [InlineData(".", GitignoreUnsupportedReason.InvalidPattern)]
    [InlineData("a\0b", GitignoreUnsupportedReason.InvalidPattern)]
    public void ReadLine_GitignoreWithoutTranslation_IsUnsupportedWithReason(string line, GitignoreUnsupportedReason reason)
    {
        GitignoreLine result = Gitignore(line);
        Assert.Equal(GitignoreLineKind.Unsupported, result.Kind);
        Assert.Equal(reason, result.Reason);
        Assert.False(string.IsNullOrEmpty(result.Message));
        Assert.Null(result.Glob);
    }

    [Fact]
    public void ReadLine_TranslationRejectedByTheParser_CarriesTheGlobError()
    {
        GitignoreLine result = Gitignore("a//b");
        Assert.Equal(GlobErrorCode.EmptySegment, result.Error?.Code);
        Assert.Contains("a//b", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadLine_IgnoreCaseOption_AppliesToTheGlob()
    {
        GitignoreLine result = GitignoreReader.ReadLine("*.MD", PatternFileFormat.Gitignore, 7, GlobOptions.IgnoreCase);
        Assert.Equal(7, result.LineNumber);
        Assert.True(result.Glob!.IgnoreCase);
        Assert.True(result.Glob.Covers("docs/a.md"));
    }

    [Theory]
    [InlineData("*       @global-owner1 @global-owner2", "**/*", new[] { "@global-owner1", "@global-owner2" })]
    [InlineData("/docs/ @doctocat", "docs/**", new[] { "@doctocat" })]
    [InlineData("apps/ @octocat", "**/apps/**", new[] { "@octocat" })]
    [InlineData("docs/* docs@example.com", "docs/*", new[] { "docs@example.com" })]
    [InlineData("\t/lib/_stream*\t@nodejs/streams", "lib/_stream*", new[] { "@nodejs/streams" })]
    [InlineData("/a\\ b.txt @o", "a b.txt", new[] { "@o" })]
    [InlineData("*.js @js-owner # inline comment", "**/*.js", new[] { "@js-owner" })]
    [InlineData("/homeassistant/components/*/translations/ @a", "homeassistant/components/*/translations/**", new[] { "@a" })]
    public void ReadLine_Codeowners_SplitsPatternAndOwners(string line, string expected, string[] owners)
    {
        GitignoreLine result = Codeowners(line);
        Assert.Equal(GitignoreLineKind.Pattern, result.Kind);
        Assert.Equal(expected, result.Pattern);
        Assert.Equal(owners, result.Owners.ToArray());
        Assert.True(result.HasOwners);
        Assert.False(result.IsNegated);
    }

    [Theory]
    [InlineData("CHANGELOG.md")]
    [InlineData("/build/logs/   ")]
    [InlineData("docs/ # no owners")]
    public void ReadLine_CodeownersWithoutOwners_GivesPatternFlaggedOwnerless(string line)
    {
        GitignoreLine result = Codeowners(line);
        Assert.Equal(GitignoreLineKind.Pattern, result.Kind);
        Assert.False(result.HasOwners);
        Assert.Empty(result.Owners);
    }

    [Theory]
    [InlineData("!/docs/ @o", GitignoreUnsupportedReason.NegationInCodeowners)]
    [InlineData("[Dd]ocs/ @o", GitignoreUnsupportedReason.CharacterRangeInCodeowners)]
    [InlineData("/a\\\\ @o", GitignoreUnsupportedReason.None)]
    public void ReadLine_CodeownersUnsupportedSyntax_IsUnsupportedButKeepsOwners(string line, GitignoreUnsupportedReason reason)
    {
        GitignoreLine result = Codeowners(line);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(["@o"], result.Owners.ToArray());
        Assert.Equal(reason == GitignoreUnsupportedReason.None ? GitignoreLineKind.Pattern : GitignoreLineKind.Unsupported, result.Kind);
    }

    [Theory]
    [InlineData("", GitignoreLineKind.Blank)]
    [InlineData(" \t ", GitignoreLineKind.Blank)]
    [InlineData("# Owners", GitignoreLineKind.Comment)]
    [InlineData("   # indented comment", GitignoreLineKind.Comment)]
    public void ReadLine_CodeownersBlankOrComment_ReportsKind(string line, GitignoreLineKind kind) =>
        Assert.Equal(kind, Codeowners(line).Kind);

    [Fact]
    public void ReadAll_Text_NumbersEveryLineAndHandlesLineEndings()
    {
        ImmutableArray<GitignoreLine> lines = GitignoreReader.ReadAll("\uFEFF# c\r\n*.md\n\nbin/\n", PatternFileFormat.Gitignore);
        Assert.Equal([1, 2, 3, 4], lines.Select(l => l.LineNumber));
        Assert.Equal([GitignoreLineKind.Comment, GitignoreLineKind.Pattern, GitignoreLineKind.Blank, GitignoreLineKind.Pattern], lines.Select(l => l.Kind));
        Assert.Equal("*.md", lines[1].Text);
        Assert.Equal("**/bin/**", lines[3].Pattern);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("\n", 1)]
    [InlineData("a", 1)]
    [InlineData("a\nb", 2)]
    [InlineData("a\n\n", 2)]
    public void ReadAll_FinalNewline_AddsNoLine(string text, int count) =>
        Assert.Equal(count, GitignoreReader.ReadAll(text, PatternFileFormat.Codeowners).Length);

    [Fact]
    public void ReadLineAndReadAll_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => GitignoreReader.ReadLine(null!, PatternFileFormat.Gitignore));
        Assert.Throws<ArgumentNullException>(() => GitignoreReader.ReadAll(null!, PatternFileFormat.Gitignore));
        Assert.Throws<ArgumentOutOfRangeException>(() => GitignoreReader.ReadLine("a", PatternFileFormat.Gitignore, 0));
    }
}
