using System.Collections.Immutable;
using System.Text;
using ClaimGraph.Globs;

namespace ClaimGraph.Serialization;

/// <summary>
/// Reads <c>.gitignore</c> and <c>CODEOWNERS</c> lines into ClaimGraph's glob dialect, following git's rules
/// (gitignore(5) and git's wildmatch), or says why a line has no translation. Pure and thread-safe; no I/O.
/// </summary>
/// <remarks>
/// <para>The translation, for a line's pattern <c>p</c>:</para>
/// <list type="bullet">
/// <item><description>A pattern with no <c>/</c> except a trailing one matches a name at any depth: <c>*.md</c> becomes <c>**/*.md</c>.
/// A leading <c>/</c> or a <c>/</c> in the middle anchors it at the root: <c>/build</c> becomes <c>build</c>, <c>doc/a</c> stays.</description></item>
/// <item><description>A trailing <c>/</c> matches directories only: <c>dir/</c> becomes <c>**/dir/**</c> (everything below a directory
/// named <c>dir</c>); <c>a/**/</c> becomes <c>a/**/*/**</c>.</description></item>
/// <item><description>Since git ignores everything inside an ignored directory, a line applies to the paths its glob
/// <see cref="Glob.Covers(string)"/>, not only to those it matches. Paths name files: <c>**/dir/**</c> covers every file
/// inside a directory <c>dir</c>, and not a file named <c>dir</c>, exactly as git does.</description></item>
/// <item><description><c>**</c> that is not a whole segment is an ordinary <c>*</c> (as in git): <c>**.md</c> becomes <c>**/*.md</c>.</description></item>
/// <item><description><c>\x</c> is <c>x</c> literally (<c>\#</c>, <c>\!</c>, <c>\ </c>, <c>\\</c>); trailing spaces are removed unless escaped;
/// characters that are literal in git but special in ClaimGraph (<c>{ } , : ! ]</c> and a literal <c>\</c>) are escaped.</description></item>
/// <item><description><c>[...]</c> sets keep wildmatch's meaning: <c>!</c> or <c>^</c> negates, <c>]</c> first is literal, <c>\</c> escapes,
/// a reversed range <c>[z-a]</c> matches its first character only, <c>/</c> never matches. POSIX classes (<c>[[:alpha:]]</c>) are unsupported.</description></item>
/// <item><description>A <c>.gitignore</c> line starting with <c>!</c> is read with <see cref="GitignoreLine.IsNegated"/> set.</description></item>
/// <item><description><c>CODEOWNERS</c>: leading whitespace is skipped, the pattern ends at the first unescaped space or tab, and the
/// owners follow, separated by whitespace, up to a word starting with <c>#</c>. <c>!</c> and <c>[ ]</c> are reported unsupported
/// because GitHub does not support them. GitHub documents that <c>docs/*</c> owns only files directly in <c>docs</c>;
/// ClaimGraph reads it as git does (a matched directory covers everything below it), which is wider and therefore safe for claims.</description></item>
/// </list>
/// </remarks>
public static partial class GitignoreReader
{
    /// <summary>
    /// Reads every line of <paramref name="text"/> (lines end with <c>\n</c> or <c>\r\n</c>; a final line terminator adds no line;
    /// a leading byte-order mark is skipped), numbering them from 1.
    /// </summary>
    /// <param name="text">The whole file.</param>
    /// <param name="format">Whether the text is a <c>.gitignore</c> or a <c>CODEOWNERS</c> file.</param>
    /// <param name="options">Options for the translated globs (for example <see cref="GlobOptions.IgnoreCase"/> for a
    /// repository with <c>core.ignorecase</c>). Default: case-sensitive.</param>
    /// <returns>One result per line, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static ImmutableArray<GitignoreLine> ReadAll(string text, PatternFileFormat format, GlobOptions options = GlobOptions.None)
    {
        ArgumentNullException.ThrowIfNull(text);
        ImmutableArray<GitignoreLine>.Builder lines = ImmutableArray.CreateBuilder<GitignoreLine>();
        int start = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        int number = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline;
            lines.Add(ReadLine(text[start..end], format, ++number, options));
            start = end + 1;
        }

        return lines.ToImmutable();
    }

    /// <summary>Reads one line of a <c>.gitignore</c> or <c>CODEOWNERS</c> file (a trailing <c>\r</c> is ignored).</summary>
    /// <param name="line">The line, without its <c>\n</c>.</param>
    /// <param name="format">Whether the line comes from a <c>.gitignore</c> or a <c>CODEOWNERS</c> file.</param>
    /// <param name="lineNumber">The one-based number reported in <see cref="GitignoreLine.LineNumber"/>. Default 1.</param>
    /// <param name="options">Options for the translated glob. Default: case-sensitive.</param>
    /// <returns>The pattern in ClaimGraph's dialect, or why there is none. Never throws for any content.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="line"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lineNumber"/> is less than 1.</exception>
    public static GitignoreLine ReadLine(string line, PatternFileFormat format, int lineNumber = 1, GlobOptions options = GlobOptions.None)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentOutOfRangeException.ThrowIfLessThan(lineNumber, 1);
        string text = line.EndsWith('\r') ? line[..^1] : line;
        return format == PatternFileFormat.Codeowners
            ? ReadCodeownersLine(text, lineNumber, options)
            : ReadGitignoreLine(text, lineNumber, options);
    }

    private static GitignoreLine ReadGitignoreLine(string text, int lineNumber, GlobOptions options)
    {
        if (text.Length == 0)
        {
            return new GitignoreLine(lineNumber, text, GitignoreLineKind.Blank);
        }

        if (text[0] == '#')
        {
            return new GitignoreLine(lineNumber, text, GitignoreLineKind.Comment);
        }

        // Trailing spaces are dropped unless escaped; an escape pair is never split.
        int end = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                end = i + 1;
            }
            else if (text[i] != ' ')
            {
                end = i + 1;
            }
        }

        if (end == 0)
        {
            return new GitignoreLine(lineNumber, text, GitignoreLineKind.Blank);
        }

        string body = text[..end];
        bool negated = body[0] == '!';
        return Translate(text, lineNumber, negated ? body[1..] : body, negated, owners: [], options);
    }

    private static GitignoreLine ReadCodeownersLine(string text, int lineNumber, GlobOptions options)
    {
        int start = 0;
        while (start < text.Length && IsBlank(text[start]))
        {
            start++;
        }

        if (start == text.Length)
        {
            return new GitignoreLine(lineNumber, text, GitignoreLineKind.Blank);
        }

        if (text[start] == '#')
        {
            return new GitignoreLine(lineNumber, text, GitignoreLineKind.Comment);
        }

        int end = start;
        while (end < text.Length && !IsBlank(text[end]))
        {
            end += text[end] == '\\' && end + 1 < text.Length ? 2 : 1;
        }

        string pattern = text[start..end];
        ImmutableArray<string> owners = ReadOwners(text, end);
        if (pattern[0] == '!')
        {
            return Unsupported(text, lineNumber, GitignoreUnsupportedReason.NegationInCodeowners, "CODEOWNERS does not support '!' negation", owners);
        }

        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == '[')
            {
                return Unsupported(text, lineNumber, GitignoreUnsupportedReason.CharacterRangeInCodeowners, "CODEOWNERS does not support '[ ]' character ranges", owners);
            }
        }

        return Translate(text, lineNumber, pattern, negated: false, owners, options);
    }

    private static bool IsBlank(char c) => c is ' ' or '\t';

    private static ImmutableArray<string> ReadOwners(string text, int from)
    {
        ImmutableArray<string>.Builder owners = ImmutableArray.CreateBuilder<string>();
        int i = from;
        while (i < text.Length)
        {
            while (i < text.Length && IsBlank(text[i]))
            {
                i++;
            }

            if (i == text.Length || text[i] == '#')
            {
                break;
            }

            int start = i;
            while (i < text.Length && !IsBlank(text[i]))
            {
                i++;
            }

            owners.Add(text[start..i]);
        }

        return owners.ToImmutable();
    }

    private static GitignoreLine Unsupported(string text, int lineNumber, GitignoreUnsupportedReason reason, string message, ImmutableArray<string> owners, GlobError? error = null) =>
        new(lineNumber, text, GitignoreLineKind.Unsupported, owners: owners, reason: reason, message: message, error: error);
}
