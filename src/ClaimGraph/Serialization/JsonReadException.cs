namespace ClaimGraph.Serialization;

/// <summary>
/// JSON input that ClaimGraph's readers refuse (events, scenarios, policy options): <see cref="Error"/> says why (a
/// stable <see cref="JsonReadErrorCode"/>) and where (JSON path, line, column). The message is
/// <see cref="JsonReadError.ToString"/>.
/// </summary>
public sealed class JsonReadException : FormatException
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public JsonReadException(JsonReadError error, Exception? inner = null)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString(), inner) => Error = error;

    /// <summary>Why and where.</summary>
    public JsonReadError Error { get; }
}
