namespace ClaimGraph.Globs;

/// <summary>Why a pattern or a path was rejected: a stable code, the input, the position and a hint. Immutable.</summary>
public sealed class GlobError
{
    /// <summary>Creates an error.</summary>
    /// <param name="Code">The stable error code.</param>
    /// <param name="Input">The rejected pattern or path, as given.</param>
    /// <param name="Position">Zero-based index into <paramref name="Input"/> where the problem is.</param>
    /// <param name="Message">A sentence describing the problem.</param>
    /// <param name="Hint">What to write instead, where a suggestion helps; otherwise <see langword="null"/>.</param>
    public GlobError(GlobErrorCode Code, string Input, int Position, string Message, string? Hint)
    {
        this.Code = Code;
        this.Input = Input;
        this.Position = Position;
        this.Message = Message;
        this.Hint = Hint;
    }

    /// <summary>The stable error code.</summary>
    public GlobErrorCode Code { get; }

    /// <summary>The rejected pattern or path, as given.</summary>
    public string Input { get; }

    /// <summary>Zero-based index into <see cref="Input"/> where the problem is.</summary>
    public int Position { get; }

    /// <summary>A sentence describing the problem.</summary>
    public string Message { get; }

    /// <summary>What to write instead, where a suggestion helps; otherwise <see langword="null"/>.</summary>
    public string? Hint { get; }

    /// <summary>The message, the position and the hint in one line.</summary>
    public override string ToString() =>
        Hint is null
            ? $"{Message} (at position {Position} in '{Input}')"
            : $"{Message} (at position {Position} in '{Input}'); {Hint}";
}

/// <summary>Thrown by <see cref="Glob.Parse(string, GlobOptions)"/> for a pattern that is not in the dialect.</summary>
public sealed class GlobParseException : FormatException
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public GlobParseException(GlobError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString()) => Error = error;

    /// <summary>The full error.</summary>
    public GlobError Error { get; }

    /// <summary>The stable error code.</summary>
    public GlobErrorCode Code => Error.Code;

    /// <summary>Zero-based position of the problem in <see cref="Pattern"/>.</summary>
    public int Position => Error.Position;

    /// <summary>The rejected pattern.</summary>
    public string Pattern => Error.Input;

    /// <summary>A suggestion, or <see langword="null"/>.</summary>
    public string? Hint => Error.Hint;
}

/// <summary>Thrown when a path given to <see cref="Glob.IsMatch(string)"/> or <see cref="Glob.Covers(string)"/> is not a valid repository path.</summary>
public sealed class InvalidPathException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public InvalidPathException(GlobError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString(), "path") => Error = error;

    /// <summary>The full error.</summary>
    public GlobError Error { get; }

    /// <summary>The stable error code.</summary>
    public GlobErrorCode Code => Error.Code;

    /// <summary>Zero-based position of the problem in the path.</summary>
    public int Position => Error.Position;

    /// <summary>A suggestion, or <see langword="null"/>.</summary>
    public string? Hint => Error.Hint;
}
