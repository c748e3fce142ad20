using System.Collections.Immutable;
using System.Text;
using ClaimGraph.Globs;

namespace ClaimGraph.Claims;

/// <summary>
/// Turns a list of changed files into the set of paths to check against claims (for example for claim
/// violations). A rename or copy counts as both its old and its new path.
/// </summary>
public static class ChangedPaths
{
    /// <summary>
    /// Reads the output of <c>git diff --name-status</c> (or <c>git log --name-status</c> without the commit headers):
    /// lines <c>STATUS\tpath</c> for the statuses <c>A</c>, <c>M</c>, <c>D</c>, <c>T</c>, <c>U</c>, <c>X</c>, <c>B</c>,
    /// and <c>R&lt;score&gt;\told\tnew</c> / <c>C&lt;score&gt;\told\tnew</c> for renames and copies (both paths
    /// count). The NUL-separated form of <c>-z</c> is accepted too (detected by a NUL character). Paths in git's
    /// C-style quotes (<c>"a\tb.txt"</c>, octal escapes for UTF-8 bytes) are unquoted. Blank lines are ignored.
    /// </summary>
    /// <returns>The distinct paths, in ordinal order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ClaimSetParseException">A line is malformed or a path is invalid; code, line, position and hint say where.</exception>
    public static ImmutableArray<string> ParseNameStatus(string text)
    {
        if (!TryParseNameStatus(text, out ImmutableArray<string> paths, out ClaimSetError? error))
        {
            throw new ClaimSetParseException(error);
        }

        return paths;
    }

    /// <summary>Reads <c>--name-status</c> output (see <see cref="ParseNameStatus"/>) without throwing.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static bool TryParseNameStatus(string text, out ImmutableArray<string> paths, [NotNullWhen(false)] out ClaimSetError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new SortedSet<string>(StringComparer.Ordinal);
        paths = ImmutableArray<string>.Empty;
        error = text.Contains('\0', StringComparison.Ordinal) ? ReadNulSeparated(text, result) : ReadLines(text, result);
        if (error is not null)
        {
            return false;
        }

        paths = [.. result];
        return true;
    }

    /// <summary>
    /// The distinct valid paths of <paramref name="paths"/> (for example <c>git diff --name-only</c> lines, or a
    /// commit's file list), in ordinal order.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> or one of its elements is null.</exception>
    /// <exception cref="InvalidPathException">A path is not a valid repository path.</exception>
    public static ImmutableArray<string> FromPaths(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string p in paths)
        {
            GlobPath.Validate(p);
            result.Add(p);
        }

        return [.. result];
    }

    /// <summary>How many paths a status takes: 2 for renames and copies, 1 for the others, 0 when unknown.</summary>
    private static int Arity(ReadOnlySpan<char> status)
    {
        if (status.IsEmpty)
        {
            return 0;
        }

        char kind = status[0];
        ReadOnlySpan<char> score = status[1..];
        foreach (char c in score)
        {
            if (!char.IsAsciiDigit(c))
            {
                return 0;
            }
        }

        if (kind is 'R' or 'C')
        {
            return 2;
        }

        return kind is 'A' or 'M' or 'D' or 'T' or 'U' or 'X' or 'B' ? 1 : 0;
    }

    private static ClaimSetError? ReadLines(string text, SortedSet<string> result)
    {
        string[] lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].EndsWith('\r') ? lines[n][..^1] : lines[n];
            if (line.Trim().Length == 0)
            {
                continue;
            }

            string[] fields = line.Split('\t');
            int arity = Arity(fields[0]);
            if (arity == 0)
            {
                return UnknownStatus(n + 1, fields[0]);
            }

            if (fields.Length < 1 + arity || fields.Length > 1 + arity)
            {
                int position = fields.Length < 1 + arity ? line.Length : line.LastIndexOf('\t');
                return new ClaimSetError(
                    ClaimSetErrorCode.MissingChangedPath,
                    n + 1,
                    position,
                    arity == 2 ? $"Status '{fields[0]}' needs two tab-separated paths (old and new)" : $"Status '{fields[0]}' needs exactly one tab-separated path",
                    "use the output of 'git diff --name-status'",
                    null);
            }

            int column = fields[0].Length + 1;
            for (int k = 1; k <= arity; k++)
            {
                ClaimSetError? error = AddPath(fields[k], n + 1, column, result);
                if (error is not null)
                {
                    return error;
                }

                column += fields[k].Length + 1;
            }
        }

        return null;
    }

    private static ClaimSetError? ReadNulSeparated(string text, SortedSet<string> result)
    {
        string[] fields = text.Split('\0');
        int record = 0;
        int i = 0;
        while (i < fields.Length)
        {
            string status = fields[i].Trim('\n', '\r');
            if (status.Length == 0)
            {
                i++;
                continue;
            }

            record++;
            int arity = Arity(status);
            if (arity == 0)
            {
                return UnknownStatus(record, status);
            }

            if (i + arity >= fields.Length)
            {
                return new ClaimSetError(ClaimSetErrorCode.MissingChangedPath, record, 0, $"Status '{status}' is missing its path", "use the output of 'git diff --name-status -z'", null);
            }

            for (int k = 1; k <= arity; k++)
            {
                // With -z git never quotes, so the field is the path itself.
                if (!GlobPath.TryValidate(fields[i + k], out GlobError? pathError))
                {
                    return InvalidPath(record, 0, fields[i + k], pathError);
                }

                result.Add(fields[i + k]);
            }

            i += arity + 1;
        }

        return null;
    }

    private static ClaimSetError UnknownStatus(int line, string status) =>
        new(
            ClaimSetErrorCode.UnknownChangeStatus,
            line,
            0,
            $"'{status}' is not a git change status",
            "lines look like 'M\\tpath' or 'R100\\told\\tnew' (the output of 'git diff --name-status')",
            null);

    private static ClaimSetError InvalidPath(int line, int position, string path, GlobError error) =>
        new(ClaimSetErrorCode.InvalidChangedPath, line, position + error.Position, $"Invalid changed path '{path}': {error.Message}", error.Hint, error);

    private static ClaimSetError? AddPath(string field, int line, int column, SortedSet<string> result)
    {
        string path = field;
        if (field.Length >= 2 && field[0] == '"' && field[^1] == '"')
        {
            string? unquoted = Unquote(field);
            if (unquoted is null)
            {
                return new ClaimSetError(ClaimSetErrorCode.InvalidQuoting, line, column, $"Malformed quoted path {field}", "git quotes paths C-style; pass the text unchanged or use -z", null);
            }

            path = unquoted;
        }

        if (!GlobPath.TryValidate(path, out GlobError? error))
        {
            return InvalidPath(line, column, path, error);
        }

        result.Add(path);
        return null;
    }

    /// <summary>Undoes git's C-style quoting: <c>\a \b \t \n \v \f \r \" \\</c> and three-digit octal bytes (UTF-8).</summary>
    private static string? Unquote(string quoted)
    {
        var bytes = new List<byte>();
        for (int i = 1; i < quoted.Length - 1; i++)
        {
            char c = quoted[i];
            if (c != '\\')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }

            if (++i >= quoted.Length - 1)
            {
                return null;
            }

            char e = quoted[i];
            if (e is >= '0' and <= '3' && i + 2 < quoted.Length - 1 && IsOctal(quoted[i + 1]) && IsOctal(quoted[i + 2]))
            {
                bytes.Add((byte)(((e - '0') << 6) | ((quoted[i + 1] - '0') << 3) | (quoted[i + 2] - '0')));
                i += 2;
                continue;
            }

            char? plain = e switch
            {
                'a' => '\a',
                'b' => '\b',
                't' => '\t',
                'n' => '\n',
                'v' => '\v',
                'f' => '\f',
                'r' => '\r',
                '"' => '"',
                '\\' => '\\',
                _ => null,
            };
            if (plain is null)
            {
                return null;
            }

            bytes.Add((byte)plain.Value);
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
