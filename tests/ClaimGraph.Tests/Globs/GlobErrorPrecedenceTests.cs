using ClaimGraph.Cli;
using ClaimGraph.Globs;
using ClaimGraph.Tests.Cli;

namespace ClaimGraph.Tests.Globs;

/// <summary>Which error is reported when an input has several problems, as the README's error section states.</summary>
public class GlobErrorPrecedenceTests
{
    [Theory]
    [InlineData("a\0//\\q", GlobErrorCode.NulCharacter, 1)]       // length and NUL are checked before anything else
    [InlineData("a//b\\q", GlobErrorCode.InvalidEscape, 4)]       // the left-to-right scan comes before segment checks
    [InlineData("a/**x/[", GlobErrorCode.UnclosedSet, 6)]         // ... even when the segment problem comes first
    [InlineData("a\\*/x[z-a", GlobErrorCode.InvalidRange, 6)]     // within the scan, the leftmost problem
    [InlineData("src\\*.cs/[", GlobErrorCode.UnclosedSet, 9)]     // a '/' anywhere in the glob: '\*' is a literal star
    [InlineData("x/../**y", GlobErrorCode.DotSegment, 2)]         // segment checks run left to right
    public void Parse_SeveralProblems_ReportsTheFirstInParseOrder(string pattern, GlobErrorCode code, int position)
    {
        Assert.False(Glob.TryParse(pattern, GlobOptions.None, out _, out GlobError? error));

        Assert.Equal(code, error.Code);
        Assert.Equal(position, error.Position);
    }

    [Fact]
    public void Match_PatternAndPathBothInvalid_ThePatternsErrorWins()
    {
        CliRun run = CliRun.Of("match", "src\\*.cs", "src\\a.cs");

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        Assert.Contains("the pattern is invalid", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(nameof(GlobErrorCode.BackslashSeparator), run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(GlobErrorCode.PathBackslash), run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MatchBatch_PatternAndPathBothInvalid_TheErrorLineNamesThePattern()
    {
        CliRun run = CliRun.WithInput(CliRun.Batch("""{"pattern":"a//b","path":"/x"}"""), "match", "--batch", "-");

        OverlapCommandTests.AssertError(run.JsonLines.Single(), "EmptySegment", "pattern", 2);
    }
}
