using ClaimGraph.Globs;
using ClaimGraph.Tests.Docs;

namespace ClaimGraph.Tests.Globs;

public class GlobErrorTests
{
    [Fact]
    public void ToString_WithHint_HasMessagePositionInputAndHint()
    {
        var error = new GlobError(GlobErrorCode.GlobstarNotAlone, "**.md", 0, "'**' shares a segment", "did you mean '**/*.md'?");
        Assert.Equal("'**' shares a segment (at position 0 in '**.md'); did you mean '**/*.md'?", error.ToString());
    }

    [Fact]
    public void ToString_WithoutHint_HasMessagePositionAndInput()
    {
        var error = new GlobError(GlobErrorCode.EmptyPath, string.Empty, 0, "The path is empty", null);
        Assert.Equal("The path is empty (at position 0 in '')", error.ToString());
    }

    [Fact]
    public void GlobParseException_FromParse_CarriesTheErrorAndIsAFormatException()
    {
        GlobParseException e = Assert.Throws<GlobParseException>(() => Glob.Parse("a\\b"));
        Assert.IsAssignableFrom<FormatException>(e);
        Assert.Equal(e.Error.ToString(), e.Message);
        Assert.Equal("a\\b", e.Pattern);
        Assert.Equal(GlobErrorCode.InvalidEscape, e.Code);
        Assert.Equal(1, e.Position);
        Assert.Contains("'/'", e.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidPathException_FromIsMatch_CarriesTheErrorAndIsAnArgumentException()
    {
        InvalidPathException e = Assert.Throws<InvalidPathException>(() => Glob.Parse("**").IsMatch("/a"));
        Assert.IsAssignableFrom<ArgumentException>(e);
        Assert.StartsWith(e.Error.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Equal(GlobErrorCode.AbsolutePath, e.Code);
        Assert.Equal(0, e.Position);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void Exceptions_NullError_ThrowArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => new GlobParseException(null!));
        Assert.Throws<ArgumentNullException>(() => new InvalidPathException(null!));
    }

    [Fact]
    public void GlobErrorCode_Numbers_AreStable()
    {
        // Renumbering is a breaking change: pin every value.
        int[] expected = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 101, 102, 103, 104, 105, 106];
        Assert.Equal(expected, Enum.GetValues<GlobErrorCode>().Select(c => (int)c).Order());
        Assert.Equal(4, (int)GlobErrorCode.GlobstarNotAlone);
        Assert.Equal(19, (int)GlobErrorCode.BraceNestingTooDeep);
        Assert.Equal(20, (int)GlobErrorCode.BackslashSeparator);
        Assert.Equal(21, (int)GlobErrorCode.PosixCharacterClass);
        Assert.Equal(106, (int)GlobErrorCode.PathBackslash);
    }

    [Fact]
    public void Readme_ErrorTable_ListsEveryCodeWithItsNumber()
    {
        string readme = File.ReadAllText(Path.Combine(ReadmeTests.RepoRoot(), "README.md"));
        foreach (GlobErrorCode code in Enum.GetValues<GlobErrorCode>())
        {
            Assert.Contains($"| `{code}` | {(int)code} |", readme, StringComparison.Ordinal);
        }
    }
}
