using ClaimGraph.Globs;
using ClaimGraph.Serialization;
using Xunit.Abstractions;

namespace ClaimGraph.Tests.Globs;

public class GlobCorpusTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Overlaps_CodeownersPatternsCoveringACommonRealPath_AreReportedOverlapping()
    {
        string? root = CorpusFiles.Root;
        Skip.If(root is null, CorpusFiles.SkipReason);
        int trees = 0;
        foreach ((string name, PatternFileFormat format, string text) in CorpusFiles.PatternFiles(root))
        {
            if (format != PatternFileFormat.Codeowners || CorpusFiles.Tree(root, name[..name.LastIndexOf("__", StringComparison.Ordinal)]) is not { } files)
            {
                continue;
            }

            trees++;

            // The tree's files and every directory above them: each is a real path a claim can cover.
            var universe = new SortedSet<string>(files, StringComparer.Ordinal);
            foreach (string file in files)
            {
                for (int slash = file.IndexOf('/'); slash > 0; slash = file.IndexOf('/', slash + 1))
                {
                    universe.Add(file[..slash]);
                }
            }

            string[] paths = [.. universe];
            GitignoreLine[] lines = [.. GitignoreReader.ReadAll(text, format).Where(l => l.Kind == GitignoreLineKind.Pattern)];
            var covered = new ulong[lines.Length][];
            for (int i = 0; i < lines.Length; i++)
            {
                covered[i] = new ulong[(paths.Length + 63) / 64];
                for (int p = 0; p < paths.Length; p++)
                {
                    if (lines[i].Glob!.Covers(paths[p]))
                    {
                        covered[i][p / 64] |= 1UL << (p % 64);
                    }
                }
            }

            int sharing = 0, overlapping = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                for (int j = i + 1; j < lines.Length; j++)
                {
                    Glob a = lines[i].Glob!, b = lines[j].Glob!;
                    bool overlaps = Glob.Overlaps(a, b);
                    overlapping += overlaps ? 1 : 0;
                    int common = FirstCommon(covered[i], covered[j]);
                    if (common >= 0)
                    {
                        sharing++;
                        Assert.True(overlaps, $"{name}: lines {lines[i].LineNumber} '{a}' and {lines[j].LineNumber} '{b}' both cover '{paths[common]}' but do not overlap");
                        Assert.True(Glob.TryGetWitness(a, b, out string? witness));
                        Assert.True(a.Covers(witness) && b.Covers(witness), $"{name}: witness '{witness}' of '{a}' and '{b}'");
                        Assert.True(witness.Length <= paths[common].Length, $"{name}: witness '{witness}' longer than '{paths[common]}'");
                    }
                }
            }

            output.WriteLine($"{name}: {lines.Length} patterns, {paths.Length} real paths, {sharing} pairs share a real path, {overlapping} pairs overlap");
        }

        Assert.True(trees >= 5, $"expected the 5 CODEOWNERS files with a tree, found {trees}");
    }

    private static int FirstCommon(ulong[] a, ulong[] b)
    {
        for (int w = 0; w < a.Length; w++)
        {
            ulong both = a[w] & b[w];
            if (both != 0)
            {
                return (w * 64) + System.Numerics.BitOperations.TrailingZeroCount(both);
            }
        }

        return -1;
    }
}
