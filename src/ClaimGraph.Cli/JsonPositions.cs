using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ClaimGraph.Cli;

/// <summary>
/// Where every value and property name of a JSON document starts, by JSON path (<c>$.steps[0][1].claims[2]</c>, in
/// System.Text.Json's notation), so that an error found later, on a parsed element, can name its line and column.
/// Building it also checks the syntax strictly (no comments, no trailing commas, no property twice in one object).
/// </summary>
internal sealed class JsonPositions
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    private readonly string _file;
    private readonly byte[] _bytes;
    private readonly Dictionary<string, long> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _names = new(StringComparer.Ordinal);
    private readonly List<int> _lineStarts = [0];

    private JsonPositions(string file, byte[] bytes)
    {
        _file = file;
        _bytes = bytes;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>Reads <paramref name="bytes"/> (UTF-8 without a byte order mark) and records every position.</summary>
    /// <exception cref="ScenarioException">The text is not one well-formed JSON value, or an object repeats a property.</exception>
    public static JsonPositions Build(string file, byte[] bytes)
    {
        var positions = new JsonPositions(file, bytes);
        positions.Walk();
        return positions;
    }

    /// <summary>The one-based line and column (in characters) of a byte offset.</summary>
    public (int Line, int Column) At(long offset)
    {
        int line = _lineStarts.BinarySearch((int)offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        int start = _lineStarts[line];
        int column = Encoding.UTF8.GetCharCount(_bytes, start, (int)offset - start);
        return (line + 1, column + 1);
    }

    /// <summary>
    /// An error at <paramref name="path"/>: at the property name when <paramref name="atName"/> and the path ends in
    /// one, else at the value; a path not recorded (a field that is missing) falls back to its nearest recorded parent.
    /// </summary>
    public ScenarioException Error(string path, string message, bool atName = false)
    {
        for (string? p = path; p is not null; p = Parent(p))
        {
            if ((atName && _names.TryGetValue(p, out long offset)) || _values.TryGetValue(p, out offset))
            {
                (int line, int column) = At(offset);
                return new ScenarioException(_file, line, column, path, message);
            }
        }

        return new ScenarioException(_file, null, null, path, message);
    }

    /// <summary>The path of property <paramref name="name"/> of the object at <paramref name="parent"/>, as System.Text.Json writes it.</summary>
    public static string Property(string parent, string name) =>
        name.AsSpan().IndexOfAny(SpecialCharacters) >= 0 ? $"{parent}['{name}']" : $"{parent}.{name}";

    /// <summary>The path of element <paramref name="index"/> of the array at <paramref name="parent"/>.</summary>
    public static string Element(string parent, int index) => $"{parent}[{index}]";

    /// <summary>
    /// A System.Text.Json exception message without its position tail: the serializer's
    /// <c> Path: $.x | LineNumber: 0 | BytePositionInLine: 5.</c> or the reader's <c> LineNumber: 0 | BytePositionInLine: 5.</c>.
    /// The CLI reports positions its own way (a column, or file, line and column).
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

    /// <summary>Characters that make System.Text.Json write a property as <c>['name']</c> in a path.</summary>
    private static readonly SearchValues<char> SpecialCharacters = SearchValues.Create(".'/\" []()\t\n\r\f\b\\\u0085\u2028\u2029");

    private static string? Parent(string path)
    {
        if (path == "$")
        {
            return null;
        }

        int cut = path.Length - 1;
        if (path[cut] == ']')
        {
            // "[3]" or "['name']": back to the opening bracket.
            cut = path[cut - 1] == '\'' ? path.LastIndexOf("['", StringComparison.Ordinal) : path.LastIndexOf('[');
        }
        else
        {
            cut = path.LastIndexOf('.');
        }

        return cut <= 0 ? "$" : path[..cut];
    }

    private void Walk()
    {
        var reader = new Utf8JsonReader(_bytes, ReaderOptions);
        var stack = new Stack<Frame>();
        string? pendingName = null;
        try
        {
            while (reader.Read())
            {
                JsonTokenType token = reader.TokenType;
                if (token == JsonTokenType.PropertyName)
                {
                    Frame frame = stack.Peek();
                    string name = reader.GetString()!;
                    if (!frame.Names!.Add(name))
                    {
                        (int line, int column) = At(reader.TokenStartIndex);
                        throw new ScenarioException(_file, line, column, Property(frame.Path, name), $"the field '{name}' appears twice in one object");
                    }

                    pendingName = Property(frame.Path, name);
                    _names[pendingName] = reader.TokenStartIndex;
                    continue;
                }

                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    stack.Pop();
                    continue;
                }

                string path = stack.Count == 0 ? "$" : stack.Peek().Names is null ? Element(stack.Peek().Path, stack.Peek().NextIndex++) : pendingName!;
                _values[path] = reader.TokenStartIndex;
                if (token == JsonTokenType.StartObject)
                {
                    stack.Push(new Frame(path, new HashSet<string>(StringComparer.Ordinal)));
                }
                else if (token == JsonTokenType.StartArray)
                {
                    stack.Push(new Frame(path, null));
                }
                else if (token == JsonTokenType.String)
                {
                    // A string escape that is not valid UTF-16 (a lone surrogate) fails here, with its position.
                    _ = reader.GetString();
                }
            }
        }
        catch (JsonException ex)
        {
            throw SyntaxError(ex);
        }
        catch (InvalidOperationException)
        {
            (int line, int column) = At(reader.TokenStartIndex);
            throw new ScenarioException(_file, line, column, null, "malformed JSON string: an escape is not a character (a lone surrogate such as \\ud800)");
        }
    }

    private ScenarioException SyntaxError(JsonException ex)
    {
        string message = "malformed JSON: " + WithoutPosition(ex.Message).TrimEnd();
        if (ex.LineNumber is long line && ex.BytePositionInLine is long bytePosition && line < _lineStarts.Count)
        {
            (int l, int c) = At(Math.Min(_lineStarts[(int)line] + bytePosition, _bytes.Length));
            return new ScenarioException(_file, l, c, null, message);
        }

        return new ScenarioException(_file, null, null, null, message);
    }

    private sealed class Frame(string path, HashSet<string>? names)
    {
        public string Path { get; } = path;

        /// <summary>The names seen so far for an object; <see langword="null"/> for an array.</summary>
        public HashSet<string>? Names { get; } = names;

        public int NextIndex { get; set; }
    }
}

/// <summary>
/// A scenario file that cannot be used: the file, where in it (one-based line and column, when known), the JSON path
/// of the field at fault (when there is one) and why. <see cref="OneLine"/> is the message the CLI prints.
/// </summary>
internal sealed class ScenarioException : Exception
{
    public ScenarioException()
    {
        File = string.Empty;
    }

    public ScenarioException(string message)
        : base(message)
    {
        File = string.Empty;
    }

    public ScenarioException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
    }

    public ScenarioException(string file, int? line, int? column, string? jsonPath, string message)
        : base(message)
    {
        File = file;
        Line = line;
        Column = column;
        JsonPath = jsonPath;
    }

    public string File { get; }

    public int? Line { get; }

    public int? Column { get; }

    public string? JsonPath { get; }

    /// <summary><c>FILE:LINE:COLUMN: PATH: message</c>, leaving out what is not known.</summary>
    public string OneLine
    {
        get
        {
            // Every part may come from the file (a 10 MB property name is one): each is capped and kept on one line.
            var text = new StringBuilder(Echo.Value(File));
            if (Line is int line)
            {
                text.Append(':').Append(line);
                if (Column is int column)
                {
                    text.Append(':').Append(column);
                }
            }

            text.Append(": ");
            if (JsonPath is not null)
            {
                text.Append(Echo.Value(JsonPath)).Append(": ");
            }

            return text.Append(Echo.Message(Message)).ToString();
        }
    }
}
