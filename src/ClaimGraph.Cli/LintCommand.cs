using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ClaimGraph.Claims;
using ClaimGraph.Globs;

namespace ClaimGraph.Cli;

/// <summary>
/// <c>claimgraph lint CLAIMS --root DIR</c>: how many files of a real tree each claim line covers, with warnings for
/// lines that cover nothing (a typo?) and entries so broad that they serialise most work. Warnings do not change the
/// exit code (0) unless <c>--fail-on-warnings</c> asks for <see cref="ExitWarnings"/>. Files that the tree's
/// <c>.gitignore</c> files ignore are left out (<see cref="RepositoryTree"/>) unless <c>--no-ignore</c>; a <c>.gitignore</c>
/// line that cannot be applied is a warning, written to standard error.
/// </summary>
internal static class LintCommand
{
    /// <summary>The exit code of a lint with warnings under <c>--fail-on-warnings</c>.</summary>
    public const int ExitWarnings = 3;

    public static Command Build(CliSession session)
    {
        var command = new Command(
            "lint",
            "Check a claim-set file against the files under a directory: how many files each line covers, "
            + $"lines that cover no file (a typo?), entries that cover most of the tree (they serialise most work). Details: {Documentation.Lint}");
        var claims = new Argument<string>("CLAIMS")
        {
            Description = "The claim-set file, one claim per line ('write src/**', 'read docs/**', '!src/gen/**'); '-' for standard input",
        };
        var root = new Option<string>("--root")
        {
            Description = "The directory whose files the claims are checked against, as the top of a repository: .git is skipped, "
                + "and files ignored by the .gitignore files in it are left out (see --no-ignore); default: the current directory",
            HelpName = "DIR",
            DefaultValueFactory = _ => ".",
        };
        var broadShare = new Option<double>("--broad-share")
        {
            Description = "Flag entries covering more than this share of the files: a fraction (0.5) or a percentage (50%)",
            HelpName = "SHARE",
            DefaultValueFactory = _ => ClaimLint.DefaultBroadShare,
            CustomParser = ParseShare,
        };
        var noIgnore = new Option<bool>("--no-ignore")
        {
            Description = "Check against every file under DIR, .gitignore'd ones included (.git is still skipped)",
        };
        var ignoreCase = new Option<bool>("--ignore-case", "-i") { Description = "Match patterns, .gitignore lines included, ignoring case" };
        var json = new Option<bool>("--json") { Description = "Write the result as one JSON object" };
        var failOnWarnings = new Option<bool>("--fail-on-warnings")
        {
            Description = $"Exit with code {ExitWarnings} when there is a warning (default: warnings exit 0)",
        };
        command.Arguments.Add(claims);
        command.Options.Add(root);
        command.Options.Add(broadShare);
        command.Options.Add(noIgnore);
        command.Options.Add(ignoreCase);
        command.Options.Add(json);
        command.Options.Add(failOnWarnings);
        command.SetAction(parsed => Run(
            session,
            parsed.GetValue(claims)!,
            parsed.GetValue(root)!,
            parsed.GetValue(broadShare),
            !parsed.GetValue(noIgnore),
            parsed.GetValue(ignoreCase) ? GlobOptions.IgnoreCase : GlobOptions.None,
            parsed.GetValue(json),
            parsed.GetValue(failOnWarnings)));
        return command;
    }

    private static int Run(
        CliSession session, string claimsPath, string root, double broadShare, bool gitignore, GlobOptions options, bool json, bool failOnWarnings)
    {
        byte[] bytes;
        try
        {
            bytes = claimsPath == "-" ? session.ReadStdin() : File.ReadAllBytes(claimsPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            session.Stderr.WriteLine($"claimgraph: cannot read the claims file {Echo.Quote(claimsPath)}: {Echo.Message(ex.Message)}");
            return CliApp.ExitBadInput;
        }

        if (Utf8Input.TryDecode(bytes, out string? notUtf8) is not { } text)
        {
            session.Stderr.WriteLine($"claimgraph: {Echo.Value(claimsPath)}: {notUtf8}");
            return CliApp.ExitBadInput;
        }

        if (!Directory.Exists(root))
        {
            session.Stderr.WriteLine($"claimgraph: the root {Echo.Quote(root)} is not a directory.");
            return CliApp.ExitBadInput;
        }

        RepositoryTree tree;
        try
        {
            tree = RepositoryTree.Walk(root, gitignore, options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A part of the tree that cannot be read (a directory without permission, a .gitignore that is not a
            // file) is bad input, as a missing root is: the counts would be wrong.
            session.Stderr.WriteLine($"claimgraph: cannot read the tree under {Echo.Quote(root)}: {Echo.Message(ex.Message)}");
            return CliApp.ExitBadInput;
        }

        IReadOnlyList<LintedClaim>? lines = ClaimLint.TryLint(text, options, tree.Files, broadShare, out ClaimSetError? error);
        if (lines is null)
        {
            return Reject(session, claimsPath, text, error!, json);
        }

        int warnings = 0;
        foreach (LintedClaim line in lines)
        {
            warnings += line.Warning == LintWarning.None ? 0 : 1;
        }

        // A .gitignore line that is not applied may put files in or leave them out that git would not: never silently.
        foreach (IgnoreWarning ignored in tree.IgnoreWarnings)
        {
            session.Stderr.WriteLine($"claimgraph: warning: {Echo.Message(ignored.ToString())}");
        }

        warnings += tree.IgnoreWarnings.Count;

        // A file with no claim line declares nothing: a run with it is a barrier that excludes every other run.
        bool barrier = lines.Count == 0;
        warnings += barrier ? 1 : 0;
        session.Stdout.Write(json
            ? FormatJson(claimsPath, root, tree, gitignore, broadShare, barrier, warnings, lines)
            : FormatText(claimsPath, root, tree, barrier, warnings, lines));
        return warnings > 0 && failOnWarnings ? ExitWarnings : CliApp.ExitSuccess;
    }

    private static string FormatText(string claimsPath, string root, RepositoryTree tree, bool barrier, int warnings, IReadOnlyList<LintedClaim> lines)
    {
        var text = new StringBuilder();
        int total = tree.Files.Count;
        if (barrier)
        {
            text.Append("warning: the file declares no claim: a run with it is treated as writing everything (a barrier)\n");
        }
        else
        {
            int width = 0;
            foreach (LintedClaim line in lines)
            {
                width = Math.Max(width, Echo.Escape(line.Text).Length);
            }

            text.Append(Invariant($"{"line",4}  {"files",6}  claim\n"));
            foreach (LintedClaim line in lines)
            {
                string files = line.Files is { } n ? Invariant($"{n}") : "-";
                string note = line.Files is null
                    ? $"  (namespace '{line.Pattern.Namespace}': not checked against files)"
                    : line.Warning == LintWarning.None ? string.Empty
                    : "  warning: " + ClaimLint.Describe(line.Warning, line.Files.Value, total);
                string claim = Echo.Escape(line.Text);
                text.Append(Invariant($"{line.Line,4}  {files,6}  {(note.Length == 0 ? claim : claim.PadRight(width))}{note}\n"));
            }
        }

        var left = new List<string>();
        var ignored = new List<string>(2);
        if (tree.IgnoredFiles > 0)
        {
            ignored.Add(Count(tree.IgnoredFiles, "file", "files"));
        }

        if (tree.IgnoredDirectories > 0)
        {
            ignored.Add(Count(tree.IgnoredDirectories, "directory", "directories"));
        }

        if (ignored.Count > 0)
        {
            left.Add(string.Join(" and ", ignored) + " ignored by .gitignore");
        }

        if (tree.Skipped > 0)
        {
            left.Add(Invariant($"{tree.Skipped} names skipped: not valid repository paths"));
        }

        string notes = left.Count == 0 ? string.Empty : $" ({string.Join("; ", left)})";
        text.Append(Invariant($"{Echo.Escape(claimsPath)}: {total} files under {Echo.Escape(root)}{notes}; {Count(warnings, "warning", "warnings", zero: "no warnings")}\n"));
        return text.ToString();
    }

    private static string FormatJson(
        string claimsPath, string root, RepositoryTree tree, bool gitignore, double broadShare, bool barrier, int warnings, IReadOnlyList<LintedClaim> lines) =>
        WriteJson(json =>
        {
            json.WriteStartObject();
            json.WriteString("claims", claimsPath);
            json.WriteString("root", root);
            json.WriteNumber("files", tree.Files.Count);
            json.WriteNumber("skipped", tree.Skipped);
            json.WriteBoolean("gitignore", gitignore);
            json.WriteNumber("ignoredFiles", tree.IgnoredFiles);
            json.WriteNumber("ignoredDirectories", tree.IgnoredDirectories);
            json.WriteStartArray("gitignoreWarnings");
            foreach (IgnoreWarning ignored in tree.IgnoreWarnings)
            {
                json.WriteStartObject();
                json.WriteString("file", ignored.File);
                json.WriteNumber("line", ignored.Line);
                json.WriteString("text", ignored.Text);
                json.WriteString("reason", ignored.Reason.ToString());
                json.WriteString("message", ignored.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("broadShare", broadShare);
            json.WriteBoolean("barrier", barrier);
            json.WriteNumber("warnings", warnings);
            json.WriteStartArray("lines");
            foreach (LintedClaim line in lines)
            {
                json.WriteStartObject();
                json.WriteNumber("line", line.Line);
                json.WriteString("kind", line.Kind);
                json.WriteString("pattern", line.Pattern.ToString());
                json.WriteString("claim", line.Text);
                if (line.Files is { } n)
                {
                    json.WriteNumber("files", n);
                }
                else
                {
                    json.WriteNull("files");
                }

                if (line.Warning == LintWarning.None)
                {
                    json.WriteNull("warning");
                }
                else
                {
                    json.WriteStartObject("warning");
                    json.WriteString("code", line.Warning.ToString());
                    json.WriteString("message", ClaimLint.Describe(line.Warning, line.Files ?? 0, tree.Files.Count));
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });

    /// <summary>
    /// A claim line the parser rejected: <c>FILE:LINE:COLUMN: CODE (GLOBCODE): message</c>, the line with a caret and the
    /// hint on standard error (columns one-based); with <c>--json</c>, also the error object on standard output.
    /// </summary>
    private static int Reject(CliSession session, string claimsPath, string text, ClaimSetError error, bool json)
    {
        int column = error.Position + 1;
        string code = error.PatternError is { } glob ? $"{error.Code} ({glob.Code})" : error.Code.ToString();
        session.Stderr.WriteLine(Invariant($"claimgraph: {Echo.Value(claimsPath)}:{error.Line}:{column}: {code}: {Echo.Message(error.Message)}"));
        string line = LineOf(text, error.Line);
        if (Echo.FitsUnderCaret(line))
        {
            session.Stderr.WriteLine($"  {line}");
            session.Stderr.WriteLine($"  {new string(' ', Math.Min(error.Position, line.Length))}^");
        }

        if (error.Hint is not null)
        {
            session.Stderr.WriteLine($"  hint: {Echo.Message(error.Hint)}");
        }

        if (json)
        {
            session.Stdout.Write(WriteJson(w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("error");
                w.WriteString("code", error.Code.ToString());
                if (error.PatternError is { } g)
                {
                    w.WriteString("patternCode", g.Code.ToString());
                }
                else
                {
                    w.WriteNull("patternCode");
                }

                w.WriteString("message", error.Message);
                w.WriteString("file", claimsPath);
                w.WriteNumber("line", error.Line);
                w.WriteNumber("column", column);
                w.WriteString("hint", error.Hint);
                w.WriteEndObject();
                w.WriteEndObject();
            }));
        }

        return CliApp.ExitBadInput;
    }

    /// <summary>Line <paramref name="number"/> (one-based) of <paramref name="text"/>, with the claim parser's line ends.</summary>
    private static string LineOf(string text, int number)
    {
        string[] lines = ClaimLint.SplitLines(text);
        return number >= 1 && number <= lines.Length ? lines[number - 1] : string.Empty;
    }

    /// <summary>A fraction in (0, 1], written <c>0.5</c> or <c>50%</c>.</summary>
    private static double ParseShare(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        bool percent = text.EndsWith('%');
        if (double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            value = percent ? value / 100 : value;
            if (value > 0 && value <= 1)
            {
                return value;
            }
        }

        result.AddError($"--broad-share must be a fraction above 0 and at most 1, or a percentage (50%); got {Echo.Quote(text)}.");
        return ClaimLint.DefaultBroadShare;
    }

    /// <summary>Compact JSON (relaxed escaping, as every CLI answer) followed by a newline.</summary>
    private static string WriteJson(Action<Utf8JsonWriter> write) => RelaxedJson.Line(write);

    /// <summary><c>1 file</c>, <c>3 files</c>; <paramref name="zero"/> for none when given.</summary>
    private static string Count(int n, string one, string many, string? zero = null) =>
        n == 0 && zero is not null ? zero : n == 1 ? "1 " + one : Invariant($"{n} {many}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
