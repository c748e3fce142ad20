using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ClaimGraph.Globs;

/// <summary>
/// Validation of repository paths: <c>/</c>-separated, relative to the root, made of non-empty segments that are
/// not <c>.</c> or <c>..</c>, without NUL or <c>\</c>.
/// </summary>
public static class GlobPath
{
    /// <summary>Whether <paramref name="path"/> is a valid repository path. Allocates nothing; O(|path|), vectorised.</summary>
    public static bool IsValid(ReadOnlySpan<char> path) => IsValid(path, out _);

    /// <summary>The longest path whose <c>/</c> positions <see cref="IsValid(ReadOnlySpan{char}, out ulong)"/> returns as a bit mask.</summary>
    internal const int MaskedLength = 64;

    /// <summary>
    /// Whether <paramref name="path"/> is valid. For a valid path of at most <see cref="MaskedLength"/> characters,
    /// <paramref name="slashes"/> has bit <c>i</c> set where <c>path[i]</c> is <c>/</c>, so that matching can find
    /// segments without scanning again; otherwise it is 0.
    /// </summary>
    internal static bool IsValid(ReadOnlySpan<char> path, out ulong slashes)
    {
        // The answer is the same as Check(path) == 0, one character at a time (a property test compares them); Check still
        // produces the error on failure. Short paths: one pass of vector compares into bit masks, then bit arithmetic.
        slashes = 0;
        int n = path.Length;
        if (n == 0)
        {
            return false;
        }

        if (n > MaskedLength)
        {
            return IsValidByScans(path);
        }

        if (!Masks(path, out ulong s, out ulong d))
        {
            return false;
        }

        ulong last = 1UL << (n - 1);

        // A '/' first, last or after another '/' makes an empty segment.
        if (((s & 1) | (s & last) | (s & (s >> 1))) != 0)
        {
            return false;
        }

        // Bit i of 'before' ('after'): a segment starts (ends) at i. A '.' segment is a dot that does both; a '..' segment
        // is a dot that starts one followed by a dot that ends it.
        ulong before = (s << 1) | 1;
        ulong after = (s >> 1) | last;
        ulong dotStarts = d & before;
        if (((dotStarts & after) | (dotStarts & (d >> 1) & (after >> 1))) != 0)
        {
            return false;
        }

        slashes = s;
        return true;
    }

    /// <summary>
    /// Bit masks of the <c>/</c> and <c>.</c> positions of a path of 1 to 64 characters, or false if it has a NUL or a
    /// <c>\</c>. Vectors of 16 (or 8) characters; the last one overlaps the one before so that no load passes the end.
    /// </summary>
    private static bool Masks(ReadOnlySpan<char> path, out ulong slashes, out ulong dots)
    {
        int n = path.Length;
        ulong s = 0, d = 0;
        uint bad = 0;
        ref ushort start = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(path));
        if (Vector256.IsHardwareAccelerated && n >= Vector256<ushort>.Count)
        {
            int width = Vector256<ushort>.Count;
            for (int i = 0; ; i += width)
            {
                int at = Math.Min(i, n - width);
                Vector256<ushort> v = Vector256.LoadUnsafe(ref start, (nuint)at);
                s |= (ulong)Vector256.Equals(v, Vector256.Create((ushort)'/')).ExtractMostSignificantBits() << at;
                d |= (ulong)Vector256.Equals(v, Vector256.Create((ushort)'.')).ExtractMostSignificantBits() << at;
                bad |= (Vector256.Equals(v, Vector256<ushort>.Zero) | Vector256.Equals(v, Vector256.Create((ushort)'\\'))).ExtractMostSignificantBits();
                if (at == n - width)
                {
                    break;
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<ushort>.Count)
        {
            int width = Vector128<ushort>.Count;
            for (int i = 0; ; i += width)
            {
                int at = Math.Min(i, n - width);
                Vector128<ushort> v = Vector128.LoadUnsafe(ref start, (nuint)at);
                s |= (ulong)Vector128.Equals(v, Vector128.Create((ushort)'/')).ExtractMostSignificantBits() << at;
                d |= (ulong)Vector128.Equals(v, Vector128.Create((ushort)'.')).ExtractMostSignificantBits() << at;
                bad |= (Vector128.Equals(v, Vector128<ushort>.Zero) | Vector128.Equals(v, Vector128.Create((ushort)'\\'))).ExtractMostSignificantBits();
                if (at == n - width)
                {
                    break;
                }
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                char c = path[i];
                s |= c == '/' ? 1UL << i : 0;
                d |= c == '.' ? 1UL << i : 0;
                bad |= c is '\0' or '\\' ? 1u : 0;
            }
        }

        slashes = s;
        dots = d;
        return bad == 0;
    }

    /// <summary>Validity of a long path by a few vectorised scans.</summary>
    private static bool IsValidByScans(ReadOnlySpan<char> path)
    {
        int len = path.Length;
        if (path[0] == '/' || path[len - 1] == '/' || path.IndexOfAny(ForbiddenChars) >= 0 || path.IndexOf("//".AsSpan()) >= 0)
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

    /// <summary>The reference check, one character at a time: whether <paramref name="path"/> is valid (tests compare it with <see cref="IsValid(ReadOnlySpan{char})"/>).</summary>
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
