using System.Globalization;
using System.Text;

namespace ClaimGraph.Postgres;

/// <summary>
/// The claim log in PostgreSQL is malformed, from an unknown version, or could not be appended to. Names the stream
/// and the stream version where one applies. Never carries the connection string or any part of it.
/// </summary>
public sealed class ClaimLogException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">The stable error code.</param>
    /// <param name="detail">What is wrong, in a sentence.</param>
    /// <param name="streamId">The stream, or <see langword="null"/> when the error is not about one stream.</param>
    /// <param name="version">The stream version (event or snapshot), or <see langword="null"/>.</param>
    /// <param name="hint">What to do about it, or <see langword="null"/>.</param>
    /// <param name="inner">The underlying error, or <see langword="null"/>.</param>
    public ClaimLogException(ClaimLogErrorCode code, string detail, string? streamId, long? version, string? hint, Exception? inner)
        : base(Format(code, detail, streamId, version, hint), inner)
    {
        Code = code;
        Detail = detail;
        StreamId = streamId;
        Version = version;
        Hint = hint;
    }

    /// <summary>The stable error code.</summary>
    public ClaimLogErrorCode Code { get; }

    /// <summary>What is wrong, without the stream and version.</summary>
    public string Detail { get; }

    /// <summary>The stream concerned, or <see langword="null"/>.</summary>
    public string? StreamId { get; }

    /// <summary>The stream version concerned (of an event or a snapshot), or <see langword="null"/>.</summary>
    public long? Version { get; }

    /// <summary>What to do about it, or <see langword="null"/>.</summary>
    public string? Hint { get; }

    private static string Format(ClaimLogErrorCode code, string detail, string? streamId, long? version, string? hint)
    {
        var text = new StringBuilder().Append(code.ToString());
        if (streamId is not null)
        {
            text.Append(" in stream '").Append(streamId).Append('\'');
        }

        if (version is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" at version {version}");
        }

        text.Append(": ").Append(detail);
        if (hint is not null)
        {
            text.Append("; ").Append(hint);
        }

        return text.ToString();
    }
}
