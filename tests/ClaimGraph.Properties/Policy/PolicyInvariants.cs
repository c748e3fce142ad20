using ClaimGraph.Claims;
using ClaimGraph.Graph;
using ClaimGraph.Oracles.Policy;
using ClaimGraph.Policy;

namespace ClaimGraph.Properties.Policy;

/// <summary>The invariants of docs/policy.md ("Invariants"), read off a graph (not off the reference policy).</summary>
internal static class PolicyInvariants
{
    /// <summary>Every violated invariant, one line each (empty when the graph is sound).</summary>
    public static List<string> Violations(WorkGraph g, PolicyOptions options, long now, IReadOnlyDictionary<string, HoldDecision> lastHold)
    {
        var problems = new List<string>();
        List<Run> active = [.. g.Runs.Values.Where(r => r.Status == RunStatus.Active)];
        for (int i = 0; i < active.Count; i++)
        {
            for (int j = i + 1; j < active.Count; j++)
            {
                if (ClaimSet.Conflicts(active[i].Claims, active[j].Claims).Conflict is { } c)
                {
                    problems.Add($"active runs '{active[i].Id}' and '{active[j].Id}' conflict: {DecisionView.Describe(c)}");
                }
            }

            foreach (string dep in g.DependenciesOf(active[i].WorkItemId))
            {
                if (!g.WorkItems.TryGetValue(dep, out WorkItem? d) || d.Status != WorkItemStatus.Done)
                {
                    problems.Add($"active run '{active[i].Id}' has dependency '{dep}' that is not done");
                }
            }
        }

        foreach (Run run in g.Runs.Values)
        {
            if (run.Status == RunStatus.Pending)
            {
                problems.Add($"run '{run.Id}' is still pending after the admission pass");
            }

            if (run.Status != RunStatus.Held)
            {
                continue;
            }

            if (!lastHold.TryGetValue(run.Id, out HoldDecision? hold) || hold.Reasons.IsDefaultOrEmpty)
            {
                problems.Add($"held run '{run.Id}' never got a Hold naming its blockers");
                continue;
            }

            // A Hold is not emitted again when claim blockers other than the one it named first come or go (docs/policy.md,
            // "When a Hold is emitted"): its non-claim reasons and its first claim blocker are true, the others were.
            bool firstClaim = true;
            foreach (HoldReason reason in hold.Reasons)
            {
                bool claim = reason.Code is ReasonCode.ClaimConflict or ReasonCode.QueuedBehind;
                if ((!claim || firstClaim) && !Holds(g, options, now, run, reason))
                {
                    problems.Add($"held run '{run.Id}' names a blocker that is not true: {reason.Message}");
                }

                firstClaim &= !claim;
            }
        }

        Run? oldest = g.AdmissionQueue.Where(r => r.Status == RunStatus.Held).Order(ReservationOrder.For(options.EffectiveBypassBudget)).FirstOrDefault();
        if (oldest is not null && Blockers(g, options, now, oldest).Count == 0)
        {
            problems.Add($"the oldest held run '{oldest.Id}' has no blocker but was not admitted");
        }

        return problems;
    }

    /// <summary>Whether <paramref name="reason"/> blocks <paramref name="run"/> in <paramref name="g"/> at <paramref name="now"/>.</summary>
    public static bool Holds(WorkGraph g, PolicyOptions options, long now, Run run, HoldReason reason)
    {
        WorkItem item = g.WorkItems[run.WorkItemId];
        switch (reason)
        {
            case DependencyUnknownHold unknown:
                return g.HasDependency(item.Id, unknown.WorkItemId) && !g.ContainsWorkItem(unknown.WorkItemId);
            case DependencyPendingHold pending:
                return g.HasDependency(item.Id, pending.WorkItemId)
                    && g.WorkItems.TryGetValue(pending.WorkItemId, out WorkItem? dep) && dep.Status != WorkItemStatus.Done;
            case BackoffPendingHold:
                return run.NotBefore > now;
            case ConcurrencyLimitHold { Label: null }:
                return options.MaxActiveRuns is int max && g.ActiveRunCount >= max;
            case ConcurrencyLimitHold { Label: { } label }:
                return item.Labels.Contains(label) && options.MaxActivePerLabel.TryGetValue(label, out int limit)
                    && g.ActiveRunCountWithLabel(label) >= limit;
            case ClaimConflictHold conflict:
                return g.Runs.TryGetValue(conflict.BlockingRunId, out Run? other) && other.Status == RunStatus.Active
                    && ClaimSet.Conflicts(run.Claims, other.Claims).IsConflict;
            case QueuedBehindHold queued:
                return g.Runs.TryGetValue(queued.BlockingRunId, out Run? ahead) && ahead.Status == RunStatus.Held && ahead.ReservesPlace
                    && ReservationOrder.For(options.EffectiveBypassBudget).Compare(ahead, run) < 0 && ClaimSet.Conflicts(run.Claims, ahead.Claims).IsConflict;
            default:
                return false;
        }
    }

    /// <summary>The codes of every current blocker of a waiting run (docs/policy.md, admission pass, step 3).</summary>
    public static List<ReasonCode> Blockers(WorkGraph g, PolicyOptions options, long now, Run run)
    {
        var codes = new List<ReasonCode>();
        WorkItem item = g.WorkItems[run.WorkItemId];
        foreach (string dep in g.DependenciesOf(item.Id))
        {
            if (!g.WorkItems.TryGetValue(dep, out WorkItem? d) || d.Status != WorkItemStatus.Done)
            {
                codes.Add(d is null ? ReasonCode.DependencyUnknown : ReasonCode.DependencyPending);
            }
        }

        if (run.NotBefore > now)
        {
            codes.Add(ReasonCode.BackoffPending);
        }

        if ((options.MaxActiveRuns is int max && g.ActiveRunCount >= max)
            || item.Labels.Any(l => options.MaxActivePerLabel.TryGetValue(l, out int limit) && g.ActiveRunCountWithLabel(l) >= limit))
        {
            codes.Add(ReasonCode.ConcurrencyLimit);
        }

        foreach (Run other in g.Runs.Values)
        {
            if (other.Id == run.Id || !ClaimSet.Conflicts(run.Claims, other.Claims).IsConflict)
            {
                continue;
            }

            if (other.Status == RunStatus.Active)
            {
                codes.Add(ReasonCode.ClaimConflict);
            }
            else if (other.Status == RunStatus.Held && other.ReservesPlace && ReservationOrder.For(options.EffectiveBypassBudget).Compare(other, run) < 0)
            {
                codes.Add(ReasonCode.QueuedBehind);
            }
        }

        return codes;
    }
}
