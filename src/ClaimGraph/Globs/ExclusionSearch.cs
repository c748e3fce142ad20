using System.Collections.Immutable;

namespace ClaimGraph.Globs;

/// <summary>
/// Decides whether some path is covered by two patterns and by none of a list of exclusions: the glob algorithm
/// behind claim sets' exclusions (<c>!pattern</c>).
/// </summary>
/// <remarks>
/// <para>
/// Cheap steps first: no overlap means disjoint; no exclusion overlapping both patterns, or an overlap witness that
/// no exclusion covers, means a witness; an exclusion that covers all of one pattern (<see cref="Subsumption"/>)
/// means disjoint.
/// </para>
/// <para>
/// Otherwise an exact search, <see cref="ExclusionProduct"/>: the subset construction of the two patterns' and the
/// overlapping exclusions' cover automata, with <see cref="NameSignatures"/> for the names one path segment can take.
/// Every step counts against the budget; when it runs out the answer is <see cref="Outcome.Unknown"/>.
/// </para>
/// </remarks>
internal static class ExclusionSearch
{
    /// <summary>The default number of search steps (state transitions computed) for one entry pair.</summary>
    public const int DefaultBudget = 50_000;

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
        if (relevant is null || !AnyCovers(relevant, witness!))
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

        var search = new ExclusionProduct([e, f], relevant, budget);
        bool? found = search.Run(out string? path);
        if (found == false)
        {
            return Outcome.Disjoint;
        }

        // The search is exact by construction; the re-check only guards the evidence against a defect.
        if (found == true && e.Covers(path!) && f.Covers(path!) && !AnyCovers(relevant, path!))
        {
            witness = path;
            return Outcome.Witness;
        }

        return Outcome.Unknown;
    }

    private static bool AnyCovers(List<Glob> globs, string path)
    {
        foreach (Glob x in globs)
        {
            if (x.Covers(path))
            {
                return true;
            }
        }

        return false;
    }

    private static void CollectRelevant(Glob e, Glob f, ImmutableArray<Glob> exclusions, ref List<Glob>? relevant)
    {
        foreach (Glob x in exclusions)
        {
            if (string.Equals(x.Namespace, e.Namespace, StringComparison.Ordinal) && GlobOverlap.Overlaps(x, e) && GlobOverlap.Overlaps(x, f))
            {
                (relevant ??= []).Add(x);
            }
        }
    }
}
