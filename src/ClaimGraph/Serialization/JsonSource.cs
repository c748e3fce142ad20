using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ClaimGraph.Policy;

namespace ClaimGraph.Serialization;

/// <summary>
/// One JSON input being read: its UTF-8 bytes and what every reader of this namespace needs to report a fault — the
/// line and column of a byte offset, JSON paths in System.Text.Json's notation, and the error itself. The readers walk
/// the bytes once with a <see cref="Utf8JsonReader"/>; this type only answers "where" when something is wrong.
/// </summary>
internal sealed class JsonSource
{
    /// <summary>Strict JSON: no comments, no trailing commas, at most 64 levels.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    /// <summary>Characters that make System.Text.Json write a property as <c>['name']</c> in a path.</summary>
    private static readonly SearchValues<char> SpecialCharacters = SearchValues.Create(".'/\" []()\t\n\r\f\b\\\u0085\u2028\u2029");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private int[]? _lineStarts;

    public JsonSource(byte[] utf8) => Bytes = utf8;

    /// <summary>The input, UTF-8 without a byte order mark. The event reader blanks <c>"type"</c> properties in it.</summary>
    public byte[] Bytes { get; }

    /// <summary>
    /// The UTF-8 form of <paramref name="json"/>; a lone surrogate (which has no UTF-8 form, and would otherwise become
    /// U+FFFD silently) is a <see cref="JsonReadErrorCode.NotUtf8"/> error at its line and column.
    /// </summary>
    public static JsonSource FromText(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return new JsonSource(StrictUtf8.GetBytes(json));
        }
        catch (EncoderFallbackException ex)
        {
            int index = ex.Index;
            int lineStart = json.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
            int line = 1 + json.AsSpan(0, index).Count('\n');
            throw new JsonReadException(new JsonReadError(
                JsonReadErrorCode.NotUtf8, "a lone surrogate character (U+" + ((int)json[index]).ToString("X4", CultureInfo.InvariantCulture) + ") is not text: it has no UTF-8 form", null, line, index - lineStart + 1));
        }
    }

    /// <summary>
    /// <paramref name="utf8"/> without a leading byte order mark, copied (the readers write into their copy); bytes that
    /// are not UTF-8 are a <see cref="JsonReadErrorCode.NotUtf8"/> error at the first of them, never turned into U+FFFD.
    /// </summary>
    public static JsonSource FromUtf8(ReadOnlySpan<byte> utf8, string what)
    {
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8 = utf8[3..];
        }

        var source = new JsonSource(utf8.ToArray());
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            int bad = FirstInvalid(utf8);
            throw source.Error(JsonReadErrorCode.NotUtf8, bad, null, $"not valid UTF-8 (byte 0x{utf8[bad]:X2}): {what} is UTF-8 text");
        }

        return source;
    }

    /// <summary>The one-based line and column (in UTF-16 characters) of byte <paramref name="offset"/>.</summary>
    public (int Line, int Column) At(long offset)
    {
        _lineStarts ??= LineStarts(Bytes);
        int line = Array.BinarySearch(_lineStarts, (int)offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        int start = _lineStarts[line];
        int column = Encoding.UTF8.GetCharCount(Bytes, start, (int)offset - start);
        return (line + 1, column + 1);
    }

    /// <summary>An error at byte <paramref name="offset"/> (no position when <see langword="null"/>).</summary>
    public JsonReadException Error(JsonReadErrorCode code, long? offset, string? path, string message, Exception? inner = null)
    {
        int? line = null, column = null;
        if (offset is long at)
        {
            (int l, int c) = At(Math.Clamp(at, 0, Bytes.Length));
            (line, column) = (l, c);
        }

        return new JsonReadException(new JsonReadError(code, message, path, line, column), inner);
    }

    /// <summary>A syntax error the reader or the serializer found, at its position.</summary>
    public JsonReadException Syntax(JsonException ex) =>
        Error(JsonReadErrorCode.MalformedJson, OffsetOf(ex), null, "malformed JSON: " + WithoutPosition(ex.Message).TrimEnd(), ex);

    /// <summary>The byte offset a reader's or serializer's exception names (its zero-based line and byte in that line), if any.</summary>
    public long? OffsetOf(JsonException ex)
    {
        if (ex.LineNumber is long line && ex.BytePositionInLine is long bytePosition)
        {
            _lineStarts ??= LineStarts(Bytes);
            if (line < _lineStarts.Length)
            {
                return Math.Min(_lineStarts[(int)line] + bytePosition, Bytes.Length);
            }
        }

        return null;
    }

    /// <summary>A string at <paramref name="offset"/> whose escape is not a character.</summary>
    public JsonReadException BadString(long offset, Exception inner) =>
        Error(JsonReadErrorCode.MalformedJson, offset, null, "malformed JSON string: an escape is not a character (a lone surrogate such as \\ud800)", inner);

    /// <summary>The string the reader is on; a lone-surrogate escape is an error at it.</summary>
    public string GetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw BadString(reader.TokenStartIndex, ex);
        }
    }

    /// <summary>An error unless the reader is on a token of <paramref name="kind"/>: "expected <paramref name="what"/>, found …".</summary>
    public void Require(ref Utf8JsonReader reader, JsonTokenType kind, string path, string what)
    {
        if (reader.TokenType != kind)
        {
            throw Error(JsonReadErrorCode.UnexpectedValue, reader.TokenStartIndex, path, $"expected {what}, found {Describe(reader.TokenType)}");
        }
    }

    /// <summary>Reads the next token; a syntax error is reported at its position.</summary>
    public void Read(ref Utf8JsonReader reader)
    {
        try
        {
            if (!reader.Read())
            {
                throw Error(JsonReadErrorCode.MalformedJson, Bytes.Length, null, "malformed JSON: the input ends inside a value");
            }
        }
        catch (JsonException ex)
        {
            throw Syntax(ex);
        }
    }

    /// <summary>Reads past the value the reader is on (an object or array as a whole).</summary>
    public void Skip(ref Utf8JsonReader reader)
    {
        try
        {
            reader.Skip();
        }
        catch (JsonException ex)
        {
            throw Syntax(ex);
        }
    }

    /// <summary>After the one value of the input: anything but white space is malformed JSON.</summary>
    public void EndOfInput(ref Utf8JsonReader reader)
    {
        try
        {
            if (reader.Read())
            {
                throw Error(JsonReadErrorCode.MalformedJson, reader.TokenStartIndex, null, "malformed JSON: more after the end of the value");
            }
        }
        catch (JsonException ex)
        {
            throw Syntax(ex);
        }
    }

    /// <summary>The path of property <paramref name="name"/> of the object at <paramref name="parent"/>, as System.Text.Json writes it.</summary>
    public static string Property(string parent, string name) =>
        name.AsSpan().IndexOfAny(SpecialCharacters) >= 0 ? $"{parent}['{name}']" : $"{parent}.{name}";

    /// <summary>The path of element <paramref name="index"/> of the array at <paramref name="parent"/>.</summary>
    public static string Element(string parent, int index) => string.Create(CultureInfo.InvariantCulture, $"{parent}[{index}]");

    /// <summary>
    /// A System.Text.Json message without its position tail (<c> Path: $.x | LineNumber: 0 | BytePositionInLine: 5.</c>
    /// or <c> LineNumber: 0 | BytePositionInLine: 5.</c>): the error reports the position its own way.
    /// </summary>
    public static string WithoutPosition(string message)
    {
        int tail = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (tail < 0)
        {
            tail = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        return tail < 0 ? message : message[..tail];
    }

    /// <summary>
    /// <paramref name="value"/> quoted for a message: <c>'src/**'</c>, control characters escaped (<c>\n</c>, <c>\u001B</c>),
    /// and a value longer than 160 characters cut in the middle, so that a 10 MB claim costs a line, not 10 MB.
    /// </summary>
    public static string Quote(string value) => QuotedText.Quote(value, '\'');

    /// <summary><c>'a', 'b', 'c'</c>.</summary>
    public static string List(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    /// <summary>A token kind in words: "an object", "a number", "null".</summary>
    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static int[] LineStarts(byte[] bytes)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return [.. starts];
    }

    /// <summary>The offset of the first byte of <paramref name="bytes"/> that is not part of valid UTF-8.</summary>
    private static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        char[] scratch = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            System.Text.Unicode.Utf8.ToUtf16(bytes, scratch, out int read, out _, replaceInvalidSequences: false);
            return read;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
        }
    }
}
