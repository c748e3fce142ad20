using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Index;

namespace ClaimGraph.Graph;

/// <summary>
/// Derived structures over the waiting (<see cref="RunStatus.Pending"/> or <see cref="RunStatus.Held"/>) runs that let
/// the policy re-check only the waiting runs an event can affect, and the policy's note about the graph it settled.
/// </summary>
public sealed partial class WorkGraph
{
    // Derived: the claim patterns of waiting runs, split by mode so that a query can skip entries whose mode cannot
    // conflict (only Write conflicts with Read and Append); barrier runs apart (they have no entries).
    private OverlapIndex<string> _waitingWrites = Structural.EmptyIndex;
    private OverlapIndex<string> _waitingShared = Structural.EmptyIndex;
    private ImmutableSortedSet<string> _waitingBarriers = Structural.EmptyIds;

    // Derived: waiting runs with a NotBefore, by (NotBefore, id).
    private ImmutableSortedSet<(long At, string Id)> _backoffs = LeaseOrder.Empty;

    // Not content: what the policy noted when it settled this graph; any later change (Fork) drops it.
    private object? _admissionState;

    /// <summary>
    /// The policy's note about this graph, set by <see cref="WithAdmissionState"/> as the last change of a step and
    /// dropped by every other change, so a graph carrying one is exactly the graph the policy settled. Not content:
    /// not compared, hashed or serialised.
    /// </summary>
    internal object? AdmissionState => _admissionState;

    /// <summary>This graph with the policy's note (see <see cref="AdmissionState"/>). O(1).</summary>
    internal WorkGraph WithAdmissionState(object? state)
    {
        WorkGraph next = Fork();
        next._admissionState = state;
        return next;
    }

    /// <summary>
    /// Adds to <paramref name="into"/> the id of every waiting run whose claims may conflict with
    /// <paramref name="claims"/>: a superset (pattern overlap and the mode matrix, exclusions ignored) of the waiting
    /// runs that conflict. O(the index nodes the patterns reach + results).
    /// </summary>
    internal void AddWaitingRunsOverlapping(ClaimSet claims, ICollection<string> into)
    {
        if (claims.IsBarrier)
        {
            foreach (Run run in _waiting)
            {
                into.Add(run.Id);
            }

            return;
        }

        foreach (ClaimEntry entry in claims.Entries)
        {
            AddOwners(_waitingWrites.Query(entry.Pattern), into);
            if (entry.Mode == ClaimMode.Write)
            {
                AddOwners(_waitingShared.Query(entry.Pattern), into);
            }
        }

        foreach (string id in _waitingBarriers)
        {
            into.Add(id);
        }
    }

    /// <summary>
    /// Adds to <paramref name="into"/> the id of every waiting run whose <see cref="Run.NotBefore"/> lies in
    /// (<paramref name="after"/>, <paramref name="upTo"/>]: the runs whose backoff ended in that time. O(log n + k).
    /// </summary>
    internal void AddWaitingRunsWithNotBeforeIn(long after, long upTo, ICollection<string> into)
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

    /// <summary>Files a waiting run in the waiting structures.</summary>
    private void FileWaiting(Run run)
    {
        if (run.Claims.IsBarrier)
        {
            _waitingBarriers = _waitingBarriers.Add(run.Id);
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
                _waitingWrites = _waitingWrites.Add(run.Id, ClaimSet.Create(writes));
            }

            if (shared.Count > 0)
            {
                _waitingShared = _waitingShared.Add(run.Id, ClaimSet.Create(shared));
            }
        }

        if (run.NotBefore is long at)
        {
            _backoffs = _backoffs.Add((at, run.Id));
        }
    }

    /// <summary>Removes a waiting run from the waiting structures.</summary>
    private void UnfileWaiting(Run run)
    {
        if (run.Claims.IsBarrier)
        {
            _waitingBarriers = _waitingBarriers.Remove(run.Id);
        }
        else
        {
            _waitingWrites = _waitingWrites.RemoveOwner(run.Id);
            _waitingShared = _waitingShared.RemoveOwner(run.Id);
        }

        if (run.NotBefore is long at)
        {
            _backoffs = _backoffs.Remove((at, run.Id));
        }
    }
}
