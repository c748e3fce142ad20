using System.Collections.Immutable;

namespace ClaimGraph.Policy;

/// <summary>
/// What a held run's history keeps of each Hold, and what decides whether a Hold is emitted again (docs/policy.md,
/// "When a Hold is emitted"): its non-claim reasons with their evidence, the claim blocker it names first (by run, not
/// by evidence) and whether it reserves its place. Two holds with the same headline are the same hold.
/// </summary>
internal static class HoldHeadline
{
    /// <summary>
    /// <c>Run 'r' waits: REASON; …; claims conflict with active run 'b' | queued behind held run 'b'; it reserves its place.</c>
    /// </summary>
    /// <param name="runId">The held run.</param>
    /// <param name="waits">Its dependency, backoff and limit reasons, in order.</param>
    /// <param name="claimBlocker">The claim reason it names (only its code and blocking run are used), or <see langword="null"/>.</param>
    /// <param name="reserves">Whether it reserves its place.</param>
    public static string Of(string runId, ImmutableArray<HoldReason> waits, HoldReason? claimBlocker, bool reserves)
    {
        var parts = new List<string>(waits.Length + 2);
        foreach (HoldReason r in waits)
        {
            parts.Add(r.Message);
        }

        if (claimBlocker is not null)
        {
            parts.Add(claimBlocker.Code == ReasonCode.ClaimConflict
                ? $"claims conflict with active run '{claimBlocker.BlockingRunId}'"
                : $"queued behind held run '{claimBlocker.BlockingRunId}'");
        }

        if (reserves)
        {
            parts.Add("it reserves its place");
        }

        return $"Run '{runId}' waits: " + string.Join("; ", parts) + ".";
    }
}
