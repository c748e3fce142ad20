namespace ClaimGraph.Graph;

/// <summary>The orders runs are kept in. Both are total orders on runs with distinct ids.</summary>
public static class RunOrder
{
    /// <summary>
    /// Admission order: higher <see cref="Run.Priority"/> first, then earlier <see cref="Run.RequestedAt"/>, then
    /// ordinal <see cref="Run.Id"/>.
    /// </summary>
    public static IComparer<Run> Admission { get; } = Comparer<Run>.Create(static (a, b) =>
    {
        int c = b.Priority.CompareTo(a.Priority);
        if (c == 0)
        {
            c = a.RequestedAt.CompareTo(b.RequestedAt);
        }

        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    });

    /// <summary>Attempt order: lower <see cref="Run.Attempt"/> first, then ordinal <see cref="Run.Id"/>.</summary>
    public static IComparer<Run> Attempt { get; } = Comparer<Run>.Create(static (a, b) =>
    {
        int c = a.Attempt.CompareTo(b.Attempt);
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    });
}
