using System.Globalization;
using System.Text;

namespace ClaimGraph.Serialization;

/// <summary>
/// Why a snapshot could not be loaded: a stable code, where (a JSON path and, for syntax and shape errors, a line and
/// byte position), a message and a hint. Immutable.
/// </summary>
public sealed class SnapshotError
{
    /// <summary>Creates an error.</summary>
    /// <param name="Code">The stable error code.</param>
    /// <param name="Message">A sentence saying what is wrong.</param>
    /// <param name="Path">The JSON path of the offending value (e.g. <c>$.runs[3].claims</c>), or <see langword="null"/> when unknown.</param>
    /// <param name="Line">The zero-based line of the problem for syntax and shape errors, otherwise <see langword="null"/>.</param>
    /// <param name="Position">The zero-based byte position in that line, otherwise <see langword="null"/>.</param>
    /// <param name="Hint">What to do about it, or <see langword="null"/>.</param>
    public SnapshotError(SnapshotErrorCode Code, string Message, string? Path, long? Line, long? Position, string? Hint)
    {
        this.Code = Code;
        this.Message = Message;
        this.Path = Path;
        this.Line = Line;
        this.Position = Position;
        this.Hint = Hint;
    }

    /// <summary>The stable error code.</summary>
    public SnapshotErrorCode Code { get; }

    /// <summary>A sentence saying what is wrong.</summary>
    public string Message { get; }

    /// <summary>The JSON path of the offending value (e.g. <c>$.runs[3].claims</c>), or <see langword="null"/> when unknown.</summary>
    public string? Path { get; }

    /// <summary>The zero-based line of the problem for syntax and shape errors, otherwise <see langword="null"/>.</summary>
    public long? Line { get; }

    /// <summary>The zero-based byte position in that line, otherwise <see langword="null"/>.</summary>
    public long? Position { get; }

    /// <summary>What to do about it, or <see langword="null"/>.</summary>
    public string? Hint { get; }

    /// <summary>The code, the message, where, and the hint in one line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder().Append(Code).Append(": ").Append(Message);
        if (Path is not null)
        {
            text.Append(" (at ").Append(Path);
            if (Line is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $", line {Line}, position {Position}");
            }

            text.Append(')');
        }
        else if (Line is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" (at line {Line}, position {Position})");
        }

        if (Hint is not null)
        {
            text.Append("; ").Append(Hint);
        }

        return text.ToString();
    }
}
