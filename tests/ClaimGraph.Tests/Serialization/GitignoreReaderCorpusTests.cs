using ClaimGraph.Globs;
using ClaimGraph.Serialization;
using ClaimGraph.Tests.Globs;
using Xunit.Abstractions;

namespace ClaimGraph.Tests.Serialization;

public class GitignoreReaderCorpusTests(ITestOutputHelper output)
{
    /// <summary>The only reasons a real line may be unsupported for: syntax that git or GitHub does not give a meaning ClaimGraph can keep.</summary>
    private static readonly GitignoreUnsupportedReason[] ExpectedReasons =
    [
        GitignoreUnsupportedReason.NegationInCodeowners,
        GitignoreUnsupportedReason.CharacterRangeInCodeowners,
        GitignoreUnsupportedReason.CharacterClass,
        GitignoreUnsupportedReason.TrailingBackslash,
    ];

    [SkippableFact]
    public void ReadAll_EveryCorpusPatternFile_ReadsEveryLineOrGivesAnExpectedReason()
    {
        string? root = CorpusFiles.Root;
        Skip.If(root is null, CorpusFiles.SkipReason);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int files = 0, patterns = 0;
        foreach ((string name, PatternFileFormat format, string text) in CorpusFiles.PatternFiles(root))
        {
            files++;
            string[] raw = text.Split('\n');
            int expectedLines = text.EndsWith('\n') ? raw.Length - 1 : raw.Length;
            var lines = GitignoreReader.ReadAll(text, format);
            Assert.Equal(expectedLines, lines.Length);

            int ruleLines = 0, negations = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                GitignoreLine line = lines[i];
                string trimmed = format == PatternFileFormat.Codeowners ? raw[i].TrimStart(' ', '\t') : raw[i];
                bool isRule = trimmed.Trim(' ').Length > 0 && !trimmed.StartsWith('#');
                ruleLines += isRule ? 1 : 0;
                negations += format == PatternFileFormat.Gitignore && raw[i].StartsWith('!') ? 1 : 0;
                Assert.Equal(i + 1, line.LineNumber);
                Assert.Equal(raw[i], line.Text);
                string key = line.Kind == GitignoreLineKind.Unsupported ? $"{format}/{line.Reason}" : $"{format}/{line.Kind}";
                counts[key] = counts.GetValueOrDefault(key) + 1;
                switch (line.Kind)
                {
                    case GitignoreLineKind.Pattern:
                        patterns++;
                        Assert.True(isRule, $"{name}:{i + 1} '{raw[i]}' read as a pattern");
                        Assert.Equal(line.Glob, Glob.Parse(line.Pattern!));
                        break;
                    case GitignoreLineKind.Unsupported:
                        Assert.True(isRule, $"{name}:{i + 1} '{raw[i]}' read as unsupported");
                        Assert.Contains(line.Reason, ExpectedReasons);
                        output.WriteLine($"{name}:{line.LineNumber}: {line}");
                        break;
                    default:
                        Assert.False(isRule, $"{name}:{i + 1} '{raw[i]}' read as {line.Kind}");
                        break;
                }
            }

            int read = lines.Count(l => l.Kind is GitignoreLineKind.Pattern or GitignoreLineKind.Unsupported);
            Assert.Equal(ruleLines, read);
            Assert.Equal(negations, lines.Count(l => l.IsNegated));
            Assert.True(lines.Count(l => l.Kind == GitignoreLineKind.Pattern) >= 0.95 * ruleLines, $"{name}: too many unsupported lines");
            if (format == PatternFileFormat.Codeowners)
            {
                // A rule line whose only word is the pattern has no owners (no corpus pattern contains an escaped space).
                int ownerless = raw.Count(r => r.Trim().Length > 0 && !r.TrimStart().StartsWith('#') && r.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length == 1);
                Assert.Equal(ownerless, lines.Count(l => l.Kind == GitignoreLineKind.Pattern && !l.HasOwners));
            }
        }

        Assert.True(files >= 14, $"expected the 14 pattern files of the corpus, found {files}");
        foreach ((string key, int count) in counts)
        {
            output.WriteLine($"{key}: {count}");
        }

        output.WriteLine($"{files} files, {patterns} patterns");
    }

    [SkippableFact]
    public void ReadAll_CorpusCodeowners_KeepsOwnerlessLinesAsPatterns()
    {
        string? root = CorpusFiles.Root;
        Skip.If(root is null, CorpusFiles.SkipReason);
        (string _, PatternFileFormat format, string text) = CorpusFiles.PatternFiles(root).Single(f => f.Name == "grafana__loki__CODEOWNERS");
        GitignoreLine ownerless = Assert.Single(GitignoreReader.ReadAll(text, format), l => l.Kind == GitignoreLineKind.Pattern && !l.HasOwners);
        Assert.Equal("**/CHANGELOG.md", ownerless.Pattern);
    }
}
