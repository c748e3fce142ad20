using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Globs;

public class GlobPathTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("src/app.py")]
    [InlineData(".gitignore")]
    [InlineData("a/.../b")]
    [InlineData("a b/c:d/[e]")]
    [InlineData("\uD834\uDD1E/\uD800")]
    public void IsValid_RepositoryPath_True(string path)
    {
        Assert.True(GlobPath.IsValid(path));
        Assert.True(GlobPath.TryValidate(path, out GlobError? error));
        Assert.Null(error);
        GlobPath.Validate(path);
    }

    [Theory]
    [InlineData("", GlobErrorCode.EmptyPath, 0, null)]
    [InlineData("/a/b", GlobErrorCode.AbsolutePath, 0, "'a/b'")]
    [InlineData("a//b", GlobErrorCode.PathEmptySegment, 2, "/")]
    [InlineData("a/", GlobErrorCode.PathEmptySegment, 2, null)]
    [InlineData("a/./b", GlobErrorCode.PathDotSegment, 2, null)]
    [InlineData("../a", GlobErrorCode.PathDotSegment, 0, null)]
    [InlineData("a/..", GlobErrorCode.PathDotSegment, 2, null)]
    [InlineData(".", GlobErrorCode.PathDotSegment, 0, null)]
    [InlineData("a\0", GlobErrorCode.PathNulCharacter, 1, null)]
    [InlineData("src\\app.py", GlobErrorCode.PathBackslash, 3, "'src/app.py'")]
    public void Validate_InvalidPath_ThrowsWithCodePositionAndHint(string path, GlobErrorCode code, int position, string? hint)
    {
        Assert.False(GlobPath.IsValid(path));
        Assert.False(GlobPath.TryValidate(path, out GlobError? error));
        Assert.Equal(code, error.Code);
        Assert.Equal(position, error.Position);
        Assert.Equal(path, error.Input);
        InvalidPathException e = Assert.Throws<InvalidPathException>(() => GlobPath.Validate(path));
        Assert.Equal((error.Code, error.Input, error.Position, error.ToString()), (e.Error.Code, e.Error.Input, e.Error.Position, e.Error.ToString()));
        Assert.Equal(code, e.Code);
        Assert.Equal(position, e.Position);
        Assert.Equal("path", e.ParamName);
        if (hint is not null)
        {
            Assert.Contains(hint, e.Hint, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_EveryPathErrorCode_HasAnExampleAbove()
    {
        string[] examples = ["", "/a", "a//b", "a/./b", "a\0", "a\\b"];
        var codes = examples.Select(p => GlobPath.TryValidate(p, out GlobError? e) ? (GlobErrorCode?)null : e.Code).ToHashSet();
        foreach (GlobErrorCode code in Enum.GetValues<GlobErrorCode>().Where(c => (int)c > 100))
        {
            Assert.Contains(code, codes);
        }
    }

    [Fact]
    public void TryValidate_Null_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => GlobPath.TryValidate(null!, out _));
}
