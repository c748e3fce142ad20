using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

internal sealed partial class EventHandlers
{
    private RejectDecision? OnRunRequested(RunRequested e)
    {
        if (Missing(e.RunId) || Missing(e.WorkItemId) || HasNull(e.Claims))
        {
            return Reject(ReasonCode.InvalidEvent, "a run request needs a run id, a work item id and non-null claim lines", e.RunId);
        }

        if (!AssumptionIntake.TryRead(e, out ImmutableArray<Assumption> assumptions, out string? assumptionProblem))
        {
            return Reject(ReasonCode.InvalidEvent, assumptionProblem, e.RunId);
        }

        if (Graph.ContainsRun(e.RunId))
        {
            return Reject(ReasonCode.DuplicateId, $"run '{e.RunId}' already exists", e.RunId);
        }

        if (!Graph.TryGetWorkItem(e.WorkItemId, out WorkItem? item))
        {
            return Reject(ReasonCode.UnknownWorkItem, $"work item '{e.WorkItemId}' does not exist", e.RunId);
        }

        if (!TryParseClaims(OrEmpty(e.Claims), e.IgnoreCase, out ClaimSet? claims, out string? error))
        {
            return Reject(ReasonCode.InvalidPattern, error, e.RunId);
        }

        if (item.Status != WorkItemStatus.Open)
        {
            return Reject(ReasonCode.InvalidTransition, $"work item '{item.Id}' is {item.Status}", e.RunId);
        }

        List<Run> live = Step.LiveRunsOf(item.Id);
        foreach (Run run in live)
        {
            if (run.Status == RunStatus.Active)
            {
                return Reject(ReasonCode.InvalidTransition, $"work item '{item.Id}' already has active run '{run.Id}'", e.RunId);
            }
        }

        foreach (Run run in live)
        {
            CancelRun(run, ReasonCode.Superseded, item.Id, e.RunId, []);
        }

        (WorkspaceAssignment workspace, string? previous) = WorkspaceForRequest(item, claims, e.RunId);
        var newRun = new Run(e.RunId, item.Id, claims)
        {
            Priority = e.Priority,
            RequestedAt = Now,
            Status = RunStatus.Pending,
            WorkspaceKey = workspace.Key,
            PreviousRunId = previous,
            Assumptions = assumptions,
        };
        Step.AddRun(newRun);
        if (!assumptions.IsEmpty)
        {
            CheckAssumptionsAtRequest(newRun.Id);
        }

        return null;
    }

    /// <summary>
    /// A requested run reuses the workspace of the item's latest run that did not succeed, unless the item's revision
    /// changed since that run was admitted or the claim set grew.
    /// </summary>
    private (WorkspaceAssignment Workspace, string? Previous) WorkspaceForRequest(WorkItem item, ClaimSet claims, string runId)
    {
        Run? latest = null;
        foreach (Run run in Graph.RunsOf(item.Id))
        {
            Run current = GetRun(run.Id);
            if (current.Status.IsTerminal() && current.WorkspaceKey is not null && current.AdmittedBase is not null
                && (latest is null || LatestAdmission(current) > LatestAdmission(latest)))
            {
                latest = current;
            }
        }

        if (latest is null || latest.Status == RunStatus.Succeeded)
        {
            return (WorkspaceAssignment.Decide(runId, null, scopeChanged: false, claimsGrew: false), latest?.Id);
        }

        bool scopeSame = LastAdmittedRevision(latest) == item.Revision;
        bool grew = false;
        foreach (ClaimEntry entry in claims.Entries)
        {
            grew |= !latest.Claims.Entries.Contains(entry);
        }

        grew |= claims.IsBarrier && !latest.Claims.IsBarrier;
        return (WorkspaceAssignment.Decide(runId, latest, scopeChanged: !scopeSame, claimsGrew: grew), latest.Id);
    }

    private static long LatestAdmission(Run run)
    {
        long seq = -1;
        foreach (RunHistoryEntry h in run.History)
        {
            if (h.Kind == DecisionKind.Admit)
            {
                seq = h.Sequence;
            }
        }

        return seq;
    }

    /// <summary>The run's own work item revision when it was admitted (recorded with the upstream revisions).</summary>
    private static long LastAdmittedRevision(Run run) =>
        run.AdmittedUpstreamRevisions.TryGetValue(run.WorkItemId, out long rev) ? rev : -1;

    private static bool TryParseClaims(ImmutableArray<string> lines, bool ignoreCase, [NotNullWhen(true)] out ClaimSet? claims, [NotNullWhen(false)] out string? error)
    {
        if (lines.IsEmpty)
        {
            claims = ClaimSet.Barrier;
            error = null;
            return true;
        }

        string text = string.Join("\n", lines);
        if (ClaimSet.TryParse(text, ignoreCase ? GlobOptions.IgnoreCase : GlobOptions.None, out claims, out ClaimSetError? failure))
        {
            error = null;
            return true;
        }

        error = failure.ToString();
        return false;
    }

    private RejectDecision? ActiveRunCheck(string runId, long token, out Run? run)
    {
        run = null;
        if (Missing(runId))
        {
            return Reject(ReasonCode.InvalidEvent, "the event needs a run id");
        }

        if (!Graph.TryGetRun(runId, out run))
        {
            return Reject(ReasonCode.UnknownRun, $"run '{runId}' does not exist", runId);
        }

        if (run.Status != RunStatus.Active)
        {
            return Reject(ReasonCode.InvalidTransition, $"run '{runId}' is {run.Status}, not active", runId);
        }

        if (token != run.FencingToken)
        {
            return Reject(ReasonCode.StaleFencingToken, $"run '{runId}' holds fencing token {run.FencingToken}, the event carries {token}", runId);
        }

        return null;
    }

    private RejectDecision? OnRunHeartbeat(RunHeartbeat e)
    {
        RejectDecision? reject = ActiveRunCheck(e.RunId, e.FencingToken, out Run? run);
        if (reject is not null)
        {
            return reject;
        }

        if (Options.LeaseDuration is long lease)
        {
            Put(run! with { LeaseExpiresAt = Now + lease });
        }

        return null;
    }

    private RejectDecision? OnRunSucceeded(RunSucceeded e)
    {
        RejectDecision? reject = ActiveRunCheck(e.RunId, e.FencingToken, out Run? run);
        if (reject is not null)
        {
            return reject;
        }

        ImmutableArray<string> paths = OrEmpty(e.ChangedPaths);
        if (PolicyStep.FirstInvalidPath(paths) is { } bad)
        {
            return Reject(ReasonCode.InvalidEvent, $"changed path '{bad}' is not a valid repository path", e.RunId);
        }

        if (e.NewBaseVersion < Graph.BaseVersion)
        {
            return Reject(ReasonCode.InvalidEvent, $"the new base {e.NewBaseVersion} is below the current base {Graph.BaseVersion}", e.RunId);
        }

        Put(run! with { Status = RunStatus.Succeeded, LeaseExpiresAt = null });
        Step.Note(run.Id, $"Run '{run.Id}' succeeded with base {e.NewBaseVersion}.");
        if (e.NewBaseVersion > Graph.BaseVersion)
        {
            Graph = PolicyStep.Ok(Graph.AdvanceBase(e.NewBaseVersion, paths, run.Id));
        }

        if (!e.WorkItemContinues && Graph.TryGetWorkItem(run.WorkItemId, out WorkItem? item) && item.Status == WorkItemStatus.Open)
        {
            Step.SetWorkItem(item with { Status = WorkItemStatus.Done, Revision = item.Revision + 1 });
        }

        ImmutableArray<string> violations = Violations(run.Claims, paths);
        if (!violations.IsEmpty)
        {
            Emit(new ClaimViolationDecision(EventId, run.Id, violations), witness: violations[0]);
            Step.CancelStaleRuns(violations, run.Id, run.Id);
        }

        PruneChanges();
        return null;
    }

    private RejectDecision? OnRunFailed(RunFailed e)
    {
        RejectDecision? reject = ActiveRunCheck(e.RunId, e.FencingToken, out Run? run);
        if (reject is not null)
        {
            return reject;
        }

        Put(run! with { Status = RunStatus.Failed, LeaseExpiresAt = null });
        Step.Note(run.Id, $"Run '{run.Id}' failed ({(e.Transient ? "transient" : "permanent")}){(e.Message is null ? string.Empty : ": " + e.Message)}.");
        if (e.Transient)
        {
            Step.HandleFailure(GetRun(run.Id), ReasonCode.TransientFailure);
        }
        else if (Graph.TryGetWorkItem(run.WorkItemId, out WorkItem? item) && item.Status == WorkItemStatus.Open)
        {
            Step.AbandonWorkItem(item);
        }

        return null;
    }

    private RejectDecision? OnRunCancelRequested(RunCancelRequested e)
    {
        if (Missing(e.RunId))
        {
            return Reject(ReasonCode.InvalidEvent, "the event needs a run id");
        }

        if (!Graph.TryGetRun(e.RunId, out Run? run))
        {
            return Reject(ReasonCode.UnknownRun, $"run '{e.RunId}' does not exist", e.RunId);
        }

        if (run.Status.IsTerminal())
        {
            return Reject(ReasonCode.InvalidTransition, $"run '{e.RunId}' already ended ({run.Status})", e.RunId);
        }

        CancelRun(run, ReasonCode.CancelledByRequest, run.WorkItemId, null, []);
        return null;
    }
}
