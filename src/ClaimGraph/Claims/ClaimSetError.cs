using ClaimGraph.Globs;

namespace ClaimGraph.Claims;

/// <summary>Why a claim-set text was rejected: a stable code, where (line and position) and a hint.</summary>
/// <param name="Code">The stable error code.</param>
/// <param name="Line">One-based line number in the text.</param>
/// <param name="Position">Zero-based character position within that line.</param>
/// <param name="Message">A sentence describing the problem.</param>
/// <param name="Hint">What to write instead, where a suggestion helps; otherwise <see langword="null"/>.</param>
/// <param name="PatternError">For <see cref="ClaimSetErrorCode.InvalidPattern"/>, the glob error (its position is within the pattern).</param>
public sealed record ClaimSetError(ClaimSetErrorCode Code, int Line, int Position, string Message, string? Hint, GlobError? PatternError)
{
    /// <summary>The message, the location and the hint in one line.</summary>
    public override string ToString() =>
        Hint is null
            ? $"{Message} (line {Line}, position {Position})"
            : $"{Message} (line {Line}, position {Position}); {Hint}";
}

/// <summary>Thrown by <see cref="ClaimSet.Parse(string, GlobOptions)"/> for text that is not a valid claim set.</summary>
public sealed class ClaimSetParseException : FormatException
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public ClaimSetParseException(ClaimSetError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString()) => Error = error;

    /// <summary>The full error.</summary>
    public ClaimSetError Error { get; }

    /// <summary>The stable error code.</summary>
    public ClaimSetErrorCode Code => Error.Code;

    /// <summary>One-based line number.</summary>
    public int Line => Error.Line;

    /// <summary>Zero-based position within the line.</summary>
    public int Position => Error.Position;

    /// <summary>A suggestion, or <see langword="null"/>.</summary>
    public string? Hint => Error.Hint;
}
