using System.Collections.Immutable;
using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Globs;

/// <summary>
/// The glob algorithm behind claim-set exclusions, called directly: is some path covered by both patterns and by no
/// exclusion of either side? (Claim sets call it per conflicting entry pair; their own tests stay with them.)
/// </summary>
public class ExclusionSearchTests
{
    private static ImmutableArray<Glob> Globs(string lines) =>
        lines.Length == 0 ? [] : [.. lines.Split(';').Select(p => Glob.Parse(p))];

    private static ExclusionSearch.Outcome Find(string e, string excludedByE, string f, string excludedByF, out string? witness, int budget = ExclusionSearch.DefaultBudget) =>
        ExclusionSearch.Find(Glob.Parse(e), Globs(excludedByE), Glob.Parse(f), Globs(excludedByF), budget, out witness);

    [Theory]
    [InlineData("src/**", "src/a/**;src/b/**", "src/{a,b}/**", "")]
    [InlineData("**", "**/*.md", "docs/*.md", "")]
    [InlineData("src/**", "src/[a-m]*", "src/[a-c]?", "")]
    [InlineData("src/**", "src/*/gen/**", "src/*/gen/x/**", "")]
    [InlineData("db:billing/**", "db:billing/**", "db:billing/schema", "")]
    [InlineData("**", "*", "a*/**", "")]
    [InlineData("src/**", "src/a/**", "src/{a,b}/**", "src/b/**")]
    public void Find_SharedCoverageAllExcluded_Disjoint(string e, string excludedByE, string f, string excludedByF)
    {
        Assert.Equal(ExclusionSearch.Outcome.Disjoint, Find(e, excludedByE, f, excludedByF, out _));
        Assert.Equal(ExclusionSearch.Outcome.Disjoint, Find(f, excludedByF, e, excludedByE, out _));
    }

    [Theory]
    [InlineData("**", "**/*.md", "docs/**", "", "docs/a")]
    [InlineData("src/**", "src/[a-m]*", "src/[a-z]", "", "src/n")]
    [InlineData("src/**", "src/a/**;src/b/**", "src/{a,b,c}/**", "", "src/c/a")]
    [InlineData("src/**", "src/*/*", "src/**", "", "src/a")]
    [InlineData("src/**", "src/a;src/b", "src/?", "", "src/c")]
    public void Find_SomeSharedPathNotExcluded_ExactWitness(string e, string excludedByE, string f, string excludedByF, string expected)
    {
        Assert.Equal(ExclusionSearch.Outcome.Witness, Find(e, excludedByE, f, excludedByF, out string? witness));

        Assert.Equal(expected, witness);
        Assert.True(Glob.Parse(e).Covers(witness!) && Glob.Parse(f).Covers(witness!));
        Assert.DoesNotContain(Globs(excludedByE).Concat(Globs(excludedByF)), x => x.Covers(witness!));
    }

    [Fact]
    public void Find_ExclusionInOtherNamespace_DoesNotSubtract()
    {
        Assert.Equal(ExclusionSearch.Outcome.Witness, Find("db:billing/**", "billing/**", "db:billing/schema", "", out string? witness));
        Assert.Equal("billing/schema", witness);
    }

    [Fact]
    public void Find_BudgetExhausted_UnknownWithOverlapWitness()
    {
        // An exclusion covers the shortest shared path but not all of either pattern, so only the search can decide.
        Assert.Equal(ExclusionSearch.Outcome.Unknown, Find("src/**", "src/a/**;src/b/**", "src/{a,b,c}/**", "", out string? witness, budget: 0));

        Assert.True(Glob.Parse("src/**").Covers(witness!) && Glob.Parse("src/{a,b,c}/**").Covers(witness!));
    }

    /// <summary>Patterns whose automata take more than one 64-bit word, so positions move across word boundaries.</summary>
    [Theory]
    [InlineData("{a,b}/{a,b}/{a,b}/{a,b}", "", "**/b", "a/**;*/a/**")]
    [InlineData("{a,b}/{a,b}/{a,b}/{a,b}", "{a,b}/{a,b}/a/**", "**/{a,b}", "*/b/**;b/**")]
    [InlineData("**", "{a,b}/{a,b}/{a,b}/{a,b};{a,b}/{a,b}/{a,b}/{a,b}/**", "*/*/*/*/**", "")]
    [InlineData("{a,b,c}/{a,b,c}/{a,b,c}", "{a,b}/{a,b}/**", "**/c", "c/{a,b}/**")]
    public void Find_ManyPositions_AgreesWithBruteForce(string e, string excludedByE, string f, string excludedByF)
    {
        Glob ge = Glob.Parse(e), gf = Glob.Parse(f);
        ImmutableArray<Glob> xe = Globs(excludedByE), xf = Globs(excludedByF);
        string? shortest = null;
        foreach (string path in Universe("abc", 5))
        {
            if (ge.Covers(path) && gf.Covers(path) && !xe.Concat(xf).Any(x => x.Covers(path)))
            {
                shortest = path;
                break;
            }
        }

        ExclusionSearch.Outcome outcome = ExclusionSearch.Find(ge, xe, gf, xf, ExclusionSearch.DefaultBudget, out string? witness);

        Assert.Equal(shortest is null ? ExclusionSearch.Outcome.Disjoint : ExclusionSearch.Outcome.Witness, outcome);
        if (shortest is not null)
        {
            Assert.True(ge.Covers(witness!) && gf.Covers(witness!), witness);
            Assert.DoesNotContain(xe.Concat(xf), x => x.Covers(witness!));
            Assert.Equal(shortest.Length, witness!.Length);
        }
    }

    /// <summary>Every path of one to <paramref name="depth"/> one-letter names, shortest first.</summary>
    private static IEnumerable<string> Universe(string letters, int depth)
    {
        var level = new List<string> { string.Empty };
        for (int d = 1; d <= depth; d++)
        {
            level = [.. level.SelectMany(p => letters.Select(c => p.Length == 0 ? c.ToString() : p + "/" + c))];
            foreach (string path in level)
            {
                yield return path;
            }
        }
    }
}
