using System.Collections.Immutable;

namespace ClaimGraph.Policy;

/// <summary>
/// What a held run's history keeps of each Hold, and what decides whether a Hold is emitted again (docs/policy.md,
/// "When a Hold is emitted"): its non-claim reasons with their evidence, the claim blocker it names first (by run, not
/// by evidence) and whether it reserves its place. Two holds with the same headline are the same hold.
/// </summary>
internal static class HoldHeadline
{
    /// <summary>The claim reason a headline names: its code and blocking run (its evidence is not part of the headline).</summary>
    public static ClaimBlocker? Blocker(ClaimHold? hold) => hold is null ? null : new ClaimBlocker(hold.Code, hold.BlockingRunId);

    /// <summary>
    /// <c>Run 'r' waits: REASON; …; claims conflict with active run 'b' | queued behind held run 'b'; it reserves its place.</c>
    /// </summary>
    /// <param name="runId">The held run.</param>
    /// <param name="waits">Its dependency, backoff and limit reasons, in order.</param>
    /// <param name="claimBlocker">The claim reason it names, or <see langword="null"/>.</param>
    /// <param name="reserves">Whether it reserves its place.</param>
    public static string Of(string runId, ImmutableArray<HoldReason> waits, ClaimBlocker? claimBlocker, bool reserves)
    {
        var parts = new List<string>(waits.Length + 2);
        foreach (HoldReason r in waits)
        {
            parts.Add(r.Message);
        }

        if (claimBlocker is { } blocker)
        {
            parts.Add(EvidenceFormatter.ClaimBlockerLead(blocker.Code) + blocker.BlockingRunId + "'");
        }

        if (reserves)
        {
            parts.Add("it reserves its place");
        }

        return $"Run '{runId}' waits: " + string.Join("; ", parts) + ".";
    }

    /// <summary>Whether <paramref name="headline"/> equals <see cref="Of"/> of the same arguments, without building it.</summary>
    public static bool Matches(string headline, string runId, ImmutableArray<HoldReason> waits, ClaimBlocker? claimBlocker, bool reserves)
    {
        ReadOnlySpan<char> rest = headline;
        bool ok = Take(ref rest, "Run '") && Take(ref rest, runId) && Take(ref rest, "' waits: ");
        bool first = true;
        foreach (HoldReason r in waits)
        {
            ok = ok && Separator(ref rest, ref first) && Take(ref rest, r.Message);
        }

        if (claimBlocker is { } blocker)
        {
            ok = ok && Separator(ref rest, ref first)
                && Take(ref rest, EvidenceFormatter.ClaimBlockerLead(blocker.Code))
                && Take(ref rest, blocker.BlockingRunId) && Take(ref rest, "'");
        }

        if (reserves)
        {
            ok = ok && Separator(ref rest, ref first) && Take(ref rest, "it reserves its place");
        }

        return ok && rest.SequenceEqual(".");
    }

    private static bool Separator(ref ReadOnlySpan<char> rest, ref bool first)
    {
        bool ok = first || Take(ref rest, "; ");
        first = false;
        return ok;
    }

    private static bool Take(ref ReadOnlySpan<char> rest, string? piece)
    {
        if (piece is null || !rest.StartsWith(piece, StringComparison.Ordinal))
        {
            return false;
        }

        rest = rest[piece.Length..];
        return true;
    }

    /// <summary>A claim blocker as a headline names it: ClaimConflict or QueuedBehind, and the blocking run.</summary>
    internal readonly record struct ClaimBlocker(ReasonCode Code, string BlockingRunId);
}
