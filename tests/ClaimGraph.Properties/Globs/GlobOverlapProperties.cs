using ClaimGraph.Globs;
using ClaimGraph.Oracles.Globs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Globs;

/// <summary>Two patterns whose overlap is checked.</summary>
internal sealed record OverlapCase(PatternSpec A, PatternSpec B)
{
    public static readonly Arbitrary<OverlapCase> Arbitrary = Arb.From(
        from a in GlobGen.PatternGen(Dialect.Overlap)
        from b in GlobGen.PatternGen(Dialect.Overlap)
        select new OverlapCase(a, b),
        c => GlobGen.ShrinkSpec(c.A, Dialect.Overlap).Select(a => c with { A = a })
            .Concat(GlobGen.ShrinkSpec(c.B, Dialect.Overlap).Select(b => c with { B = b })));

    public override string ToString() => $"{A} vs {B}";
}

/// <summary>
/// <see cref="Glob.Overlaps(Glob, Glob)"/> and <see cref="Glob.TryGetWitness"/> against the regex oracle on a universe of
/// short paths over the generator's alphabet: no miss, no false positive, shortest witness, symmetry.
/// </summary>
public class GlobOverlapProperties
{
    /// <summary>Every path of up to two names of one or two characters over "abA.", and a third level of one-character names.</summary>
    private static readonly (string Path, int Parent)[] Universe = BuildUniverse();

    private static (string Path, int Parent)[] BuildUniverse()
    {
        const string Alphabet = "abA.";
        var names = new List<string>();
        foreach (char x in Alphabet)
        {
            names.Add(x.ToString());
            foreach (char y in Alphabet)
            {
                names.Add($"{x}{y}");
            }
        }

        names.RemoveAll(n => n is "." or "..");
        var universe = new List<(string, int)>();
        foreach (string n in names)
        {
            universe.Add((n, -1));
        }

        int level1 = universe.Count;
        for (int p = 0; p < level1; p++)
        {
            foreach (string n in names)
            {
                universe.Add((universe[p].Item1 + "/" + n, p));
            }
        }

        int level2 = universe.Count;
        for (int p = level1; p < level2; p++)
        {
            foreach (string n in names.Where(n => n.Length == 1))
            {
                universe.Add((universe[p].Item1 + "/" + n, p));
            }
        }

        return [.. universe];
    }

    /// <summary>Coverage of every universe path by the oracle: the path matches, or its parent is covered.</summary>
    private static bool[] Coverage(RegexGlobOracle oracle)
    {
        var covered = new bool[Universe.Length];
        for (int i = 0; i < Universe.Length; i++)
        {
            (string path, int parent) = Universe[i];
            covered[i] = (parent >= 0 && covered[parent]) || oracle.IsMatch(path);
        }

        return covered;
    }

    // 1,000 cases: each checks two oracles on the whole universe, the most expensive property of the project.
    [Property(MaxTest = 1000)]
    public Property Overlaps_RandomPairs_ExactSymmetricWithShortestWitness() =>
        Prop.ForAll(OverlapCase.Arbitrary, c =>
        {
            Glob a = c.A.Parse(), b = c.B.Parse();
            RegexGlobOracle oa = RegexGlobOracle.Compile(c.A.Text, c.A.IgnoreCase);
            RegexGlobOracle ob = RegexGlobOracle.Compile(c.B.Text, c.B.IgnoreCase);

            bool overlaps = Glob.Overlaps(a, b);
            Assert.Equal(overlaps, Glob.Overlaps(b, a));
            bool hasWitness = Glob.TryGetWitness(a, b, out string? witness);
            Assert.True(Glob.TryGetWitness(b, a, out string? reversed) == hasWitness, "witness existence is not symmetric");
            Assert.Equal(witness, reversed);
            Assert.True(hasWitness == overlaps, $"Overlaps {overlaps} but witness '{witness}'");
            if (hasWitness)
            {
                Assert.True(GlobPath.IsValid(witness), $"witness '{witness}' is not a valid path");
                Assert.True(oa.Covers(witness!) && ob.Covers(witness!), $"witness '{witness}' is not covered by both (oracle)");
            }

            bool[] ca = Coverage(oa), cb = Coverage(ob);
            string? shortest = null;
            for (int i = 0; i < Universe.Length; i++)
            {
                if (ca[i] && cb[i] && (shortest is null || Universe[i].Path.Length < shortest.Length))
                {
                    shortest = Universe[i].Path;
                }
            }

            if (shortest is not null)
            {
                Assert.True(overlaps, $"missed overlap: both cover '{shortest}'");
                Assert.True(witness!.Length <= shortest.Length, $"witness '{witness}' is longer than the common path '{shortest}'");
            }
        });
}
