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
public static class GitignoreReader
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

    /// <summary>Translates a gitignore pattern (negation and trailing spaces already removed) into ClaimGraph's dialect.</summary>
    private static GitignoreLine Translate(string text, int lineNumber, string pattern, bool negated, ImmutableArray<string> owners, GlobOptions options)
    {
        int backslashes = 0;
        while (backslashes < pattern.Length && pattern[pattern.Length - 1 - backslashes] == '\\')
        {
            backslashes++;
        }

        if (backslashes % 2 == 1)
        {
            return Unsupported(text, lineNumber, GitignoreUnsupportedReason.TrailingBackslash, "The pattern ends with a lone '\\', which git never matches", owners);
        }

        // Segments of translated text; a segment made of two or more stars only is a globstar.
        var segments = new List<StringBuilder> { new() };
        var starsOnly = new List<int> { 0 };
        // A pattern '/name' becomes the glob 'name', which has no '/': there an escape after the first character can
        // read as a Windows separator (GlobErrorCode.BackslashSeparator), so such literals are written as sets.
        bool noSlash = pattern.Length > 0 && pattern[0] == '/' && pattern.IndexOf('/', 1) < 0;
        for (int i = 0; i < pattern.Length;)
        {
            char c = pattern[i];
            StringBuilder segment = segments[^1];
            if (c == '/' || (c == '\\' && pattern[i + 1] == '/'))
            {
                segments.Add(new StringBuilder());
                starsOnly.Add(0);
                i += c == '/' ? 1 : 2;
                continue;
            }

            if (c == '*')
            {
                int run = i;
                while (run < pattern.Length && pattern[run] == '*')
                {
                    run++;
                }

                // Stars within a segment are one ordinary '*'; a whole-segment run becomes '**' below.
                if (starsOnly[^1] >= 0 && segment.Length == 0)
                {
                    starsOnly[^1] = run - i;
                }
                else
                {
                    starsOnly[^1] = -1;
                }

                segment.Append('*');
                i = run;
                continue;
            }

            starsOnly[^1] = -1;
            switch (c)
            {
                case '\\':
                    GlobParser.AppendLiteral(segment, pattern[i + 1], noSlash && segment.Length > 0, beforeStar: i + 2 < pattern.Length && pattern[i + 2] == '*');
                    i += 2;
                    break;
                case '?':
                    segment.Append('?');
                    i++;
                    break;
                case '[':
                    string? failure = AppendSet(segment, pattern, ref i, out GitignoreUnsupportedReason reason);
                    if (failure is not null)
                    {
                        return Unsupported(text, lineNumber, reason, failure, owners);
                    }

                    break;
                default:
                    GlobParser.AppendLiteral(segment, c, noSlash && segment.Length > 0, beforeStar: false);
                    i++;
                    break;
            }
        }

        bool anchoredAtStart = segments.Count > 1 && segments[0].Length == 0;
        if (anchoredAtStart)
        {
            segments.RemoveAt(0);
            starsOnly.RemoveAt(0);
        }

        bool directoryOnly = segments.Count > 1 && segments[^1].Length == 0;
        if (directoryOnly)
        {
            segments.RemoveAt(segments.Count - 1);
            starsOnly.RemoveAt(starsOnly.Count - 1);
        }

        if (segments.Count == 1 && segments[0].Length == 0)
        {
            return Unsupported(text, lineNumber, GitignoreUnsupportedReason.EmptyPattern, "Nothing is left to match after '!' and '/' are removed", owners);
        }

        bool anchored = anchoredAtStart || segments.Count > 1;
        var result = new StringBuilder();
        bool lastIsGlobstar = false;
        for (int k = 0; k < segments.Count; k++)
        {
            string segment = segments[k].ToString();
            if (segment is "." or "..")
            {
                return Unsupported(text, lineNumber, GitignoreUnsupportedReason.InvalidPattern, $"A '{segment}' segment never matches in git", owners);
            }

            // '**' is a globstar only in an anchored pattern; alone, it is matched against a name, like '*'.
            lastIsGlobstar = anchored && starsOnly[k] >= 2;
            if (k > 0)
            {
                result.Append('/');
            }

            result.Append(lastIsGlobstar ? "**" : segment);
        }

        if (!anchored)
        {
            result.Insert(0, "**/");
        }

        if (directoryOnly)
        {
            // The matched path must be a directory: something lies below it. After a globstar, '/**' alone would
            // collapse into it, so the directory level is spelled out.
            result.Append(lastIsGlobstar ? "/*/**" : "/**");
        }

        string translated = result.ToString();
        if (!Glob.TryParse(translated, options, out Glob? glob, out GlobError? error))
        {
            return Unsupported(text, lineNumber, GitignoreUnsupportedReason.InvalidPattern, $"'{translated}' is not a valid pattern: {error.Message}", owners, error);
        }

        return new GitignoreLine(lineNumber, text, GitignoreLineKind.Pattern, glob, negated, owners);
    }

    /// <summary>
    /// Reads a wildmatch bracket expression at <paramref name="i"/> and appends the equivalent ClaimGraph set. Returns a
    /// message (and sets <paramref name="reason"/>) when there is no equivalent.
    /// </summary>
    private static string? AppendSet(StringBuilder sb, string pattern, ref int i, out GitignoreUnsupportedReason reason)
    {
        reason = GitignoreUnsupportedReason.InvalidPattern;
        const string Unclosed = "'[' has no closing ']', so git never matches the pattern";
        int j = i + 1;
        bool negated = j < pattern.Length && pattern[j] is '!' or '^';
        if (negated)
        {
            j++;
        }

        var ranges = new List<(char Low, char High)>();
        char previous = '\0';
        bool first = true;
        while (true)
        {
            if (j >= pattern.Length)
            {
                return Unclosed;
            }

            char c = pattern[j];
            if (c == ']' && !first)
            {
                j++;
                break;
            }

            first = false;
            if (c == '\\')
            {
                if (++j >= pattern.Length)
                {
                    return Unclosed;
                }

                c = pattern[j];
            }
            else if (c == '-' && previous != '\0' && j + 1 < pattern.Length && pattern[j + 1] != ']')
            {
                char high = pattern[++j];
                if (high == '\\')
                {
                    if (++j >= pattern.Length)
                    {
                        return Unclosed;
                    }

                    high = pattern[j];
                }

                // The range's first character was already added on its own: widen it. A reversed range adds nothing.
                if (high >= previous)
                {
                    ranges[^1] = (previous, high);
                }

                previous = '\0';
                j++;
                continue;
            }
            else if (c == '[' && j + 1 < pattern.Length && pattern[j + 1] == ':')
            {
                int close = pattern.IndexOf(']', j + 2);
                if (close < 0)
                {
                    return Unclosed;
                }

                if (close - 1 >= j + 2 && pattern[close - 1] == ':')
                {
                    reason = GitignoreUnsupportedReason.CharacterClass;
                    return $"The character class '{pattern[j..(close + 1)]}' is not supported";
                }
            }

            ranges.Add((c, c));
            previous = c;
            j++;
        }

        // A set never matches '/': drop it from the ranges.
        var members = new StringBuilder();
        foreach ((char low, char high) in ranges)
        {
            GlobParser.AppendSetRangeWithoutSlash(members, low, high);
        }

        if (members.Length == 0 && !negated)
        {
            return "The set can only match '/', which a set never matches";
        }

        sb.Append(members.Length == 0 ? "?" : $"[{(negated ? "!" : string.Empty)}{members}]");
        i = j;
        reason = GitignoreUnsupportedReason.None;
        return null;
    }
}
