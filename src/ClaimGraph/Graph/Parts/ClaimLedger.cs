using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Index;

namespace ClaimGraph.Graph;

/// <summary>
/// The claims that are taken: the overlap index of the runs that are active or held and reserving their place
/// (<see cref="Run.IsInOverlapIndex"/>), owned by run id, and the set of those ids. A persistent part of
/// <see cref="WorkGraph"/>: every update returns a new ledger that shares structure with this one.
/// </summary>
internal sealed class ClaimLedger
{
    /// <summary>No claims taken.</summary>
    public static readonly ClaimLedger Empty = new(Structural.EmptyIds, Structural.EmptyIndex);

    private ClaimLedger(ImmutableSortedSet<string> ids, OverlapIndex<string> index)
    {
        Ids = ids;
        Index = index;
    }

    /// <summary>The ids of the runs whose claims are in <see cref="Index"/> (ordinal order).</summary>
    public ImmutableSortedSet<string> Ids { get; }

    /// <summary>The overlap index of their claims, owned by run id.</summary>
    public OverlapIndex<string> Index { get; }

    /// <summary>
    /// The ledger after run <paramref name="old"/> (or none) became <paramref name="now"/> (or none): its claims leave
    /// and enter as <see cref="Run.IsInOverlapIndex"/> says. A run that stays in the index with the same claims (a
    /// history append, a lease change) leaves the index untouched.
    /// </summary>
    public ClaimLedger Update(Run? old, Run? now)
    {
        bool wasIn = old is not null && old.IsInOverlapIndex;
        bool isIn = now is not null && now.IsInOverlapIndex;
        if ((!wasIn && !isIn) || (wasIn && isIn && old!.Claims.Equals(now!.Claims)))
        {
            return this;
        }

        ImmutableSortedSet<string> ids = Ids;
        OverlapIndex<string> index = Index;
        if (wasIn)
        {
            ids = ids.Remove(old!.Id);
            index = index.RemoveOwner(old.Id);
        }

        if (isIn)
        {
            ids = ids.Add(now!.Id);
            index = index.Add(now.Id, now.Claims);
        }

        return new ClaimLedger(ids, index);
    }

    /// <summary>Every indexed run whose claims conflict with <paramref name="claims"/>, with evidence (see <see cref="OverlapIndex{TOwner}.Conflicts(ClaimSet)"/>).</summary>
    public ImmutableArray<IndexConflict<string>> Conflicts(ClaimSet claims) => Index.Conflicts(claims);

    /// <summary>Makes a ledger of the indexed runs among <paramref name="runs"/>, in their order.</summary>
    public static ClaimLedger Create(IEnumerable<Run> runs)
    {
        ImmutableSortedSet<string>.Builder ids = Structural.EmptyIds.ToBuilder();
        OverlapIndex<string> index = Structural.EmptyIndex;
        foreach (Run run in runs)
        {
            if (run.IsInOverlapIndex)
            {
                ids.Add(run.Id);
                index = index.Add(run.Id, run.Claims);
            }
        }

        return new ClaimLedger(ids.ToImmutable(), index);
    }
}
