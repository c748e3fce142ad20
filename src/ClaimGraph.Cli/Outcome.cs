using ClaimGraph.Globs;

namespace ClaimGraph.Cli;

/// <summary>What one request comes to: an answer (its JSON line and its readable lines) or a rejected argument.</summary>
internal sealed class Outcome
{
    private Outcome(string? json, string? text, int rejected, GlobError? error)
    {
        Json = json;
        Text = text;
        Rejected = rejected;
        Error = error;
    }

    /// <summary>The answer as one JSON object, or <see langword="null"/> for a rejection.</summary>
    public string? Json { get; }

    /// <summary>The answer as readable <c>key: value</c> lines.</summary>
    public string? Text { get; }

    /// <summary>Which argument was rejected: 0 the first, 1 the second.</summary>
    public int Rejected { get; }

    /// <summary>Why the argument was rejected, or <see langword="null"/> for an answer.</summary>
    public GlobError? Error { get; }

    public static Outcome Answer(string json, string text) => new(json, text, -1, null);

    public static Outcome RejectFirst(GlobError error) => new(null, null, 0, error);

    public static Outcome RejectSecond(GlobError error) => new(null, null, 1, error);
}
