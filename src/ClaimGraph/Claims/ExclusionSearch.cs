using System.Collections.Immutable;
using ClaimGraph.Globs;

namespace ClaimGraph.Claims;

/// <summary>
/// Decides whether some path is covered by two patterns and by none of a list of exclusions.
/// </summary>
internal static class ExclusionSearch
{
    public const int DefaultBudget = 20_000;

    public enum Outcome
    {
        /// <summary>Proven: no path is covered by both patterns outside the exclusions.</summary>
        Disjoint,

        /// <summary>Found: the witness is covered by both and by no exclusion.</summary>
        Witness,

        /// <summary>Undecided within the budget; the witness is covered by both patterns only.</summary>
        Unknown,
    }

    public static Outcome Find(Glob e, ImmutableArray<Glob> excludedByE, Glob f, ImmutableArray<Glob> excludedByF, int budget, out string? witness)
    {
        if (!Glob.TryGetWitness(e, f, out witness))
        {
            return Outcome.Disjoint;
        }

        List<Glob>? relevant = null;
        CollectRelevant(e, f, excludedByE, ref relevant);
        CollectRelevant(e, f, excludedByF, ref relevant);
        if (relevant is null)
        {
            return Outcome.Witness;
        }

        bool excluded = false;
        foreach (Glob x in relevant)
        {
            if (x.Covers(witness))
            {
                excluded = true;
                break;
            }
        }

        if (!excluded)
        {
            return Outcome.Witness;
        }

        foreach (Glob x in relevant)
        {
            if (Subsumption.CoversAll(x, e) || Subsumption.CoversAll(x, f))
            {
                return Outcome.Disjoint;
            }
        }

        _ = budget;
        return Outcome.Unknown;
    }

    private static void CollectRelevant(Glob e, Glob f, ImmutableArray<Glob> exclusions, ref List<Glob>? relevant)
    {
        foreach (Glob x in exclusions)
        {
            if (string.Equals(x.Namespace, e.Namespace, StringComparison.Ordinal) && Glob.Overlaps(x, e) && Glob.Overlaps(x, f))
            {
                (relevant ??= []).Add(x);
            }
        }
    }
}
