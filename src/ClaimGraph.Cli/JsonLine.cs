using System.Text;
using System.Text.Json;

namespace ClaimGraph.Cli;

/// <summary>The JSON type a batch request field must have.</summary>
internal enum FieldKind
{
    /// <summary>A JSON string.</summary>
    String,

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,
}

/// <summary>One field a batch request may (or must) have.</summary>
internal sealed record FieldSpec(string Name, FieldKind Kind, bool Required);

/// <summary>The values of one batch request line, indexed like its <see cref="FieldSpec"/> list.</summary>
internal sealed class JsonLineValues
{
    public JsonLineValues(int count)
    {
        Strings = new string?[count];
        Booleans = new bool?[count];
    }

    public string?[] Strings { get; }

    public bool?[] Booleans { get; }
}

/// <summary>
/// Strict reading of one JSON Lines request: exactly one object, every field known, of the right type, at most once,
/// every required field present, nothing after the object. Errors are <see cref="CliError.InvalidInput"/> with the
/// zero-based character column where the problem is (when there is one place).
/// </summary>
internal static class JsonLine
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 16,
    };

    public static CliError? TryRead(string line, IReadOnlyList<FieldSpec> spec, out JsonLineValues values)
    {
        values = new JsonLineValues(spec.Count);
        if (string.IsNullOrWhiteSpace(line))
        {
            return Invalid("The line is blank; every line must be one JSON object", 0);
        }

        byte[] bytes = Encoding.UTF8.GetBytes(line);
        var reader = new Utf8JsonReader(bytes, ReaderOptions);
        try
        {
            CliError? error = ReadObject(ref reader, bytes, spec, values);
            if (error is not null)
            {
                return error;
            }

            if (reader.Read())
            {
                return Invalid("Unexpected content after the JSON object", Column(bytes, reader.TokenStartIndex));
            }
        }
        catch (JsonException ex)
        {
            // The reader's message names tokens in its own terms; ours says what the line should be.
            int column = Column(bytes, ex.BytePositionInLine ?? 0);
            string problem = line.TrimStart()[0] != '{' ? "The line is not JSON"
                : column >= line.TrimEnd().Length ? "The line ends before its JSON object does"
                : $"The line is not well-formed JSON at column {column}";
            return Invalid($"{problem}; expected one JSON object with {Describe(spec)}", column);
        }
        catch (InvalidOperationException)
        {
            // GetString() on a string escape that is not valid UTF-16 (a lone surrogate such as "\ud800").
            return Invalid("A string holds an escape that is not a character: a lone surrogate such as \\ud800", Column(bytes, reader.TokenStartIndex));
        }

        for (int i = 0; i < spec.Count; i++)
        {
            if (spec[i].Required && values.Strings[i] is null && values.Booleans[i] is null)
            {
                return Invalid($"The field '{spec[i].Name}' is missing; expected {Describe(spec)}", null, spec[i].Name);
            }
        }

        return null;
    }

    private static CliError? ReadObject(ref Utf8JsonReader reader, byte[] bytes, IReadOnlyList<FieldSpec> spec, JsonLineValues values)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Invalid($"Expected a JSON object with {Describe(spec)}", Column(bytes, reader.TokenStartIndex));
        }

        var seen = new bool[spec.Count];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int nameColumn = Column(bytes, reader.TokenStartIndex);
            string name = reader.GetString()!;
            int index = IndexOf(spec, name);
            if (index < 0)
            {
                return Invalid($"Unknown field '{name}'; expected {Describe(spec)}", nameColumn, name);
            }

            if (seen[index])
            {
                return Invalid($"The field '{name}' appears twice", nameColumn, name);
            }

            seen[index] = true;
            reader.Read();
            int valueColumn = Column(bytes, reader.TokenStartIndex);
            if (spec[index].Kind == FieldKind.Boolean)
            {
                if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                {
                    return Invalid($"The field '{name}' must be true or false", valueColumn, name);
                }

                values.Booleans[index] = reader.GetBoolean();
            }
            else
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    return Invalid($"The field '{name}' must be a string", valueColumn, name);
                }

                values.Strings[index] = reader.GetString();
            }
        }

        // The loop ends on the object's end: any other token would have thrown (the reader validates structure).
        return null;
    }

    /// <summary>The error of a line whose bytes are not UTF-8, at the column of the first byte that is not.</summary>
    public static CliError NotUtf8(int column) =>
        Invalid("The line is not valid UTF-8: every line must be UTF-8 text", column);

    private static int IndexOf(IReadOnlyList<FieldSpec> spec, string name)
    {
        for (int i = 0; i < spec.Count; i++)
        {
            if (string.Equals(spec[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Describe(IReadOnlyList<FieldSpec> spec)
    {
        var text = new StringBuilder();
        for (int i = 0; i < spec.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ")
                .Append('"').Append(spec[i].Name).Append('"')
                .Append(spec[i].Kind == FieldKind.Boolean ? " (true/false" : " (string")
                .Append(spec[i].Required ? ")" : ", optional)");
        }

        return text.ToString();
    }

    private static CliError Invalid(string message, int? column, string? field = null) =>
        new(CliError.InvalidInput, message, column, field, null);

    /// <summary>The character column of a byte offset into the UTF-8 form of the line.</summary>
    private static int Column(byte[] bytes, long byteOffset) =>
        Encoding.UTF8.GetCharCount(bytes, 0, (int)Math.Clamp(byteOffset, 0, bytes.Length));
}
