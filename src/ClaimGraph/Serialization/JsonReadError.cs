using System.Globalization;
using System.Text;

namespace ClaimGraph.Serialization;

/// <summary>
/// Why a JSON input was refused, and where: a stable <see cref="Code"/>, a message for people, the JSON path of the
/// value at fault and its one-based line and column. Immutable.
/// </summary>
public sealed class JsonReadError
{
    /// <summary>Creates an error.</summary>
    /// <param name="code">Why.</param>
    /// <param name="message">A sentence for people; never parse it (the other members carry the facts).</param>
    /// <param name="jsonPath">The JSON path of the value at fault, in System.Text.Json's notation (<c>$.steps[0][1].claims[2]</c>), or <see langword="null"/> when the input as a whole is at fault.</param>
    /// <param name="line">The one-based line, or <see langword="null"/> when there is no one place.</param>
    /// <param name="column">The one-based column in UTF-16 characters, or <see langword="null"/>.</param>
    public JsonReadError(JsonReadErrorCode code, string message, string? jsonPath, int? line, int? column)
    {
        ArgumentNullException.ThrowIfNull(message);
        Code = code;
        Message = message;
        JsonPath = jsonPath;
        Line = line;
        Column = column;
    }

    /// <summary>Why the input was refused.</summary>
    public JsonReadErrorCode Code { get; }

    /// <summary>A sentence for people. Values quoted from the input are cut to 160 characters and their control characters escaped.</summary>
    public string Message { get; }

    /// <summary>The JSON path of the value (or property name) at fault, e.g. <c>$.steps[0][1].claims[2]</c>; <see langword="null"/> when the input as a whole is at fault (malformed JSON, not UTF-8).</summary>
    public string? JsonPath { get; }

    /// <summary>The one-based line of the fault, or <see langword="null"/> when there is no one place.</summary>
    public int? Line { get; }

    /// <summary>The one-based column of the fault in UTF-16 characters (not bytes), or <see langword="null"/>.</summary>
    public int? Column { get; }

    /// <summary><c>LINE:COLUMN: PATH: message</c>, leaving out what is not known.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Line is int line)
        {
            text.Append(line.ToString(CultureInfo.InvariantCulture));
            if (Column is int column)
            {
                text.Append(':').Append(column.ToString(CultureInfo.InvariantCulture));
            }

            text.Append(": ");
        }

        if (JsonPath is not null)
        {
            text.Append(JsonPath).Append(": ");
        }

        return text.Append(Message).ToString();
    }
}
