using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Globs;

public partial class GlobTests
{
    private const int Calls = 1000;

    private static long AllocatedPerCall(Action call)
    {
        for (int i = 0; i < 100; i++)
        {
            call();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++)
        {
            call();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / Calls;
    }

    [Theory]
    [InlineData("src/billing/**", "src/billing/schema.sql")]
    [InlineData("src/*/schema.sql", "src/billing/schema.sql")]
    [InlineData("**/*.md", "docs/guide/intro.md")]
    [InlineData("docs/**", "src/app.py")]
    [InlineData("src/app.py", "src/app.py")]
    [InlineData("{src,lib}/**/*.[ch]", "lib/x/y.h")]
    public void IsMatchAndCovers_TypicalPatterns_AllocateNothing(string pattern, string path)
    {
        Glob glob = Glob.Parse(pattern);
        Glob ignoreCase = Glob.Parse(pattern, GlobOptions.IgnoreCase);
        Assert.Equal(0, AllocatedPerCall(() => glob.IsMatch(path)));
        Assert.Equal(0, AllocatedPerCall(() => glob.Covers(path)));
        Assert.Equal(0, AllocatedPerCall(() => ignoreCase.IsMatch(path)));
        Assert.Equal(0, AllocatedPerCall(() => ignoreCase.Covers(path)));
    }

    [Theory]
    [InlineData("src/billing/**", "src/*/schema.sql")]
    [InlineData("**/*.md", "docs/**")]
    [InlineData("src/app.py", "src/app.py")]
    [InlineData("src/app.py", "src/lib.py")]
    [InlineData("docs/**", "*.md")]
    [InlineData("src/**/test_*.py", "src/a/test_b.py")]
    [InlineData("src/[ab]*.c", "src/?x.c")]
    public void Overlaps_TypicalPatterns_AllocatesNothing(string a, string b)
    {
        Glob x = Glob.Parse(a), y = Glob.Parse(b);
        Assert.Equal(0, AllocatedPerCall(() => Glob.Overlaps(x, y)));
    }
}
