namespace ClaimGraph.Simulation;

/// <summary>
/// A history could not be read: says why (<see cref="Code"/>), where (<see cref="Origin"/> and 1-based
/// <see cref="Line"/>, 0 when no line applies) and, where one helps, what to do (<see cref="Hint"/>).
/// </summary>
public sealed class HistoryReadException : Exception
{
    /// <summary>Creates the exception; the message is built from the parts.</summary>
    public HistoryReadException(HistoryErrorCode code, string source, int line, string detail, string? hint = null, Exception? inner = null)
        : base(BuildMessage(code, source, line, detail, hint), inner)
    {
        Code = code;
        Origin = source;
        Line = line;
        Detail = detail;
        Hint = hint;
    }

    /// <summary>Why the history could not be read.</summary>
    public HistoryErrorCode Code { get; }

    /// <summary>The file, repository or stream name the history came from.</summary>
    public string Origin { get; }

    /// <summary>The 1-based line of the problem, or 0 when no line applies.</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Detail { get; }

    /// <summary>What to do about it, or <see langword="null"/>.</summary>
    public string? Hint { get; }

    private static string BuildMessage(HistoryErrorCode code, string source, int line, string detail, string? hint)
    {
        string where = line > 0 ? $"{source}:{line}" : source;
        string text = $"{where}: {detail} ({code})";
        return hint is null ? text : text + "; " + hint;
    }
}
