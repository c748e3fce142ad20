using System.Text.Json;
using ClaimGraph.Cli;
using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Cli;

public class MatchCommandTests
{
    [Theory]
    [InlineData("src/**", "src/a/b", "yes", "yes")]
    [InlineData("src/*", "src/a/b", "no", "yes")]
    [InlineData("src/**", "src", "no", "no")]
    [InlineData("*.md", "docs/a.md", "no", "no")]
    public void Match_Single_PrintsMatchesAndCovers(string pattern, string path, string matches, string covers)
    {
        CliRun run = CliRun.Of("match", pattern, path);

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal([$"matches: {matches}", $"covers: {covers}"], run.Lines);
    }

    [Fact]
    public void Match_Json_PrintsOneObject()
    {
        CliRun run = CliRun.Of("match", "--json", "src/*", "src/a/b");

        Assert.Equal(["""{"isMatch":false,"covers":true}"""], run.Lines);
    }

    [Fact]
    public void Match_IgnoreCase_ComparesWithoutCase()
    {
        Assert.Equal(["matches: no", "covers: no"], CliRun.Of("match", "README.md", "readme.md").Lines);
        Assert.Equal(["matches: yes", "covers: yes"], CliRun.Of("match", "-i", "README.md", "readme.md").Lines);
    }

    [Theory]
    [InlineData("src\\a.md", "PathBackslash", 3)]
    [InlineData("/src/a.md", "AbsolutePath", 0)]
    [InlineData("src//a.md", "PathEmptySegment", 4)]
    [InlineData("src/../a.md", "PathDotSegment", 4)]
    public void Match_InvalidPath_ExitTwoWithCode(string path, string code, int position)
    {
        CliRun run = CliRun.Of("match", "src/**", path);

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains("the path is invalid", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{code} at position {position}", run.Stderr, StringComparison.Ordinal);
        run.AssertNoStackTrace();
    }

    [Fact]
    public void Match_InvalidPattern_ExitTwoNamesThePattern()
    {
        CliRun run = CliRun.Of("match", "!src/**", "src/a");

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        Assert.Contains("the pattern is invalid", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(nameof(GlobErrorCode.LeadingExclamation), run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_InvalidPathWithJson_WritesTheErrorObject()
    {
        CliRun run = CliRun.Of("match", "--json", "src/**", "src/");

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        OverlapCommandTests.AssertError(run.JsonLines.Single(), "PathEmptySegment", "path", 4);
    }

    [Fact]
    public void MatchBatch_MixedLines_AnswersAgreeWithTheLibraryInOrder()
    {
        (string Pattern, string Path)[] requests =
        [
            ("src/**", "src/a/b"),
            ("src/*", "src/a/b"),
            ("**/*.md", "docs/x.md"),
            ("*.md", "docs/x.md"),
            ("src/{a,b}/*.cs", "src/b/c.cs"),
            ("src/[!a]*", "src/abc"),
        ];
        string input = CliRun.Batch(requests.Select(r => JsonSerializer.Serialize(new { pattern = r.Pattern, path = r.Path })).ToArray());

        CliRun run = CliRun.WithInput(input, "match", "--batch", "-");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        JsonElement[] lines = run.JsonLines;
        Assert.Equal(requests.Length, lines.Length);
        for (int i = 0; i < requests.Length; i++)
        {
            Glob glob = Glob.Parse(requests[i].Pattern);
            Assert.Equal(glob.IsMatch(requests[i].Path), lines[i].GetProperty("isMatch").GetBoolean());
            Assert.Equal(glob.Covers(requests[i].Path), lines[i].GetProperty("covers").GetBoolean());
        }
    }

    [Fact]
    public void MatchBatch_InvalidPatternAndPath_ErrorLinesWithCodes()
    {
        string input = CliRun.Batch(
            """{"pattern":"src/[","path":"src/a"}""",
            """{"pattern":"src/**","path":"src/a/"}""",
            """{"pattern":"src/**","path":"src/a\\b"}""",
            """{"pattern":"src/**","path":"src/a"}""");

        CliRun run = CliRun.WithInput(input, "match", "--batch", "-");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        JsonElement[] lines = run.JsonLines;
        OverlapCommandTests.AssertError(lines[0], "UnclosedSet", "pattern", 4);
        OverlapCommandTests.AssertError(lines[1], "PathEmptySegment", "path", 6);
        OverlapCommandTests.AssertError(lines[2], "PathBackslash", "path", 5);
        Assert.Equal("""{"isMatch":true,"covers":true}""", run.Lines[3]);
    }

    [Fact]
    public void MatchBatch_OverlapFields_AreUnknownHere()
    {
        CliRun run = CliRun.WithInput(CliRun.Batch("""{"a":"x","b":"y"}"""), "match", "--batch", "-");

        JsonElement error = run.JsonLines.Single().GetProperty("error");
        Assert.Equal(CliError.InvalidInput, error.GetProperty("code").GetString());
        Assert.Equal("a", error.GetProperty("field").GetString());
        Assert.Contains("\"pattern\"", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
