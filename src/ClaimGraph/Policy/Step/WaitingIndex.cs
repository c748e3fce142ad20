using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Graph;
using ClaimGraph.Index;

namespace ClaimGraph.Policy;

/// <summary>
/// Indexes over the waiting (<see cref="RunStatus.Pending"/> or <see cref="RunStatus.Held"/>) runs that let the policy
/// re-check only the waiting runs an event can affect: their claim patterns split by mode (only Write conflicts with
/// Read and Append, so a query skips entries whose mode cannot conflict), the barrier runs apart (they have no
/// entries), and the runs with a backoff end by (NotBefore, id). Persistent: every update returns a new index.
/// </summary>
/// <remarks>
/// Only the policy reads these, so the policy keeps them (in <see cref="AdmissionState"/>, beside the graph they
/// describe) and updates them with every run it changes; a graph that arrives without one gets an index built from its
/// runs.
/// </remarks>
internal sealed class WaitingIndex
{
    /// <summary>No waiting runs.</summary>
    public static readonly WaitingIndex Empty = new(Structural.EmptyIndex, Structural.EmptyIndex, Structural.EmptyIds, LeaseOrder.Empty);

    private readonly OverlapIndex<string> _writes;
    private readonly OverlapIndex<string> _shared;
    private readonly ImmutableSortedSet<string> _barriers;
    private readonly ImmutableSortedSet<(long At, string Id)> _backoffs;

    private WaitingIndex(OverlapIndex<string> writes, OverlapIndex<string> shared, ImmutableSortedSet<string> barriers, ImmutableSortedSet<(long At, string Id)> backoffs)
    {
        _writes = writes;
        _shared = shared;
        _barriers = barriers;
        _backoffs = backoffs;
    }

    /// <summary>
    /// The index after run <paramref name="old"/> (or none) became <paramref name="now"/> (or none). A run that stays
    /// waiting with the same claims and backoff end (pending to held, a history append) keeps its entries.
    /// </summary>
    public WaitingIndex Update(Run? old, Run? now)
    {
        bool wasWaiting = old is not null && old.Status.IsWaiting();
        bool isWaiting = now is not null && now.Status.IsWaiting();
        if ((!wasWaiting && !isWaiting)
            || (wasWaiting && isWaiting && old!.Claims.Equals(now!.Claims) && old.NotBefore == now.NotBefore))
        {
            return this;
        }

        var next = new Builder(this);
        if (wasWaiting)
        {
            next.Remove(old!);
        }

        if (isWaiting)
        {
            next.Add(now!);
        }

        return next.ToIndex();
    }

    /// <summary>Makes an index of the waiting runs among <paramref name="runs"/>.</summary>
    public static WaitingIndex Create(IEnumerable<Run> runs)
    {
        var next = new Builder(Empty);
        foreach (Run run in runs)
        {
            if (run.Status.IsWaiting())
            {
                next.Add(run);
            }
        }

        return next.ToIndex();
    }

    /// <summary>
    /// Adds to <paramref name="into"/> the id of every waiting run whose claims may conflict with
    /// <paramref name="claims"/>: a superset (pattern overlap and the mode matrix, exclusions ignored) of the waiting
    /// runs that conflict. A barrier query returns every run of <paramref name="queue"/> (the waiting runs this index
    /// was kept for). O(the index nodes the patterns reach + results).
    /// </summary>
    public void AddOverlapping(ClaimSet claims, IEnumerable<Run> queue, ICollection<string> into)
    {
        if (claims.IsBarrier)
        {
            foreach (Run run in queue)
            {
                into.Add(run.Id);
            }

            return;
        }

        foreach (ClaimEntry entry in claims.Entries)
        {
            AddOwners(_writes.Query(entry.Pattern), into);
            if (entry.Mode == ClaimMode.Write)
            {
                AddOwners(_shared.Query(entry.Pattern), into);
            }
        }

        foreach (string id in _barriers)
        {
            into.Add(id);
        }
    }

    /// <summary>
    /// Adds to <paramref name="into"/> the id of every waiting run whose <see cref="Run.NotBefore"/> lies in
    /// (<paramref name="after"/>, <paramref name="upTo"/>]: the runs whose backoff ended in that time. O(log n + k).
    /// </summary>
    public void AddWithNotBeforeIn(long after, long upTo, ICollection<string> into)
    {
        if (upTo <= after || _backoffs.IsEmpty)
        {
            return;
        }

        int i = _backoffs.IndexOf((after + 1, string.Empty));
        for (i = i < 0 ? ~i : i; i < _backoffs.Count; i++)
        {
            (long at, string id) = _backoffs[i];
            if (at > upTo)
            {
                break;
            }

            into.Add(id);
        }
    }

    private static void AddOwners(ImmutableArray<IndexMatch<string>> matches, ICollection<string> into)
    {
        foreach (IndexMatch<string> match in matches)
        {
            into.Add(match.Owner);
        }
    }

    /// <summary>The index's fields while one update files and unfiles runs.</summary>
    private struct Builder
    {
        private OverlapIndex<string> _writes;
        private OverlapIndex<string> _shared;
        private ImmutableSortedSet<string> _barriers;
        private ImmutableSortedSet<(long At, string Id)> _backoffs;

        public Builder(WaitingIndex index)
        {
            _writes = index._writes;
            _shared = index._shared;
            _barriers = index._barriers;
            _backoffs = index._backoffs;
        }

        public readonly WaitingIndex ToIndex() => new(_writes, _shared, _barriers, _backoffs);

        public void Add(Run run)
        {
            if (run.Claims.IsBarrier)
            {
                _barriers = _barriers.Add(run.Id);
            }
            else
            {
                // Each index gets its entries in one update (exclusions are not kept here: the indexes find candidates).
                var writes = new List<ClaimEntry>();
                var shared = new List<ClaimEntry>();
                foreach (ClaimEntry entry in run.Claims.Entries)
                {
                    (entry.Mode == ClaimMode.Write ? writes : shared).Add(entry);
                }

                if (writes.Count > 0)
                {
                    _writes = _writes.Add(run.Id, ClaimSet.Create(writes));
                }

                if (shared.Count > 0)
                {
                    _shared = _shared.Add(run.Id, ClaimSet.Create(shared));
                }
            }

            if (run.NotBefore is long at)
            {
                _backoffs = _backoffs.Add((at, run.Id));
            }
        }

        public void Remove(Run run)
        {
            if (run.Claims.IsBarrier)
            {
                _barriers = _barriers.Remove(run.Id);
            }
            else
            {
                _writes = _writes.RemoveOwner(run.Id);
                _shared = _shared.RemoveOwner(run.Id);
            }

            if (run.NotBefore is long at)
            {
                _backoffs = _backoffs.Remove((at, run.Id));
            }
        }
    }
}
