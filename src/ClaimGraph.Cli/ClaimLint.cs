using ClaimGraph.Claims;
using ClaimGraph.Globs;

namespace ClaimGraph.Cli;

/// <summary>Why <c>lint</c> flags a claim line. The names are the <c>code</c> of the JSON output.</summary>
internal enum LintWarning
{
    /// <summary>Nothing to say.</summary>
    None,

    /// <summary>An entry whose pattern covers no file of the tree: usually a typo.</summary>
    CoversNoFile,

    /// <summary>An entry whose files are all removed by the claim set's exclusions.</summary>
    AllFilesExcluded,

    /// <summary>An entry covering more than the broad share of the tree: it serialises most work.</summary>
    CoversMostFiles,

    /// <summary>An exclusion that covers no file of the tree: usually a typo.</summary>
    ExcludesNoFile,
}

/// <summary>
/// One line of a claim-set file: an entry (<c>write src/**</c>) or an exclusion (<c>!src/gen/**</c>), and what it
/// covers in the tree.
/// </summary>
/// <param name="Line">One-based line number.</param>
/// <param name="Text">The claim in its normal text form (<c>write src/**</c>, <c>!src/gen/**</c>).</param>
/// <param name="Mode">The entry's mode, or <see langword="null"/> for an exclusion.</param>
/// <param name="Pattern">The pattern.</param>
/// <param name="Files">
/// For an entry, the files it covers that no exclusion removes; for an exclusion, the files it covers;
/// <see langword="null"/> when the pattern is in another namespace than files (<c>db:users/**</c>) and was not checked.
/// </param>
/// <param name="Warning">What is wrong, or <see cref="LintWarning.None"/>.</param>
internal sealed record LintedClaim(int Line, string Text, ClaimMode? Mode, Glob Pattern, int? Files, LintWarning Warning)
{
    /// <summary>The kind in the JSON output: the mode keyword, or <c>exclude</c>.</summary>
    public string Kind => Mode is { } mode ? mode.ToKeyword() : "exclude";
}

/// <summary>
/// Checks a claim-set text against the files of a tree: for each line, how many files it covers, and whether it looks
/// like a typo (covers nothing) or is so broad that it serialises most work (covers more than a share of the tree).
/// Pure: the tree is given as a list of paths.
/// </summary>
internal static class ClaimLint
{
    /// <summary>The default of <c>--broad-share</c>: an entry covering more than half the files is flagged.</summary>
    public const double DefaultBroadShare = 0.5;

    /// <summary>
    /// Parses <paramref name="text"/> as a claim set and lints every claim line against <paramref name="files"/>.
    /// Returns <see langword="null"/> and the parse error when the text is not a valid claim set.
    /// </summary>
    public static IReadOnlyList<LintedClaim>? TryLint(
        string text, GlobOptions options, IReadOnlyList<string> files, double broadShare, out ClaimSetError? error)
    {
        if (!ClaimSet.TryParse(text, options, out _, out error))
        {
            return null;
        }

        var lines = ReadLines(text, options);
        var excluded = new bool[files.Count];
        foreach ((int _, ClaimEntry? entry, Glob pattern) in lines)
        {
            if (entry is null && pattern.Namespace.Length == 0)
            {
                for (int f = 0; f < files.Count; f++)
                {
                    excluded[f] |= pattern.Covers(files[f]);
                }
            }
        }

        var result = new List<LintedClaim>(lines.Count);
        foreach ((int line, ClaimEntry? entry, Glob pattern) in lines)
        {
            string claimText = entry is null ? "!" + pattern : entry.ToString();
            if (pattern.Namespace.Length != 0)
            {
                result.Add(new LintedClaim(line, claimText, entry?.Mode, pattern, null, LintWarning.None));
                continue;
            }

            int covered = 0;
            int kept = 0;
            for (int f = 0; f < files.Count; f++)
            {
                if (pattern.Covers(files[f]))
                {
                    covered++;
                    kept += excluded[f] ? 0 : 1;
                }
            }

            LintWarning warning;
            if (entry is null)
            {
                warning = covered == 0 ? LintWarning.ExcludesNoFile : LintWarning.None;
                result.Add(new LintedClaim(line, claimText, null, pattern, covered, warning));
                continue;
            }

            warning = covered == 0 ? LintWarning.CoversNoFile
                : kept == 0 ? LintWarning.AllFilesExcluded
                : kept > broadShare * files.Count ? LintWarning.CoversMostFiles
                : LintWarning.None;
            result.Add(new LintedClaim(line, claimText, entry.Mode, pattern, kept, warning));
        }

        return result;
    }

    /// <summary>The sentence for a warning, given the line's count and the tree's size.</summary>
    public static string Describe(LintWarning warning, int files, int total) => warning switch
    {
        LintWarning.CoversNoFile => "covers no file: a typo?",
        LintWarning.AllFilesExcluded => "every file it covers is excluded: it claims nothing",
        LintWarning.CoversMostFiles => $"covers {files} of {total} files: serialises most work",
        LintWarning.ExcludesNoFile => "excludes no file: a typo?",
        _ => string.Empty,
    };

    /// <summary>The lines of a claim-set text, split as the claim-set parser does: at <c>\n</c>, <c>\r\n</c> and <c>\r</c>.</summary>
    public static string[] SplitLines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', '\r');

    /// <summary>
    /// The claim lines of a text already known to be valid, in order: the entry (or <see langword="null"/> for an
    /// exclusion) and its pattern. Line ends are those of the claim-set parser: <c>\n</c>, <c>\r\n</c>, <c>\r</c>.
    /// </summary>
    private static List<(int Line, ClaimEntry? Entry, Glob Pattern)> ReadLines(string text, GlobOptions options)
    {
        var lines = new List<(int, ClaimEntry?, Glob)>();
        int number = 0;
        foreach (string raw in SplitLines(text))
        {
            number++;
            string line = raw.Trim(' ', '\t');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line[0] == '!')
            {
                lines.Add((number, null, Glob.Parse(line[1..].Trim(' ', '\t'), options)));
            }
            else
            {
                // One entry line parses alone into a one-entry claim set (the whole text already parsed).
                ClaimEntry entry = ClaimSet.Parse(line, options).Entries[0];
                lines.Add((number, entry, entry.Pattern));
            }
        }

        return lines;
    }
}
