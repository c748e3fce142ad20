using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>
/// Each event's handler: it validates first (a rejection changes nothing) and applies the event after. Work item and
/// dependency events here; run events in EventHandlers.Runs.cs, claim amendments, base changes and recovery in
/// EventHandlers.Changes.cs, assumption events in EventHandlers.Assumptions.cs.
/// </summary>
internal sealed partial class EventHandlers : StepPart
{
    public EventHandlers(PolicyStep step)
        : base(step)
    {
    }

    /// <summary>Validates and applies the event; returns a rejection (and the caller discards this step) or null.</summary>
    public RejectDecision? Apply() => Step.Event switch
    {
        WorkItemAdded e => OnWorkItemAdded(e),
        WorkItemChanged e => OnWorkItemChanged(e),
        WorkItemClosed e => OnWorkItemClosed(e),
        WorkItemReopened e => OnWorkItemReopened(e),
        DependencyAdded e => OnDependencyAdded(e),
        DependencyRemoved e => OnDependencyRemoved(e),
        RunRequested e => OnRunRequested(e),
        RunHeartbeat e => OnRunHeartbeat(e),
        RunSucceeded e => OnRunSucceeded(e),
        RunFailed e => OnRunFailed(e),
        RunCancelRequested e => OnRunCancelRequested(e),
        ClaimsAmended e => OnClaimsAmended(e),
        BaseAdvanced e => OnBaseAdvanced(e),
        Tick => null,
        Recovered e => OnRecovered(e),
        NamedBaseAdvanced e => OnNamedBaseAdvanced(e),
        ResourceChanged e => OnResourceChanged(e),
        _ => Reject(ReasonCode.InvalidEvent, $"unknown event type '{Step.Event.GetType().Name}'"),
    };

    private static bool Missing(string? id) => string.IsNullOrEmpty(id);

    private static ImmutableArray<string> OrEmpty(ImmutableArray<string> a) => a.IsDefault ? [] : a;

    private static bool HasNullOrEmpty(ImmutableArray<string> a)
    {
        foreach (string s in OrEmpty(a))
        {
            if (string.IsNullOrEmpty(s))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasNull(ImmutableArray<string> a)
    {
        foreach (string s in OrEmpty(a))
        {
            if (s is null)
            {
                return true;
            }
        }

        return false;
    }

    private RejectDecision? OnWorkItemAdded(WorkItemAdded e)
    {
        if (Missing(e.WorkItemId) || HasNullOrEmpty(e.DependsOn) || HasNull(e.Labels))
        {
            return Reject(ReasonCode.InvalidEvent, "a work item needs an id; dependencies and labels must not be null");
        }

        if (Graph.ContainsWorkItem(e.WorkItemId))
        {
            return Reject(ReasonCode.DuplicateId, $"work item '{e.WorkItemId}' already exists");
        }

        var item = new WorkItem(e.WorkItemId)
        {
            Revision = 1,
            Labels = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, OrEmpty(e.Labels)),
            Priority = e.Priority,
        };
        GraphResult result = Graph.AddWorkItem(item, OrEmpty(e.DependsOn));
        if (!result.TryGetValue(out WorkGraph? next))
        {
            return Reject(result.Error!.RejectReason(), result.Error!.Message);
        }

        Graph = next;
        Rechecks.WorkItemChanged(item.Id);
        return null;
    }

    private RejectDecision? OnWorkItemChanged(WorkItemChanged e)
    {
        if (Missing(e.WorkItemId) || (e.Labels is { } labels && HasNull(labels)))
        {
            return Reject(ReasonCode.InvalidEvent, "the event needs a work item id; labels must not be null");
        }

        if (!Graph.TryGetWorkItem(e.WorkItemId, out WorkItem? item))
        {
            return Reject(ReasonCode.UnknownWorkItem, $"work item '{e.WorkItemId}' does not exist");
        }

        WorkItem changed = item with
        {
            Revision = item.Revision + 1,
            Labels = e.Labels is { } l ? ImmutableSortedSet.CreateRange(StringComparer.Ordinal, OrEmpty(l)) : item.Labels,
            Priority = e.Priority ?? item.Priority,
        };
        Step.SetWorkItem(changed);
        foreach (Run run in Step.LiveRunsOf(item.Id))
        {
            if (run.Status == RunStatus.Active)
            {
                CancelRun(run, ReasonCode.WorkItemChanged, item.Id, null, []);
                Step.Restart(GetRun(run.Id), newWorkspace: true);
            }
        }

        Step.CancelRunsOfDependents(item.Id, ReasonCode.UpstreamChanged, onlyActive: true, restart: true);
        return null;
    }

    private RejectDecision? OnWorkItemClosed(WorkItemClosed e)
    {
        if (Missing(e.WorkItemId))
        {
            return Reject(ReasonCode.InvalidEvent, "the event needs a work item id");
        }

        if (!Graph.TryGetWorkItem(e.WorkItemId, out WorkItem? item))
        {
            return Reject(ReasonCode.UnknownWorkItem, $"work item '{e.WorkItemId}' does not exist");
        }

        if (item.Status != WorkItemStatus.Open)
        {
            return Reject(ReasonCode.InvalidTransition, $"work item '{item.Id}' is already {item.Status}");
        }

        Step.SetWorkItem(item with
        {
            Status = e.Abandoned ? WorkItemStatus.Abandoned : WorkItemStatus.Done,
            Revision = item.Revision + 1,
        });
        foreach (Run run in Step.LiveRunsOf(item.Id))
        {
            CancelRun(run, ReasonCode.WorkItemClosed, item.Id, null, []);
        }

        if (e.Abandoned)
        {
            Step.CancelRunsOfDependents(item.Id, ReasonCode.DependencyFailed, onlyActive: false, restart: false);
        }

        return null;
    }

    private RejectDecision? OnWorkItemReopened(WorkItemReopened e)
    {
        if (Missing(e.WorkItemId))
        {
            return Reject(ReasonCode.InvalidEvent, "the event needs a work item id");
        }

        if (!Graph.TryGetWorkItem(e.WorkItemId, out WorkItem? item))
        {
            return Reject(ReasonCode.UnknownWorkItem, $"work item '{e.WorkItemId}' does not exist");
        }

        if (item.Status == WorkItemStatus.Open)
        {
            return Reject(ReasonCode.InvalidTransition, $"work item '{item.Id}' is already open");
        }

        Step.SetWorkItem(item with { Status = WorkItemStatus.Open, Revision = item.Revision + 1 });
        Step.CancelRunsOfDependents(item.Id, ReasonCode.UpstreamChanged, onlyActive: true, restart: true);
        return null;
    }

    private RejectDecision? OnDependencyAdded(DependencyAdded e)
    {
        if (Missing(e.WorkItemId) || Missing(e.DependsOn))
        {
            return Reject(ReasonCode.InvalidEvent, "the event needs both work item ids");
        }

        if (!Graph.ContainsWorkItem(e.WorkItemId))
        {
            return Reject(ReasonCode.UnknownWorkItem, $"work item '{e.WorkItemId}' does not exist");
        }

        GraphResult result = Graph.AddDependency(e.WorkItemId, e.DependsOn);
        if (!result.TryGetValue(out WorkGraph? next))
        {
            return Reject(result.Error!.RejectReason(), result.Error!.Message);
        }

        Graph = next;
        Rechecks.WorkItemChanged(e.WorkItemId);
        bool done = Graph.TryGetWorkItem(e.DependsOn, out WorkItem? dependency) && dependency.Status == WorkItemStatus.Done;
        if (!done)
        {
            foreach (Run run in Step.LiveRunsOf(e.WorkItemId))
            {
                if (run.Status == RunStatus.Active)
                {
                    CancelRun(run, ReasonCode.UpstreamChanged, e.DependsOn, null, []);
                    Step.Restart(GetRun(run.Id), newWorkspace: false);
                }
            }
        }

        return null;
    }

    private RejectDecision? OnDependencyRemoved(DependencyRemoved e)
    {
        if (Missing(e.WorkItemId) || Missing(e.DependsOn))
        {
            return Reject(ReasonCode.InvalidEvent, "the event needs both work item ids");
        }

        if (!Graph.ContainsWorkItem(e.WorkItemId))
        {
            return Reject(ReasonCode.UnknownWorkItem, $"work item '{e.WorkItemId}' does not exist");
        }

        if (!Graph.HasDependency(e.WorkItemId, e.DependsOn))
        {
            return Reject(ReasonCode.InvalidTransition, $"work item '{e.WorkItemId}' does not depend on '{e.DependsOn}'");
        }

        Graph = PolicyStep.Ok(Graph.RemoveDependency(e.WorkItemId, e.DependsOn));
        Rechecks.WorkItemChanged(e.WorkItemId);
        return null;
    }
}
