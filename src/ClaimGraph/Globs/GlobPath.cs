namespace ClaimGraph.Globs;

/// <summary>
/// Validation of repository paths: <c>/</c>-separated, relative to the root, made of non-empty segments that are
/// not <c>.</c> or <c>..</c>, without NUL or <c>\</c>.
/// </summary>
public static class GlobPath
{
    /// <summary>Whether <paramref name="path"/> is a valid repository path. Allocates nothing; O(|path|), vectorised.</summary>
    public static bool IsValid(ReadOnlySpan<char> path)
    {
        // A few vectorised scans instead of one character loop: the loop dominated IsMatch on short paths. The answer is
        // the same as Check(path) == 0 (a property test compares them); Check still produces the error on failure.
        int len = path.Length;
        if (len == 0 || path[0] == '/' || path[len - 1] == '/' || path.IndexOfAny(ForbiddenChars) >= 0 || path.IndexOf("//".AsSpan()) >= 0)
        {
            return false;
        }

        // A '.' or '..' segment starts the path or follows a '/'.
        if (path[0] == '.' && IsDotName(path, 0))
        {
            return false;
        }

        int from = 0;
        while (true)
        {
            int k = path[from..].IndexOf("/.".AsSpan());
            if (k < 0)
            {
                return true;
            }

            from += k + 1;
            if (IsDotName(path, from))
            {
                return false;
            }
        }
    }

    /// <summary>The reference check, one character at a time: whether <paramref name="path"/> is valid (tests compare it with <see cref="IsValid"/>).</summary>
    internal static bool IsValidScalar(ReadOnlySpan<char> path) => Check(path) == 0;

    private static readonly System.Buffers.SearchValues<char> ForbiddenChars = System.Buffers.SearchValues.Create("\0\\");

    /// <summary>Whether the segment starting with the '.' at <paramref name="start"/> is <c>.</c> or <c>..</c>.</summary>
    private static bool IsDotName(ReadOnlySpan<char> path, int start)
    {
        int next = start + 1;
        if (next == path.Length || path[next] == '/')
        {
            return true;
        }

        return path[next] == '.' && (next + 1 == path.Length || path[next + 1] == '/');
    }

    /// <summary>Checks <paramref name="path"/>; on failure <paramref name="error"/> says why and where.</summary>
    public static bool TryValidate(string path, [NotNullWhen(false)] out GlobError? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        int code = Check(path);
        error = code == 0 ? null : Describe(path, code);
        return error is null;
    }

    /// <summary>Throws <see cref="InvalidPathException"/> unless <paramref name="path"/> is a valid repository path.</summary>
    public static void Validate(string path)
    {
        if (!TryValidate(path, out GlobError? error))
        {
            throw new InvalidPathException(error);
        }
    }

    internal static void ThrowIfInvalid(ReadOnlySpan<char> path)
    {
        if (Check(path) != 0)
        {
            throw new InvalidPathException(Describe(path.ToString(), Check(path)));
        }
    }

    /// <summary>0 when valid, otherwise (code &lt;&lt; 16 | position) packed, position capped.</summary>
    private static int Check(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty)
        {
            return Pack(GlobErrorCode.EmptyPath, 0);
        }

        if (path[0] == '/')
        {
            return Pack(GlobErrorCode.AbsolutePath, 0);
        }

        int segStart = 0;
        for (int i = 0; i <= path.Length; i++)
        {
            char c = i < path.Length ? path[i] : '/';
            if (c == '\0')
            {
                return Pack(GlobErrorCode.PathNulCharacter, i);
            }

            if (c == '\\')
            {
                return Pack(GlobErrorCode.PathBackslash, i);
            }

            if (c != '/')
            {
                continue;
            }

            int len = i - segStart;
            if (len == 0)
            {
                return Pack(GlobErrorCode.PathEmptySegment, Math.Min(i, path.Length));
            }

            if (path[segStart] == '.' && (len == 1 || (len == 2 && path[segStart + 1] == '.')))
            {
                return Pack(GlobErrorCode.PathDotSegment, segStart);
            }

            segStart = i + 1;
        }

        return 0;
    }

    private static int Pack(GlobErrorCode code, int position) => ((int)code << 16) | Math.Min(position, 0xFFFF);

    private static GlobError Describe(string path, int packed)
    {
        var code = (GlobErrorCode)(packed >> 16);
        int position = packed & 0xFFFF;
        return code switch
        {
            GlobErrorCode.EmptyPath => new GlobError(code, path, 0, "The path is empty", null),
            GlobErrorCode.AbsolutePath => new GlobError(code, path, 0, "The path is absolute", $"write it relative to the repository root, as '{path.TrimStart('/')}'"),
            GlobErrorCode.PathNulCharacter => new GlobError(code, path, position, "The path contains a NUL character", null),
            GlobErrorCode.PathBackslash => new GlobError(code, path, position, "The path contains '\\'", $"use '/' as the separator, as in '{path.Replace('\\', '/')}'"),
            GlobErrorCode.PathEmptySegment => new GlobError(code, path, position, "The path has an empty segment or a trailing '/'", "remove the doubled or trailing '/'"),
            _ => new GlobError(code, path, position, "A path segment is '.' or '..'", "write the path relative to the repository root, without '.' or '..'"),
        };
    }
}
