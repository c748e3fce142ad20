using System.Collections.Immutable;
using ClaimGraph.Globs;

namespace ClaimGraph.Claims;

/// <summary>
/// The conflict check between claim sets (see <see cref="ClaimSet.Conflicts(ClaimSet, ClaimSet)"/>): the entry pairs
/// whose modes conflict, each checked against both sides' exclusions, the barrier as <c>write **</c>, and the
/// canonical orientation that makes the evidence symmetric.
/// </summary>
internal static class ClaimSetConflicts
{
    /// <summary>The conflict of two claim sets, oriented canonically and mirrored back.</summary>
    public static ClaimConflictResult Find(ClaimSet left, ClaimSet right) =>
        CompareCanonical(left, right) > 0 ? ConflictsOrdered(right, left).Mirror() : ConflictsOrdered(left, right);

    private static ClaimConflictResult ConflictsOrdered(ClaimSet a, ClaimSet b)
    {
        if (a.IsBarrier || b.IsBarrier)
        {
            return BarrierConflict(a, b);
        }

        // Large sets: only the pairs whose literal prefixes agree (the same pairs in the same order, minus hopeless ones).
        List<int>[]? candidates = (long)a.Entries.Length * b.Entries.Length > EntryJoin.MinPairs
            ? EntryJoin.Candidates(a.Entries, b.Entries)
            : null;
        ClaimConflictResult? conservative = null;
        for (int i = 0; i < a.Entries.Length; i++)
        {
            ClaimEntry e = a.Entries[i];
            int count = candidates?[i].Count ?? b.Entries.Length;
            for (int k = 0; k < count; k++)
            {
                ClaimEntry f = b.Entries[candidates is null ? k : candidates[i][k]];
                if (!e.Mode.ConflictsWith(f.Mode))
                {
                    continue;
                }

                ClaimConflictResult r = CheckPair(e, a.Exclusions, f, b.Exclusions);
                if (!r.IsConflict)
                {
                    continue;
                }

                if (!r.IsConservative)
                {
                    return r;
                }

                conservative ??= r;
            }
        }

        return conservative ?? ClaimConflictResult.None;
    }

    private static ClaimConflictResult BarrierConflict(ClaimSet a, ClaimSet b)
    {
        if (a.IsBarrier && b.IsBarrier)
        {
            ClaimEntry all = BarrierEntry(string.Empty);
            Glob.TryGetWitness(all.Pattern, all.Pattern, out string? w);
            return ClaimConflictResult.Found(new ClaimConflict(all, all, w!, leftIsBarrier: true, rightIsBarrier: true), conservative: false);
        }

        bool barrierLeft = a.IsBarrier;
        ClaimSet other = barrierLeft ? b : a;
        ClaimConflictResult? conservative = null;
        foreach (ClaimEntry f in other.Entries)
        {
            ClaimEntry all = BarrierEntry(f.Namespace);
            ClaimConflictResult r = barrierLeft
                ? CheckPair(all, ImmutableArray<Glob>.Empty, f, other.Exclusions)
                : CheckPair(f, other.Exclusions, all, ImmutableArray<Glob>.Empty);
            if (!r.IsConflict)
            {
                continue;
            }

            r = ClaimConflictResult.Found(
                new ClaimConflict(r.Conflict!.Left, r.Conflict.Right, r.Conflict.Witness, barrierLeft, !barrierLeft),
                r.IsConservative);
            if (!r.IsConservative)
            {
                return r;
            }

            conservative ??= r;
        }

        return conservative ?? ClaimConflictResult.None;
    }

    /// <summary>The entry a barrier stands for in <paramref name="ns"/>: <c>write ns:**</c>.</summary>
    public static ClaimEntry BarrierEntry(string ns) =>
        ns.Length == 0 ? WriteAll : new ClaimEntry(ClaimMode.Write, Glob.Parse(ns + ":**"));

    private static readonly ClaimEntry WriteAll = new(ClaimMode.Write, Glob.Parse("**"));

    /// <summary>Checks one entry pair whose modes conflict, against both sides' exclusions.</summary>
    public static ClaimConflictResult CheckPair(ClaimEntry e, ImmutableArray<Glob> excludedByE, ClaimEntry f, ImmutableArray<Glob> excludedByF)
    {
        ExclusionSearch.Outcome outcome = ExclusionSearch.Find(e.Pattern, excludedByE, f.Pattern, excludedByF, ExclusionSearch.DefaultBudget, out string? witness);
        return outcome switch
        {
            ExclusionSearch.Outcome.Disjoint => ClaimConflictResult.None,
            ExclusionSearch.Outcome.Witness => ClaimConflictResult.Found(new ClaimConflict(e, f, witness!, false, false), conservative: false),
            _ => ClaimConflictResult.Found(new ClaimConflict(e, f, witness!, false, false), conservative: true),
        };
    }

    /// <summary>A total order used to orient pairs canonically (so conflict evidence is symmetric).</summary>
    private static int CompareCanonical(ClaimSet a, ClaimSet b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        int c = string.CompareOrdinal(a.ToString(), b.ToString());
        if (c != 0)
        {
            return c;
        }

        // Same text but different options somewhere: order by the options of the patterns in turn.
        for (int i = 0; i < a.Entries.Length && i < b.Entries.Length; i++)
        {
            c = ((int)a.Entries[i].Pattern.Options).CompareTo((int)b.Entries[i].Pattern.Options);
            if (c != 0)
            {
                return c;
            }
        }

        for (int i = 0; i < a.Exclusions.Length && i < b.Exclusions.Length; i++)
        {
            c = ((int)a.Exclusions[i].Options).CompareTo((int)b.Exclusions[i].Options);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }
}
