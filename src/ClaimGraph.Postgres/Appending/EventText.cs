using ClaimGraph.Policy;

namespace ClaimGraph.Postgres.Appending;

/// <summary>
/// Finds the strings of an event that the log cannot store exactly: a lone UTF-16 surrogate anywhere (JSON and the
/// server's UTF-8 would turn it into U+FFFD, so the stored event would differ from the one decided) and NUL in the
/// event id (PostgreSQL text cannot hold it; error 22021). Such an event is refused before anything is sent.
/// </summary>
/// <remarks>
/// The one place the coordinator asks "can this event be saved?": when the core library validates event text itself,
/// <see cref="FindProblem"/> should call that validator and keep only the NUL check of the event id column.
/// </remarks>
internal static class EventText
{
    /// <summary>Why <paramref name="e"/> cannot be stored as it is, or <see langword="null"/> when it can.</summary>
    public static string? FindProblem(PolicyEvent e)
    {
        if (e.EventId.Contains('\0', StringComparison.Ordinal))
        {
            return "the event id contains NUL, which PostgreSQL text cannot store";
        }

        return Check("the event id", e.EventId) ?? e switch
        {
            WorkItemAdded a => Check("the work item id", a.WorkItemId) ?? Check("a dependency", a.DependsOn) ?? Check("a label", a.Labels),
            WorkItemChanged c => Check("the work item id", c.WorkItemId) ?? (c.Labels is { } labels ? Check("a label", labels) : null),
            WorkItemClosed c => Check("the work item id", c.WorkItemId),
            WorkItemReopened r => Check("the work item id", r.WorkItemId),
            DependencyAdded d => Check("the work item id", d.WorkItemId) ?? Check("the dependency", d.DependsOn),
            DependencyRemoved d => Check("the work item id", d.WorkItemId) ?? Check("the dependency", d.DependsOn),
            RunRequested r => Check("the run id", r.RunId) ?? Check("the work item id", r.WorkItemId) ?? Check("a claim line", r.Claims),
            RunHeartbeat h => Check("the run id", h.RunId),
            RunSucceeded s => Check("the run id", s.RunId) ?? Check("a changed path", s.ChangedPaths),
            RunFailed f => Check("the run id", f.RunId) ?? Check("the message", f.Message),
            RunCancelRequested c => Check("the run id", c.RunId),
            ClaimsAmended a => Check("the run id", a.RunId) ?? Check("a claim line", a.AdditionalClaims),
            BaseAdvanced b => Check("a changed path", b.ChangedPaths),
            Recovered r => Check("an alive run id", r.AliveRunIds),
            _ => null,
        };
    }

    /// <summary>The index of the first lone surrogate in <paramref name="text"/>, or −1.</summary>
    public static int IndexOfLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return i;
            }
        }

        return -1;
    }

    private static string? Check(string what, string? text)
    {
        if (text is null)
        {
            return null;
        }

        int at = IndexOfLoneSurrogate(text);
        return at < 0 ? null : $"{what} has a lone UTF-16 surrogate (U+{(int)text[at]:X4}) at index {at}: it is not valid Unicode and would be stored changed";
    }

    private static string? Check(string what, System.Collections.Immutable.ImmutableArray<string> texts)
    {
        if (texts.IsDefault)
        {
            return null;
        }

        foreach (string text in texts)
        {
            if (Check(what, text) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }
}
