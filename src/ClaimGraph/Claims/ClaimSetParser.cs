using System.Collections.Immutable;
using ClaimGraph.Globs;

namespace ClaimGraph.Claims;

/// <summary>
/// Reads the line form of a claim set. One claim per line: <c>write src/**</c>, <c>append CHANGELOG.md</c>,
/// <c>read docs/**</c>, or an exclusion <c>!src/gen/**</c>. The keyword is case-insensitive and separated from the
/// pattern by spaces or tabs; the pattern is the rest of the line (so it may contain inner spaces; leading and
/// trailing whitespace is dropped). Blank lines and lines whose first non-blank character is <c>#</c> are ignored.
/// Lines end with <c>\n</c>, <c>\r\n</c> or <c>\r</c>.
/// </summary>
internal static class ClaimSetParser
{
    public static ClaimSet? TryParse(string text, GlobOptions options, out ClaimSetError? error)
    {
        var entries = ImmutableArray.CreateBuilder<ClaimEntry>();
        var exclusions = ImmutableArray.CreateBuilder<Glob>();
        int firstExclusionLine = 0;
        int lineNumber = 0;
        int start = 0;
        while (start <= text.Length)
        {
            int end = start;
            while (end < text.Length && text[end] is not ('\n' or '\r'))
            {
                end++;
            }

            lineNumber++;
            ReadOnlySpan<char> line = text.AsSpan(start, end - start);
            error = ParseLine(line, lineNumber, options, entries, exclusions);
            if (error is not null)
            {
                return null;
            }

            if (firstExclusionLine == 0 && exclusions.Count > 0)
            {
                firstExclusionLine = lineNumber;
            }

            if (end < text.Length && text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n')
            {
                end++;
            }

            start = end + 1;
        }

        if (entries.Count == 0 && exclusions.Count > 0)
        {
            error = new ClaimSetError(
                ClaimSetErrorCode.ExclusionWithoutEntries,
                firstExclusionLine,
                0,
                "The claim set has exclusions but no entries to subtract them from",
                "add the entries the exclusions narrow, e.g. 'write src/**' before '!src/gen/**'",
                null);
            return null;
        }

        error = null;
        return ClaimSet.CreateTrusted(entries.ToImmutable(), exclusions.ToImmutable());
    }

    private static ClaimSetError? ParseLine(
        ReadOnlySpan<char> line,
        int lineNumber,
        GlobOptions options,
        ImmutableArray<ClaimEntry>.Builder entries,
        ImmutableArray<Glob>.Builder exclusions)
    {
        int i = SkipBlanks(line, 0);
        if (i == line.Length || line[i] == '#')
        {
            return null;
        }

        if (line[i] == '!')
        {
            int patternStart = SkipBlanks(line, i + 1);
            Glob? excluded = ReadPattern(line, patternStart, lineNumber, options, "!", out ClaimSetError? error);
            if (excluded is not null)
            {
                exclusions.Add(excluded);
            }

            return error;
        }

        int wordEnd = i;
        while (wordEnd < line.Length && !IsBlank(line[wordEnd]))
        {
            wordEnd++;
        }

        ReadOnlySpan<char> word = line[i..wordEnd];
        ClaimMode mode;
        if (word.Equals("write", StringComparison.OrdinalIgnoreCase))
        {
            mode = ClaimMode.Write;
        }
        else if (word.Equals("append", StringComparison.OrdinalIgnoreCase))
        {
            mode = ClaimMode.Append;
        }
        else if (word.Equals("read", StringComparison.OrdinalIgnoreCase))
        {
            mode = ClaimMode.Read;
        }
        else
        {
            string hint = wordEnd == line.Length
                ? $"start the line with a mode, e.g. 'write {word}'"
                : "start the line with 'write', 'append' or 'read', or '!' for an exclusion";
            return new ClaimSetError(ClaimSetErrorCode.UnknownMode, lineNumber, i, $"'{word}' is not a claim mode", hint, null);
        }

        Glob? pattern = ReadPattern(line, SkipBlanks(line, wordEnd), lineNumber, options, mode.ToKeyword(), out ClaimSetError? failure);
        if (pattern is not null)
        {
            entries.Add(new ClaimEntry(mode, pattern));
        }

        return failure;
    }

    private static Glob? ReadPattern(ReadOnlySpan<char> line, int start, int lineNumber, GlobOptions options, string keyword, out ClaimSetError? error)
    {
        int end = line.Length;
        while (end > start && IsBlank(line[end - 1]))
        {
            end--;
        }

        if (end == start)
        {
            error = new ClaimSetError(
                ClaimSetErrorCode.MissingPattern,
                lineNumber,
                start,
                $"'{keyword}' needs a pattern after it",
                $"write for example '{(keyword == "!" ? "!src/gen/**" : keyword + " src/**")}'",
                null);
            return null;
        }

        string text = line[start..end].ToString();
        if (!Glob.TryParse(text, options, out Glob? glob, out GlobError? globError))
        {
            error = new ClaimSetError(
                ClaimSetErrorCode.InvalidPattern,
                lineNumber,
                start + globError.Position,
                $"Invalid pattern '{text}': {globError.Message}",
                globError.Hint,
                globError);
            return null;
        }

        error = null;
        return glob;
    }

    private static int SkipBlanks(ReadOnlySpan<char> line, int i)
    {
        while (i < line.Length && IsBlank(line[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsBlank(char c) => c is ' ' or '\t';
}
