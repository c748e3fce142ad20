using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace ClaimGraph.Cli;

/// <summary>One line of input: its text, or where its first byte that is not UTF-8 is.</summary>
/// <param name="Text">The line without its line end, or <see langword="null"/> when it is not valid UTF-8.</param>
/// <param name="BadColumn">For an invalid line, the zero-based column (in characters) of its first invalid byte.</param>
internal readonly record struct InputLine(string? Text, int BadColumn);

/// <summary>
/// Input is UTF-8, strictly: bytes that are not UTF-8 are refused with their place, never turned into U+FFFD (which
/// would make a pattern match something else). Files and standard input are read the same way. A leading byte order
/// mark is skipped.
/// </summary>
internal static class Utf8Input
{
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary><paramref name="bytes"/> without a leading UTF-8 byte order mark.</summary>
    public static byte[] WithoutBom(byte[] bytes) => bytes.AsSpan().StartsWith(Bom) ? bytes[Bom.Length..] : bytes;

    /// <summary>The offset of the first byte of <paramref name="bytes"/> that is not part of valid UTF-8, or -1.</summary>
    public static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return -1;
        }

        char[] scratch = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            Utf8.ToUtf16(bytes, scratch, out int read, out _, replaceInvalidSequences: false);
            return read;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The one-based line and column (in characters) of byte <paramref name="offset"/>, whose line is valid UTF-8 up to it.
    /// </summary>
    public static (int Line, int Column) Locate(ReadOnlySpan<byte> bytes, int offset)
    {
        ReadOnlySpan<byte> before = bytes[..offset];
        int lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (before.Count((byte)'\n') + 1, Encoding.UTF8.GetCharCount(before[lineStart..]) + 1);
    }

    /// <summary>
    /// The text of <paramref name="bytes"/> (a byte order mark skipped), or <see langword="null"/> and a sentence saying
    /// where the first byte that is not UTF-8 is.
    /// </summary>
    public static string? TryDecode(byte[] bytes, out string? error)
    {
        bytes = WithoutBom(bytes);
        int bad = FirstInvalid(bytes);
        if (bad < 0)
        {
            error = null;
            return Encoding.UTF8.GetString(bytes);
        }

        (int line, int column) = Locate(bytes, bad);
        error = $"not valid UTF-8: line {line}, column {column} (byte 0x{bytes[bad]:X2})";
        return null;
    }

    /// <summary>
    /// The lines of <paramref name="stream"/>, as they arrive: each is given as soon as its line end (<c>\n</c>,
    /// <c>\r\n</c> or <c>\r</c>) has been read, so that a driver writing one request at a time gets each answer before
    /// it writes the next. The last line needs no line end; a stream that ends with one has no empty last line.
    /// </summary>
    public static IEnumerable<InputLine> Lines(Stream stream)
    {
        var line = new List<byte>(256);
        var buffer = new byte[4096];
        bool first = true;
        bool afterCarriageReturn = false;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (int i = 0; i < read; i++)
            {
                byte b = buffer[i];
                if (afterCarriageReturn && b == (byte)'\n')
                {
                    afterCarriageReturn = false;
                    continue;
                }

                afterCarriageReturn = b == (byte)'\r';
                if (b is (byte)'\n' or (byte)'\r')
                {
                    yield return Decode(line, first);
                    first = false;
                    line.Clear();
                }
                else
                {
                    line.Add(b);
                }
            }
        }

        if (line.Count > 0)
        {
            yield return Decode(line, first);
        }
    }

    private static InputLine Decode(List<byte> line, bool first)
    {
        ReadOnlySpan<byte> bytes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(line);
        if (first && bytes.StartsWith(Bom))
        {
            bytes = bytes[Bom.Length..];
        }

        int bad = FirstInvalid(bytes);
        return bad < 0
            ? new InputLine(Encoding.UTF8.GetString(bytes), 0)
            : new InputLine(null, Encoding.UTF8.GetCharCount(bytes[..bad]));
    }
}
