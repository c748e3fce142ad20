using ClaimGraph.Claims;
using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Claims;

public class ChangedPathsTests
{
    [Fact]
    public void ParseNameStatus_AllStatuses_RenameAndCopyGiveBothPaths()
    {
        string text = "M\tsrc/a.cs\nA\tsrc/new.cs\nD\told.txt\nR100\tsrc/x.cs\tlib/x.cs\nC75\ttemplate.md\tdocs/copy.md\nT\tlink\n";

        var paths = ChangedPaths.ParseNameStatus(text);

        Assert.Equal<string>(
            ["docs/copy.md", "lib/x.cs", "link", "old.txt", "src/a.cs", "src/new.cs", "src/x.cs", "template.md"],
            paths);
    }

    [Fact]
    public void ParseNameStatus_NulSeparated_SameAsLines()
    {
        var lines = ChangedPaths.ParseNameStatus("R090\ta b.txt\tc.txt\nM\td.txt\n");
        var nul = ChangedPaths.ParseNameStatus("R090\0a b.txt\0c.txt\0M\0d.txt\0");

        Assert.Equal<string>(lines, nul);
        Assert.Equal<string>(["a b.txt", "c.txt", "d.txt"], nul);
    }

    [Fact]
    public void ParseNameStatus_QuotedPath_Unquoted()
    {
        var paths = ChangedPaths.ParseNameStatus("M\t\"dir/caf\\303\\251 \\\"x\\\".txt\"\r\n");

        Assert.Equal<string>(["dir/caf\u00e9 \"x\".txt"], paths);
    }

    [Theory]
    [InlineData("Q\tfile", ClaimSetErrorCode.UnknownChangeStatus, 1, 0)]
    [InlineData("M\ta\nR100\tonly-old", ClaimSetErrorCode.MissingChangedPath, 2, 13)]
    [InlineData("M\tsrc//a", ClaimSetErrorCode.InvalidChangedPath, 1, 6)]
    [InlineData("M\t\"bad\\q\"", ClaimSetErrorCode.InvalidQuoting, 1, 2)]
    public void ParseNameStatus_Malformed_TypedError(string text, ClaimSetErrorCode code, int line, int position)
    {
        Assert.False(ChangedPaths.TryParseNameStatus(text, out _, out ClaimSetError? error));
        Assert.Equal(code, error.Code);
        Assert.Equal(line, error.Line);
        Assert.Equal(position, error.Position);
        var ex = Assert.Throws<ClaimSetParseException>(() => ChangedPaths.ParseNameStatus(text));
        Assert.Equal(code, ex.Code);
    }

    [Fact]
    public void FindViolations_RenameOutOfClaims_BothSidesChecked()
    {
        ClaimSet claims = ClaimSet.Parse("write src/**\nappend CHANGELOG.md\nread docs/**\n!src/gen/**");
        var changed = ChangedPaths.ParseNameStatus("R100\tsrc/a.cs\tlib/a.cs\nM\tCHANGELOG.md\nM\tdocs/x.md\nM\tsrc/gen/g.cs\nA\tsrc/b.cs");

        Assert.Equal<string>(["docs/x.md", "lib/a.cs", "src/gen/g.cs"], claims.FindViolations(changed));
    }

    [Fact]
    public void FromPaths_InvalidPath_Throws()
    {
        Assert.Throws<InvalidPathException>(() => ChangedPaths.FromPaths(["a", "/abs"]));
        Assert.Equal<string>(["a", "b"], ChangedPaths.FromPaths(["b", "a", "b"]));
    }
}
