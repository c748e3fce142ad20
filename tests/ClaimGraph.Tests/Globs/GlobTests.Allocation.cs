using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Globs;

public partial class GlobTests
{
    private const int Calls = 1000;
    private const int Rounds = 5;

    /// <summary>
    /// The bytes one call allocates: the least of <see cref="Rounds"/> rounds of <see cref="Calls"/> calls. A
    /// one-time allocation elsewhere in the process (a tiered-compilation or thread-pool side effect under load) can
    /// land in one round; an allocation the call itself makes lands in every round, so the least round still shows it.
    /// </summary>
    private static long AllocatedPerCall(Action call)
    {
        for (int i = 0; i < 100; i++)
        {
            call();
        }

        long least = long.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Calls; i++)
            {
                call();
            }

            least = Math.Min(least, (GC.GetAllocatedBytesForCurrentThread() - before) / Calls);
        }

        return least;
    }

    [Fact]
    public void AllocatedPerCall_CallThatAllocatesEveryTime_ReportsItsBytes()
    {
        // The least round must still see an allocation every call makes: a 4-character string is 32 bytes.
        Assert.Equal(32, AllocatedPerCall(() => GC.KeepAlive(new string('x', 4))));
        Assert.Equal(0, AllocatedPerCall(() => GC.KeepAlive(string.Empty)));
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

    [Theory]
    [InlineData("src/billing/**", "src/billing/invoices/**")]
    [InlineData("src/billing/**", "**/*.sql")]
    [InlineData("src/billing/schema.sql", "**/*.md")]
    [InlineData("src/*/schema.sql", "src/billing/*.sql")]
    [InlineData("src/billing/**", "src/payments/**")]
    [InlineData("src/**/test_*.py", "src/a/test_b.py")]
    public void TryGetWitness_TypicalPatterns_AllocatesOnlyTheWitness(string a, string b)
    {
        Glob x = Glob.Parse(a), y = Glob.Parse(b);
        int length = Glob.TryGetWitness(x, y, out string? witness) ? witness.Length : -1;

        // A string of n characters takes 22 + 2n bytes, rounded up to 8; nothing else may be allocated.
        long expected = length < 0 ? 0 : (22 + (2 * length) + 7) / 8 * 8;
        Assert.Equal(expected, AllocatedPerCall(() => Glob.TryGetWitness(x, y, out _)));
    }
}
