using System.Collections.Immutable;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>
/// What keeps a waiting run from starting, in the order of docs/policy.md (admission pass, step 3): dependencies,
/// backoff and concurrency limits, then claim conflicts with active runs and reserving held runs; and whether a run is
/// ready but for claims and limits. The <see cref="AdmissionPass"/> decides with these; they read the step's state and change nothing.
/// </summary>
internal sealed class WaitingRunBlockers(PolicyStep step) : StepPart(step)
{
    /// <summary>Every blocker of a waiting run, in the order of docs/policy.md (admission pass, step 3).</summary>
    public ImmutableArray<HoldReason> All(Run run) =>
        NonClaim(run, Graph.WorkItems[run.WorkItemId]).AddRange(Claim(run));

    /// <summary>Dependencies, backoff and concurrency limits, in that order.</summary>
    public ImmutableArray<HoldReason> NonClaim(Run run, WorkItem item)
    {
        var reasons = ImmutableArray.CreateBuilder<HoldReason>();
        foreach (string dep in Graph.DependenciesOf(item.Id))
        {
            if (!Graph.TryGetWorkItem(dep, out WorkItem? d))
            {
                reasons.Add(new DependencyUnknownHold(dep));
            }
            else if (d.Status != WorkItemStatus.Done)
            {
                reasons.Add(new DependencyPendingHold(dep, ActiveRunOf(dep)));
            }
        }

        if (run.NotBefore is long notBefore && notBefore > Now)
        {
            reasons.Add(new BackoffPendingHold(notBefore));
        }

        if (Options.MaxActiveRuns is int max && Graph.ActiveRunCount >= max)
        {
            reasons.Add(ConcurrencyLimitHold.Global);
        }

        foreach (string label in item.Labels)
        {
            if (Options.MaxActivePerLabel.TryGetValue(label, out int limit) && Graph.ActiveRunCountWithLabel(label) >= limit)
            {
                reasons.Add(new ConcurrencyLimitHold(label));
            }
        }

        return reasons.ToImmutable();
    }

    /// <summary>Claim conflicts with active runs, then with reserving held runs earlier in pass order; each by run id.</summary>
    public List<HoldReason> Claim(Run run)
    {
        ImmutableArray<RunConflict> conflicts = Graph.ConflictsWith(run.Claims, run.Id);
        var active = new List<RunConflict>();
        var queued = new List<RunConflict>();
        foreach (RunConflict c in conflicts)
        {
            if (c.Run.Status == RunStatus.Active)
            {
                active.Add(c);
            }
            else if (c.Run.Status == RunStatus.Held && c.Run.ReservesPlace && Step.Order.Compare(c.Run, run) < 0)
            {
                queued.Add(c);
            }
        }

        active.Sort(static (a, b) => string.CompareOrdinal(a.Run.Id, b.Run.Id));
        queued.Sort(static (a, b) => string.CompareOrdinal(a.Run.Id, b.Run.Id));
        var reasons = new List<HoldReason>(active.Count + queued.Count);
        foreach (RunConflict c in active)
        {
            reasons.Add(new ClaimConflictHold(c.Run.Id, c.Run.WorkItemId, c.Evidence));
        }

        foreach (RunConflict c in queued)
        {
            reasons.Add(new QueuedBehindHold(c.Run.Id, c.Run.WorkItemId, c.Evidence));
        }

        return reasons;
    }

    /// <summary>The ordinally first abandoned work item upstream of <paramref name="itemId"/>, or <see langword="null"/>.</summary>
    public string? FirstAbandonedUpstream(string itemId)
    {
        string? first = null;
        foreach (string dep in Graph.TransitiveDependencies(itemId))
        {
            if (Graph.TryGetWorkItem(dep, out WorkItem? d) && d.Status == WorkItemStatus.Abandoned
                && (first is null || string.CompareOrdinal(dep, first) < 0))
            {
                first = dep;
            }
        }

        return first;
    }

    /// <summary>
    /// Whether a waiting run would start but for claims and concurrency limits: its work item is open, nothing upstream
    /// was abandoned, every dependency is done and its backoff is over.
    /// </summary>
    public bool IsReady(Run run)
    {
        if (!Graph.TryGetWorkItem(run.WorkItemId, out WorkItem? item) || item.Status != WorkItemStatus.Open
            || (run.NotBefore is long notBefore && notBefore > Now))
        {
            return false;
        }

        foreach (string dep in Graph.DependenciesOf(item.Id))
        {
            if (!Graph.TryGetWorkItem(dep, out WorkItem? d) || d.Status != WorkItemStatus.Done)
            {
                return false;
            }
        }

        return FirstAbandonedUpstream(item.Id) is null;
    }

    private string? ActiveRunOf(string itemId)
    {
        foreach (Run run in Graph.RunsOf(itemId))
        {
            if (GetRun(run.Id).Status == RunStatus.Active)
            {
                return run.Id;
            }
        }

        return null;
    }
}
