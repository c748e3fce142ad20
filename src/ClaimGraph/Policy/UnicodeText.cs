using System.Collections.Immutable;
using System.Globalization;

namespace ClaimGraph.Policy;

/// <summary>
/// The text rule every event passes at the policy's intake: no string of an event (ids, claim lines, labels, changed
/// paths, a failure message) may hold a NUL character or a lone UTF-16 surrogate. Such text is not valid Unicode (a
/// lone surrogate becomes U+FFFD in UTF-8 and JSON, so a stored event would differ from the one decided) or cannot be
/// stored as text (NUL). <c>ClaimPolicy.Step</c> rejects such an event with <see cref="ReasonCode.InvalidEvent"/>;
/// stores of events can call <see cref="FindProblem"/> to refuse it before writing. Pure and thread-safe.
/// </summary>
public static class UnicodeText
{
    /// <summary>
    /// The index of the first character of <paramref name="text"/> that breaks the rule (a NUL, or a surrogate without
    /// its partner), or −1 when the text is valid. O(length), no allocation.
    /// </summary>
    public static int IndexOfInvalid(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\0')
            {
                return i;
            }

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

    /// <summary>Whether <paramref name="text"/> holds no NUL and no lone surrogate (<see langword="null"/> counts as valid: it is checked elsewhere).</summary>
    public static bool IsValid(string? text) => text is null || IndexOfInvalid(text) < 0;

    /// <summary>
    /// Why some string of <paramref name="e"/> breaks the rule (which field, which character, at which index), or
    /// <see langword="null"/> when every string is valid. Null strings are not this check's concern.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="e"/> is null.</exception>
    public static string? FindProblem(PolicyEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Check("the event id", e.EventId) ?? e switch
        {
            WorkItemAdded a => Check("the work item id", a.WorkItemId) ?? Check("a dependency", a.DependsOn) ?? Check("a label", a.Labels),
            WorkItemChanged c => Check("the work item id", c.WorkItemId) ?? (c.Labels is { } labels ? Check("a label", labels) : null),
            WorkItemClosed c => Check("the work item id", c.WorkItemId),
            WorkItemReopened r => Check("the work item id", r.WorkItemId),
            DependencyAdded d => Check("the work item id", d.WorkItemId) ?? Check("the dependency", d.DependsOn),
            DependencyRemoved d => Check("the work item id", d.WorkItemId) ?? Check("the dependency", d.DependsOn),
            RunRequested r => Check("the run id", r.RunId) ?? Check("the work item id", r.WorkItemId) ?? Check("a claim line", r.Claims)
                ?? Check("the base", r.Base) ?? Check("the base revision", r.BaseRevision) ?? Check("an assumption", r.Assumes),
            RunHeartbeat h => Check("the run id", h.RunId),
            RunSucceeded s => Check("the run id", s.RunId) ?? Check("a changed path", s.ChangedPaths),
            RunFailed f => Check("the run id", f.RunId) ?? Check("the message", f.Message),
            RunCancelRequested c => Check("the run id", c.RunId),
            ClaimsAmended a => Check("the run id", a.RunId) ?? Check("a claim line", a.AdditionalClaims),
            BaseAdvanced b => Check("a changed path", b.ChangedPaths),
            Recovered r => Check("an alive run id", r.AliveRunIds),
            NamedBaseAdvanced n => Check("the base", n.Base) ?? Check("the revision", n.Revision) ?? Check("a changed path", n.ChangedPaths),
            ResourceChanged c => Check("the resource", c.Resource) ?? Check("the version", c.Version),
            _ => null,
        };
    }

    private static string? Check(string what, string? text)
    {
        if (text is null)
        {
            return null;
        }

        int at = IndexOfInvalid(text);
        if (at < 0)
        {
            return null;
        }

        string character = text[at] == '\0' ? "a NUL character" : "a lone UTF-16 surrogate (U+" + ((int)text[at]).ToString("X4", CultureInfo.InvariantCulture) + ")";
        return string.Create(CultureInfo.InvariantCulture, $"{what} holds {character} at index {at}; event text must be valid Unicode without NUL");
    }

    private static string? Check(string what, ImmutableArray<string> texts)
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
