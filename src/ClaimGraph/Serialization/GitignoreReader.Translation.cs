using System.Collections.Immutable;
using System.Text;

using ClaimGraph.Globs;

namespace ClaimGraph.Serialization;

public static partial class GitignoreReader
{
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
