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
internal sealed class Rechecks : StepPart
{
    private readonly SortedSet<string> _nextRecheck = new(StringComparer.Ordinal);
    private readonly List<string> _found = [];
    private readonly Dictionary<string, bool> _labelFull = new(StringComparer.Ordinal);
    private bool _globalFull;

    public Rechecks(PolicyStep step, WorkGraph graph)
        : base(step)
    {
        Queue = new SortedSet<Run>(step.Order);
        All = Start(graph);
    }

    /// <summary>The runs to evaluate in this pass, in pass order.</summary>
    public SortedSet<Run> Queue { get; }

    /// <summary>Whether the pass evaluates every waiting run (no state from an earlier step with the same options).</summary>
    public bool All { get; }

    /// <summary>The waiting runs by claims and backoff end.</summary>
    public WaitingIndex Waiting { get; private set; } = WaitingIndex.Empty;

    /// <summary>The run the pass is evaluating, or <see langword="null"/> before and after the pass.</summary>
    public Run? Position { get; set; }

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

        return new AdmissionState(Options, next.ToImmutable(), Waiting);
    }

    /// <summary>
    /// Reads the state the previous step left beside the graph (or decides on a full pass, building the waiting index
    /// from the graph's runs when there is none) and the limits' state.
    /// </summary>
    private bool Start(WorkGraph graph)
    {
        _globalFull = Options.MaxActiveRuns is int max && graph.ActiveRunCount >= max;
        foreach (KeyValuePair<string, int> limit in Options.MaxActivePerLabel)
        {
            _labelFull[limit.Key] = graph.ActiveRunCountWithLabel(limit.Key) >= limit.Value;
        }

        AdmissionState? state = AdmissionState.Of(graph);
        Waiting = state?.Waiting ?? WaitingIndex.Create(graph.AdmissionQueue);
        if (state is null || !state.Options.Equals(Options))
        {
            return true;
        }

        foreach (string id in state.Recheck)
        {
            MarkId(id);
        }

        _found.Clear();
        Waiting.AddWithNotBeforeIn(graph.Now, Now, _found);
        foreach (string id in _found)
        {
            MarkId(id);
        }

        return false;
    }

    /// <summary>A run changed: keeps the waiting index and notes the runs the change may affect.</summary>
    public void RunChanged(Run old, Run run)
    {
        Waiting = Waiting.Update(old, run);
        Track(old, run);
    }

    /// <summary>A new run: indexed and evaluated in this step's pass.</summary>
    public void RunAdded(Run run)
    {
        Waiting = Waiting.Update(null, run);
        Mark(run);
    }

    /// <summary>The status, labels or dependencies of a work item changed (or it was added).</summary>
    public void WorkItemChanged(string itemId)
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
        Waiting.AddOverlapping(claims, Graph.AdmissionQueue, _found);
        foreach (string id in _found)
        {
            if (string.Equals(id, changedRunId, StringComparison.Ordinal))
            {
                continue;
            }

            Run run = GetRun(id);
            if (after is null || Step.Order.Compare(run, after) > 0)
            {
                Mark(run);
            }
        }
    }

    /// <summary>When a concurrency limit becomes reached or no longer reached, notes every waiting run it applies to.</summary>
    private void CheckLimits()
    {
        if (Options.MaxActiveRuns is int max && (Graph.ActiveRunCount >= max) != _globalFull)
        {
            _globalFull = !_globalFull;
            foreach (Run run in Graph.AdmissionQueue)
            {
                Mark(run);
            }
        }

        foreach (KeyValuePair<string, int> limit in Options.MaxActivePerLabel)
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

    public void MarkId(string id)
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
    public void Mark(Run run)
    {
        if (Position is null)
        {
            Queue.Add(run);
            return;
        }

        int c = Step.Order.Compare(run, Position);
        if (c > 0)
        {
            Queue.Add(run);
        }
        else if (c < 0)
        {
            _nextRecheck.Add(run.Id);
        }
    }
}
