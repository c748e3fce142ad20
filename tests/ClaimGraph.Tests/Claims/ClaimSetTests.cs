using ClaimGraph.Claims;
using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Claims;

public class ClaimSetTests
{
    [Theory]
    [InlineData("write", "write", true)]
    [InlineData("write", "append", true)]
    [InlineData("write", "read", true)]
    [InlineData("append", "write", true)]
    [InlineData("append", "append", false)]
    [InlineData("append", "read", false)]
    [InlineData("read", "write", true)]
    [InlineData("read", "append", false)]
    [InlineData("read", "read", false)]
    public void Conflicts_ModePairOnSamePath_FollowsMatrix(string modeA, string modeB, bool expected)
    {
        ClaimSet a = ClaimSet.Parse($"{modeA} src/**");
        ClaimSet b = ClaimSet.Parse($"{modeB} src/app.py");

        ClaimConflictResult r = ClaimSet.Conflicts(a, b);

        Assert.Equal(expected, r.IsConflict);
        Assert.False(r.IsConservative);
        if (expected)
        {
            Assert.Equal("src/app.py", r.Conflict!.Witness);
            Assert.Equal(a.Entries[0], r.Conflict.Left);
            Assert.Equal(b.Entries[0], r.Conflict.Right);
        }
    }

    [Fact]
    public void Conflicts_DisjointPatterns_None()
    {
        ClaimConflictResult r = ClaimSet.Conflicts(ClaimSet.Parse("write docs/**"), ClaimSet.Parse("write *.md"));
        Assert.False(r.IsConflict);
        Assert.Null(r.Conflict);
    }

    [Fact]
    public void Conflicts_ExclusionCoversOtherEntry_None()
    {
        ClaimSet a = ClaimSet.Parse("write src/**\n!src/gen/**");
        ClaimSet b = ClaimSet.Parse("read src/gen/x.cs");
        Assert.False(ClaimSet.Conflicts(a, b).IsConflict);
        Assert.False(ClaimSet.Conflicts(b, a).IsConflict);
    }

    [Fact]
    public void Conflicts_ExclusionCoversOnlyPart_WitnessOutsideExclusion()
    {
        ClaimSet a = ClaimSet.Parse("write src/**\n!src/gen/**");
        ClaimSet b = ClaimSet.Parse("write src/*/x.cs");
        ClaimConflictResult r = ClaimSet.Conflicts(a, b);
        Assert.True(r.IsConflict);
        Assert.False(r.IsConservative);
        string w = r.Conflict!.Witness;
        Assert.True(a.Entries[0].Pattern.Covers(w) && b.Entries[0].Pattern.Covers(w));
        Assert.False(a.Exclusions[0].Covers(w));
    }

    [Fact]
    public void Conflicts_Barrier_ConflictsWithReadOnly()
    {
        ClaimConflictResult r = ClaimSet.Conflicts(ClaimSet.Barrier, ClaimSet.Parse("read docs/**"));
        Assert.True(r.IsConflict);
        Assert.True(r.Conflict!.LeftIsBarrier);
        Assert.False(r.Conflict.RightIsBarrier);
        Assert.Equal("docs/a", r.Conflict.Witness);
    }

    [Fact]
    public void Conflicts_Swapped_EvidenceMirrored()
    {
        ClaimSet a = ClaimSet.Parse("write src/**\nread docs/**");
        ClaimSet b = ClaimSet.Parse("write docs/a.md\nwrite src/b.cs");
        ClaimConflictResult ab = ClaimSet.Conflicts(a, b);
        ClaimConflictResult ba = ClaimSet.Conflicts(b, a);
        Assert.Equal(ab.Conflict, ba.Conflict!.Mirror());
    }

    [Fact]
    public void Parse_UnknownMode_TypedError()
    {
        var ex = Assert.Throws<ClaimSetParseException>(() => ClaimSet.Parse("write a\n  writ src/**"));
        Assert.Equal(ClaimSetErrorCode.UnknownMode, ex.Code);
        Assert.Equal(2, ex.Line);
        Assert.Equal(2, ex.Position);
    }

    [Fact]
    public void Parse_InvalidPattern_PositionInLine()
    {
        var ex = Assert.Throws<ClaimSetParseException>(() => ClaimSet.Parse("read  a**b"));
        Assert.Equal(ClaimSetErrorCode.InvalidPattern, ex.Code);
        Assert.Equal(GlobErrorCode.GlobstarNotAlone, ex.Error.PatternError!.Code);
        Assert.Equal(1, ex.Line);
        Assert.Equal(6 + ex.Error.PatternError.Position, ex.Position);
    }

    [Theory]
    [InlineData("src/a.cs", "src/a.cs")]
    [InlineData("docs/{draft},v1[2]*?.md", "docs/\\{draft\\}\\,v1\\[2\\]\\*\\?.md")]
    [InlineData("db:x/!y", "db\\:x/\\!y")]
    public void EscapePath_SpecialCharacters_MatchesExactlyThatPath(string path, string expected)
    {
        string pattern = ClaimEntry.EscapePath(path);
        Glob glob = Glob.Parse(pattern);

        Assert.Equal(expected, pattern);
        Assert.Equal(string.Empty, glob.Namespace);
        Assert.True(glob.IsMatch(path));
        Assert.Equal(ClaimMode.Read, ClaimEntry.ForPath(ClaimMode.Read, path).Mode);
        Assert.Throws<InvalidPathException>(() => ClaimEntry.EscapePath("a//b"));
    }
}
