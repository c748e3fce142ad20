using ClaimGraph.Globs;
using ClaimGraph.Serialization;

namespace ClaimGraph.Cli;

/// <summary>
/// A <c>.gitignore</c> line that <see cref="GitignoreReader"/> could not translate, so the walk did not apply it.
/// </summary>
/// <param name="File">The <c>.gitignore</c> file as a repository path (<c>.gitignore</c>, <c>src/.gitignore</c>).</param>
/// <param name="Line">The one-based line number.</param>
/// <param name="Text">The line as written.</param>
/// <param name="Reason">Why it has no translation.</param>
/// <param name="Message">The reader's sentence saying why.</param>
internal sealed record IgnoreWarning(string File, int Line, string Text, GitignoreUnsupportedReason Reason, string Message)
{
    /// <summary><c>FILE:LINE: the line '...' is not applied: MESSAGE (REASON)</c>.</summary>
    public override string ToString() => $"{File}:{Line}: the line '{Text}' is not applied: {Message} ({Reason})";
}

/// <summary>
/// The files under a directory as repository paths (<c>/</c>-separated, relative to the directory), in ordinal order.
/// <c>.git</c> (a directory, or the file a worktree or submodule has) is skipped at every level; symbolic links are
/// listed as files and never followed (git stores a link, not what it points to). Names that are not valid
/// repository paths (<see cref="GlobPath"/>, e.g. with a <c>\</c>) are counted in <see cref="Skipped"/>.
/// </summary>
/// <remarks>
/// When asked to, the walk honours <c>.gitignore</c> files as git does: the directory walked is the top of the
/// repository (files above it are not read, nor <c>.git/info/exclude</c> or the user's excludes file); a
/// <c>.gitignore</c> applies to its directory and everything below; the last line that matches a path decides, a deeper
/// file's lines after a shallower one's; <c>!</c> re-includes; a pattern ending in <c>/</c> matches directories only; an
/// ignored directory is not entered, so nothing inside it can be re-included and its own <c>.gitignore</c> is not read.
/// A <c>.gitignore</c> that is a symbolic link is not followed (as git does since 2.32). Lines are translated by
/// <see cref="GitignoreReader"/>; a line it cannot translate is not applied and is listed in <see cref="IgnoreWarnings"/>.
/// </remarks>
internal sealed class RepositoryTree
{
    private const string GitignoreName = ".gitignore";

    private RepositoryTree(string[] files, int skipped, int ignoredFiles, int ignoredDirectories, IgnoreWarning[] warnings)
    {
        Files = files;
        Skipped = skipped;
        IgnoredFiles = ignoredFiles;
        IgnoredDirectories = ignoredDirectories;
        IgnoreWarnings = warnings;
    }

    /// <summary>The files, ordinal order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Entries left out because their path is not a valid repository path.</summary>
    public int Skipped { get; }

    /// <summary>Files (and symbolic links) left out because a <c>.gitignore</c> ignores them.</summary>
    public int IgnoredFiles { get; }

    /// <summary>Directories left out, with everything inside them, because a <c>.gitignore</c> ignores them.</summary>
    public int IgnoredDirectories { get; }

    /// <summary>The <c>.gitignore</c> lines that were not applied, by file (ordinal) and line.</summary>
    public IReadOnlyList<IgnoreWarning> IgnoreWarnings { get; }

    /// <summary>Walks <paramref name="root"/>.</summary>
    /// <param name="root">The directory to walk.</param>
    /// <param name="honourGitignore">Whether <c>.gitignore</c> files leave paths out (see the remarks on the type).</param>
    /// <param name="options">The options of the globs read from <c>.gitignore</c> files (e.g. ignore-case).</param>
    /// <exception cref="IOException">A directory or a <c>.gitignore</c> cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A directory or a <c>.gitignore</c> may not be read.</exception>
    public static RepositoryTree Walk(string root, bool honourGitignore = false, GlobOptions options = GlobOptions.None)
    {
        var files = new List<string>();
        var warnings = new List<IgnoreWarning>();
        int skipped = 0;
        int ignoredFiles = 0;
        int ignoredDirectories = 0;
        var pending = new Stack<(DirectoryInfo Directory, string Prefix, IgnoreRule[] Rules)>();
        pending.Push((new DirectoryInfo(root), string.Empty, []));
        while (pending.Count > 0)
        {
            (DirectoryInfo directory, string prefix, IgnoreRule[] rules) = pending.Pop();
            if (honourGitignore)
            {
                rules = ReadGitignore(directory, prefix, options, rules, warnings);
            }

            foreach (FileSystemInfo entry in directory.EnumerateFileSystemInfos("*", new EnumerationOptions
            {
                RecurseSubdirectories = false,
                AttributesToSkip = 0,
                IgnoreInaccessible = false,
                MatchType = MatchType.Simple,
            }))
            {
                if (string.Equals(entry.Name, ".git", StringComparison.Ordinal))
                {
                    continue;
                }

                string path = prefix + entry.Name;
                bool isDirectory = entry is DirectoryInfo && entry.LinkTarget is null;
                if (!GlobPath.IsValid(path))
                {
                    skipped++;
                }
                else if (IsIgnored(rules, path, isDirectory))
                {
                    ignoredDirectories += isDirectory ? 1 : 0;
                    ignoredFiles += isDirectory ? 0 : 1;
                }
                else if (isDirectory)
                {
                    pending.Push(((DirectoryInfo)entry, path + "/", rules));
                }
                else
                {
                    files.Add(path);
                }
            }
        }

        string[] sorted = [.. files];
        Array.Sort(sorted, StringComparer.Ordinal);
        warnings.Sort((a, b) => a.File == b.File ? a.Line.CompareTo(b.Line) : string.CompareOrdinal(a.File, b.File));
        return new RepositoryTree(sorted, skipped, ignoredFiles, ignoredDirectories, [.. warnings]);
    }

    /// <summary>
    /// Git's rule: the last rule (deepest file last, later lines last) that matches the path decides; a directory-only
    /// rule matches directories only. Rules of an ancestor's <c>.gitignore</c> match the path relative to that ancestor.
    /// </summary>
    private static bool IsIgnored(IgnoreRule[] rules, string path, bool isDirectory)
    {
        for (int i = rules.Length - 1; i >= 0; i--)
        {
            IgnoreRule rule = rules[i];
            if ((isDirectory || !rule.DirectoryOnly) && rule.Match.IsMatch(path.AsSpan(rule.Base.Length)))
            {
                return !rule.Negated;
            }
        }

        return false;
    }

    /// <summary>The rules in force in <paramref name="directory"/>: its parent's, then those of its own <c>.gitignore</c>.</summary>
    private static IgnoreRule[] ReadGitignore(
        DirectoryInfo directory, string prefix, GlobOptions options, IgnoreRule[] inherited, List<IgnoreWarning> warnings)
    {
        var file = new FileInfo(Path.Combine(directory.FullName, GitignoreName));
        if (!file.Exists || file.LinkTarget is not null)
        {
            return inherited;
        }

        var rules = new List<IgnoreRule>(inherited);
        foreach (GitignoreLine line in GitignoreReader.ReadAll(File.ReadAllText(file.FullName), PatternFileFormat.Gitignore, options))
        {
            if (line.Kind == GitignoreLineKind.Unsupported)
            {
                warnings.Add(new IgnoreWarning(prefix + GitignoreName, line.LineNumber, line.Text, line.Reason, line.Message!));
            }
            else if (line.Kind == GitignoreLineKind.Pattern)
            {
                rules.Add(ToRule(line, prefix, options));
            }
        }

        return rules.Count == inherited.Length ? inherited : [.. rules];
    }

    /// <summary>
    /// The rule of a translated line. The reader's glob says what the line <em>covers</em> (a matched directory covers
    /// everything below it); git decides each path by what the line <em>matches</em>, and never enters an ignored
    /// directory. For a line without a trailing <c>/</c> the glob matches exactly git's matches; for a directory-only
    /// line (<c>build/</c>, read as <c>**/build/**</c>) the directory itself is matched by the line read without its
    /// trailing <c>/</c> (<c>**/build</c>, same anchoring), kept for directories only.
    /// </summary>
    private static IgnoreRule ToRule(GitignoreLine line, string prefix, GlobOptions options)
    {
        // Trailing spaces are dropped by git unless escaped; an escaped space is never followed by '/' here, so a
        // plain trim finds the trailing '/' exactly when the reader saw one.
        string body = line.Text.TrimEnd(' ');
        if (!body.EndsWith('/'))
        {
            return new IgnoreRule(prefix, line.Glob!, DirectoryOnly: false, line.IsNegated);
        }

        // '\/' is a separator for the reader as '/' is: drop its backslash with it.
        string directory = body[..^1];
        int backslashes = directory.Length - directory.TrimEnd('\\').Length;
        directory = backslashes % 2 == 1 ? directory[..^1] : directory;
        GitignoreLine self = GitignoreReader.ReadLine(directory, PatternFileFormat.Gitignore, line.LineNumber, options);

        // The line without its '/' reads whenever the whole line did; were it not to, the line's own glob (everything
        // inside such a directory) leaves out the same files, though a later '!' of the directory could not re-include it.
        return self.Kind == GitignoreLineKind.Pattern
            ? new IgnoreRule(prefix, self.Glob!, DirectoryOnly: true, line.IsNegated)
            : new IgnoreRule(prefix, line.Glob!, DirectoryOnly: false, line.IsNegated);
    }

    /// <summary>One translated <c>.gitignore</c> line in force below <paramref name="Base"/> (<c>""</c> or <c>dir/</c>).</summary>
    private sealed record IgnoreRule(string Base, Glob Match, bool DirectoryOnly, bool Negated);
}
