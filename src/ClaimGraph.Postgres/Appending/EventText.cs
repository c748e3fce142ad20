using ClaimGraph.Policy;

namespace ClaimGraph.Postgres.Appending;

/// <summary>
/// Whether the log can store an event exactly. The rule is the core's <see cref="UnicodeText"/>: no NUL (PostgreSQL
/// text and jsonb cannot hold it; error 22021) and no lone UTF-16 surrogate (JSON and the server's UTF-8 would turn it
/// into U+FFFD, so the stored event would differ from the one decided). Such an event is refused before anything is
/// sent, with the same words the policy's intake uses.
/// </summary>
internal static class EventText
{
    /// <summary>Why <paramref name="e"/> cannot be stored as it is, or <see langword="null"/> when it can.</summary>
    public static string? FindProblem(PolicyEvent e) => UnicodeText.FindProblem(e);
}
