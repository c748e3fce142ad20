using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>
/// Which waiting runs the admission pass must evaluate. A full pass (docs/policy.md) evaluates every waiting run in
/// pass order (<see cref="ReservationOrder"/>) against the graph as updated by the runs before it; a run whose inputs did not change since its
/// last evaluation would be held again with the same blockers, which changes nothing and emits nothing, so only the
/// runs an event can affect are evaluated:
/// <list type="bullet">
/// <item>new (pending) runs;</item>
/// <item>runs whose claims may conflict with a run that starts or stops being active, starts or stops reserving its
/// place, or changes its claims;</item>
/// <item>runs of a work item whose status, labels or dependencies changed, or of its transitive dependents; runs of
/// direct dependents of a work item whose active run started or ended (the blocking run of DependencyPending);</item>
/// <item>runs whose backoff ended since the graph was settled;</item>
/// <item>every run a concurrency limit applies to, when the limit becomes reached or no longer reached;</item>
/// <item>with backfill, runs an admission overtakes: evaluated again at once, right after the admission (both passes do
/// this, from the graph, whichever runs they evaluate).</item>
/// </list>
/// A change made while the pass evaluates run <c>p</c> affects runs after <c>p</c> in this pass and runs before
/// <c>p</c> (already evaluated or skipped against the older graph) in the next step: those are kept in the
/// <see cref="AdmissionState"/> the step leaves beside the graph it settles. A graph without a state from the same
/// options (built, loaded, or changed outside the policy) gets a full pass.
/// </summary>
internal sealed partial class PolicyStep
{
    private readonly SortedSet<Run> _recheck;
    private readonly SortedSet<string> _nextRecheck = new(StringComparer.Ordinal);
    private readonly List<string> _found = [];
    private readonly Dictionary<string, bool> _labelFull = new(StringComparer.Ordinal);
    private readonly bool _recheckAll;
    private WaitingIndex _waiting = WaitingIndex.Empty;
    private bool _globalFull;
    private Run? _position;

    /// <summary>The state to leave beside the graph this step settles.</summary>
    public AdmissionState Settle()
    {
        var next = ImmutableArray.CreateBuilder<string>(_nextRecheck.Count);
        foreach (string id in _nextRecheck)
        {
            if (Graph.TryGetRun(id, out Run? run) && run.Status.IsWaiting())
            {
                next.Add(id);
            }
        }

        return new AdmissionState(_options, next.ToImmutable(), _waiting);
    }

    /// <summary>
    /// Reads the state the previous step left beside the graph (or decides on a full pass, building the waiting index
    /// from the graph's runs when there is none) and the limits' state.
    /// </summary>
    private bool StartRechecks(WorkGraph graph)
    {
        _globalFull = _options.MaxActiveRuns is int max && graph.ActiveRunCount >= max;
        foreach (KeyValuePair<string, int> limit in _options.MaxActivePerLabel)
        {
            _labelFull[limit.Key] = graph.ActiveRunCountWithLabel(limit.Key) >= limit.Value;
        }

        AdmissionState? state = AdmissionState.Of(graph);
        _waiting = state?.Waiting ?? WaitingIndex.Create(graph.AdmissionQueue);
        if (state is null || !state.Options.Equals(_options))
        {
            return true;
        }

        foreach (string id in state.Recheck)
        {
            MarkId(id);
        }

        _found.Clear();
        _waiting.AddWithNotBeforeIn(graph.Now, Now, _found);
        foreach (string id in _found)
        {
            MarkId(id);
        }

        return false;
    }

    /// <summary>Puts a run in the graph and notes which waiting runs the change may affect.</summary>
    private void Put(Run run)
    {
        Run old = GetRun(run.Id);
        Graph = Ok(Graph.WithRun(run));
        _waiting = _waiting.Update(old, run);
        Track(old, run);
    }

    /// <summary>Adds a new run to the graph; it is evaluated in this step's pass.</summary>
    private void AddRun(Run run)
    {
        Graph = Ok(Graph.AddRun(run));
        _waiting = _waiting.Update(null, run);
        Mark(run);
    }

    /// <summary>Replaces a work item and notes the waiting runs of it and of its transitive dependents.</summary>
    private void SetWorkItem(WorkItem item)
    {
        Graph = Ok(Graph.WithWorkItem(item));
        WorkItemChanged(item.Id);
    }

    /// <summary>The status, labels or dependencies of a work item changed (or it was added).</summary>
    private void WorkItemChanged(string itemId)
    {
        MarkRunsOf(itemId);
        foreach (string dependent in Graph.TransitiveDependents(itemId))
        {
            MarkRunsOf(dependent);
        }

        CheckLimits();
    }

    private void Track(Run old, Run now)
    {
        if (old.Status == now.Status && old.ReservesPlace == now.ReservesPlace && ReferenceEquals(old.Claims, now.Claims))
        {
            return;
        }

        bool wasActive = old.Status == RunStatus.Active;
        bool isActive = now.Status == RunStatus.Active;
        bool sameClaims = old.Claims.Equals(now.Claims);
        if ((old.IsInOverlapIndex || now.IsInOverlapIndex)
            && (old.Status != now.Status || old.ReservesPlace != now.ReservesPlace || !sameClaims))
        {
            // A held run that starts or stops reserving its place matters only to the runs queued after it.
            Run? after = wasActive || isActive ? null : now;
            MarkOverlapping(now.Claims, now.Id, after);
            if (!sameClaims)
            {
                MarkOverlapping(old.Claims, now.Id, after);
            }
        }

        if (wasActive != isActive)
        {
            foreach (string dependent in Graph.DependentsOf(now.WorkItemId))
            {
                MarkRunsOf(dependent);
            }

            CheckLimits();
        }

        if (now.Status == RunStatus.Pending)
        {
            Mark(now);
        }
    }

    /// <summary>Notes every waiting run whose claims may conflict with <paramref name="claims"/> (after <paramref name="after"/>, if given).</summary>
    private void MarkOverlapping(ClaimSet claims, string changedRunId, Run? after)
    {
        _found.Clear();
        _waiting.AddOverlapping(claims, Graph.AdmissionQueue, _found);
        foreach (string id in _found)
        {
            if (string.Equals(id, changedRunId, StringComparison.Ordinal))
            {
                continue;
            }

            Run run = GetRun(id);
            if (after is null || _order.Compare(run, after) > 0)
            {
                Mark(run);
            }
        }
    }

    /// <summary>When a concurrency limit becomes reached or no longer reached, notes every waiting run it applies to.</summary>
    private void CheckLimits()
    {
        if (_options.MaxActiveRuns is int max && (Graph.ActiveRunCount >= max) != _globalFull)
        {
            _globalFull = !_globalFull;
            foreach (Run run in Graph.AdmissionQueue)
            {
                Mark(run);
            }
        }

        foreach (KeyValuePair<string, int> limit in _options.MaxActivePerLabel)
        {
            bool full = Graph.ActiveRunCountWithLabel(limit.Key) >= limit.Value;
            if (full == _labelFull[limit.Key])
            {
                continue;
            }

            _labelFull[limit.Key] = full;
            foreach (Run run in Graph.AdmissionQueue)
            {
                if (Graph.WorkItems[run.WorkItemId].Labels.Contains(limit.Key))
                {
                    Mark(run);
                }
            }
        }
    }

    private void MarkRunsOf(string itemId)
    {
        foreach (Run run in Graph.RunsOf(itemId))
        {
            if (run.Status.IsWaiting())
            {
                Mark(run);
            }
        }
    }

    private void MarkId(string id)
    {
        if (Graph.TryGetRun(id, out Run? run) && run.Status.IsWaiting())
        {
            Mark(run);
        }
    }

    /// <summary>
    /// Notes a waiting run for evaluation: in this pass when it comes after the run being evaluated (or the pass has not
    /// started), else in the next step's pass.
    /// </summary>
    private void Mark(Run run)
    {
        if (_position is null)
        {
            _recheck.Add(run);
            return;
        }

        int c = _order.Compare(run, _position);
        if (c > 0)
        {
            _recheck.Add(run);
        }
        else if (c < 0)
        {
            _nextRecheck.Add(run.Id);
        }
    }
}
