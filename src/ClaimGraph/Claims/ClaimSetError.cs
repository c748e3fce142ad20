using ClaimGraph.Globs;

namespace ClaimGraph.Claims;

/// <summary>Why a claim-set text was rejected: a stable code, where (line and position) and a hint. Immutable.</summary>
public sealed class ClaimSetError
{
    /// <summary>Creates an error.</summary>
    /// <param name="Code">The stable error code.</param>
    /// <param name="Line">One-based line number in the text.</param>
    /// <param name="Position">Zero-based character position within that line.</param>
    /// <param name="Message">A sentence describing the problem.</param>
    /// <param name="Hint">What to write instead, where a suggestion helps; otherwise <see langword="null"/>.</param>
    /// <param name="PatternError">For <see cref="ClaimSetErrorCode.InvalidPattern"/>, the glob error (its position is within the pattern).</param>
    public ClaimSetError(ClaimSetErrorCode Code, int Line, int Position, string Message, string? Hint, GlobError? PatternError)
    {
        this.Code = Code;
        this.Line = Line;
        this.Position = Position;
        this.Message = Message;
        this.Hint = Hint;
        this.PatternError = PatternError;
    }

    /// <summary>The stable error code.</summary>
    public ClaimSetErrorCode Code { get; }

    /// <summary>One-based line number in the text.</summary>
    public int Line { get; }

    /// <summary>Zero-based character position within that line.</summary>
    public int Position { get; }

    /// <summary>A sentence describing the problem.</summary>
    public string Message { get; }

    /// <summary>What to write instead, where a suggestion helps; otherwise <see langword="null"/>.</summary>
    public string? Hint { get; }

    /// <summary>For <see cref="ClaimSetErrorCode.InvalidPattern"/>, the glob error (its position is within the pattern); otherwise <see langword="null"/>.</summary>
    public GlobError? PatternError { get; }

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
