using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

internal sealed partial class PolicyStep
{
    /// <summary>Validates and applies the event; returns a rejection (and the caller discards this step) or null.</summary>
    public RejectDecision? ApplyEvent() => _event switch
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
        _ => Reject(ReasonCode.InvalidEvent, $"unknown event type '{_event.GetType().Name}'"),
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
        WorkItemChanged(item.Id);
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
        SetWorkItem(changed);
        foreach (Run run in LiveRunsOf(item.Id))
        {
            if (run.Status == RunStatus.Active)
            {
                CancelRun(run, ReasonCode.WorkItemChanged, item.Id, null, []);
                Restart(GetRun(run.Id), newWorkspace: true);
            }
        }

        CancelRunsOfDependents(item.Id, ReasonCode.UpstreamChanged, onlyActive: true, restart: true);
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

        SetWorkItem(item with
        {
            Status = e.Abandoned ? WorkItemStatus.Abandoned : WorkItemStatus.Done,
            Revision = item.Revision + 1,
        });
        foreach (Run run in LiveRunsOf(item.Id))
        {
            CancelRun(run, ReasonCode.WorkItemClosed, item.Id, null, []);
        }

        if (e.Abandoned)
        {
            CancelRunsOfDependents(item.Id, ReasonCode.DependencyFailed, onlyActive: false, restart: false);
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

        SetWorkItem(item with { Status = WorkItemStatus.Open, Revision = item.Revision + 1 });
        CancelRunsOfDependents(item.Id, ReasonCode.UpstreamChanged, onlyActive: true, restart: true);
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
        WorkItemChanged(e.WorkItemId);
        bool done = Graph.TryGetWorkItem(e.DependsOn, out WorkItem? dependency) && dependency.Status == WorkItemStatus.Done;
        if (!done)
        {
            foreach (Run run in LiveRunsOf(e.WorkItemId))
            {
                if (run.Status == RunStatus.Active)
                {
                    CancelRun(run, ReasonCode.UpstreamChanged, e.DependsOn, null, []);
                    Restart(GetRun(run.Id), newWorkspace: false);
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

        Graph = Ok(Graph.RemoveDependency(e.WorkItemId, e.DependsOn));
        WorkItemChanged(e.WorkItemId);
        return null;
    }

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

        List<Run> live = LiveRunsOf(item.Id);
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

        (string workspace, string? previous) = WorkspaceForRequest(item, claims, e.RunId);
        var newRun = new Run(e.RunId, item.Id, claims)
        {
            Priority = e.Priority,
            RequestedAt = Now,
            Status = RunStatus.Pending,
            WorkspaceKey = workspace,
            PreviousRunId = previous,
            Assumptions = assumptions,
        };
        AddRun(newRun);
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
    private (string Workspace, string? Previous) WorkspaceForRequest(WorkItem item, ClaimSet claims, string runId)
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
            return ("ws/" + runId, latest?.Id);
        }

        bool scopeSame = LastAdmittedRevision(latest) == item.Revision;
        bool grew = false;
        foreach (ClaimEntry entry in claims.Entries)
        {
            grew |= !latest.Claims.Entries.Contains(entry);
        }

        grew |= claims.IsBarrier && !latest.Claims.IsBarrier;
        return scopeSame && !grew ? (latest.WorkspaceKey!, latest.Id) : ("ws/" + runId, latest.Id);
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

        if (_options.LeaseDuration is long lease)
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
        if (FirstInvalidPath(paths) is { } bad)
        {
            return Reject(ReasonCode.InvalidEvent, $"changed path '{bad}' is not a valid repository path", e.RunId);
        }

        if (e.NewBaseVersion < Graph.BaseVersion)
        {
            return Reject(ReasonCode.InvalidEvent, $"the new base {e.NewBaseVersion} is below the current base {Graph.BaseVersion}", e.RunId);
        }

        Put(run! with { Status = RunStatus.Succeeded, LeaseExpiresAt = null });
        Note(run.Id, $"Run '{run.Id}' succeeded with base {e.NewBaseVersion}.");
        if (e.NewBaseVersion > Graph.BaseVersion)
        {
            Graph = Ok(Graph.AdvanceBase(e.NewBaseVersion, paths, run.Id));
        }

        if (!e.WorkItemContinues && Graph.TryGetWorkItem(run.WorkItemId, out WorkItem? item) && item.Status == WorkItemStatus.Open)
        {
            SetWorkItem(item with { Status = WorkItemStatus.Done, Revision = item.Revision + 1 });
        }

        ImmutableArray<string> violations = Violations(run.Claims, paths);
        if (!violations.IsEmpty)
        {
            Emit(new ClaimViolationDecision(EventId, run.Id, violations), witness: violations[0]);
            CancelStaleRuns(violations, run.Id, run.Id);
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
        Note(run.Id, $"Run '{run.Id}' failed ({(e.Transient ? "transient" : "permanent")}){(e.Message is null ? string.Empty : ": " + e.Message)}.");
        if (e.Transient)
        {
            HandleFailure(GetRun(run.Id), ReasonCode.TransientFailure);
        }
        else if (Graph.TryGetWorkItem(run.WorkItemId, out WorkItem? item) && item.Status == WorkItemStatus.Open)
        {
            AbandonWorkItem(item);
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

    private RejectDecision? OnClaimsAmended(ClaimsAmended e)
    {
        RejectDecision? reject = ActiveRunCheck(e.RunId, e.FencingToken, out Run? run);
        if (reject is not null)
        {
            return reject;
        }

        ImmutableArray<string> lines = OrEmpty(e.AdditionalClaims);
        if (HasNull(lines) || lines.IsEmpty)
        {
            return Reject(ReasonCode.InvalidEvent, "an amendment needs at least one claim line", e.RunId);
        }

        bool hasExclusion = false;
        var entryLines = ImmutableArray.CreateBuilder<string>();
        foreach (string line in lines)
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith('!'))
            {
                if (!Glob.TryParse(trimmed[1..], GlobOptions.None, out _, out GlobError? globError))
                {
                    return Reject(ReasonCode.InvalidPattern, globError.ToString(), e.RunId);
                }

                hasExclusion = true;
            }
            else
            {
                entryLines.Add(line);
            }
        }

        if (entryLines.Count > 0 && !TryParseClaims(entryLines.ToImmutable(), false, out _, out string? lineError))
        {
            return Reject(ReasonCode.InvalidPattern, lineError, e.RunId);
        }

        if (hasExclusion)
        {
            return Reject(ReasonCode.InvalidEvent, "an amendment adds claim entries; it cannot add exclusions", e.RunId);
        }

        bool ignoreCase = false;
        foreach (ClaimEntry entry in run!.Claims.Entries)
        {
            ignoreCase |= entry.Pattern.IgnoreCase;
        }

        if (!TryParseClaims(lines, ignoreCase, out ClaimSet? extra, out string? error))
        {
            return Reject(ReasonCode.InvalidPattern, error, e.RunId);
        }

        if (!extra.Exclusions.IsEmpty || extra.IsBarrier)
        {
            return Reject(ReasonCode.InvalidEvent, "an amendment adds claim entries; it cannot add exclusions", e.RunId);
        }

        if (run.Claims.IsBarrier)
        {
            // A barrier already claims everything: the amendment adds nothing.
            Emit(Admitted(run, ReasonCode.AmendmentGranted));
            return null;
        }

        ClaimSet wider = ClaimSet.Create([.. run.Claims.Entries, .. extra.Entries], run.Claims.Exclusions);
        foreach (RunConflict c in Graph.ConflictsWith(wider, run.Id))
        {
            Emit(new AmendmentDeniedDecision(EventId, run.Id, c.Run.Id, c.Evidence), [c.Run.Id], c.Evidence.Witness);
            return null;
        }

        Put(run with { Claims = wider });
        Emit(Admitted(GetRun(run.Id), ReasonCode.AmendmentGranted));
        return null;
    }

    private RejectDecision? OnBaseAdvanced(BaseAdvanced e)
    {
        ImmutableArray<string> paths = OrEmpty(e.ChangedPaths);
        if (FirstInvalidPath(paths) is { } bad)
        {
            return Reject(ReasonCode.InvalidEvent, $"changed path '{bad}' is not a valid repository path");
        }

        if (e.NewBaseVersion < Graph.BaseVersion)
        {
            return Reject(ReasonCode.InvalidEvent, $"the new base {e.NewBaseVersion} is below the current base {Graph.BaseVersion}");
        }

        if (e.NewBaseVersion > Graph.BaseVersion)
        {
            Graph = Ok(Graph.AdvanceBase(e.NewBaseVersion, paths));
        }

        CancelStaleRuns(paths, null, null);
        PruneChanges();
        return null;
    }

    private RejectDecision? OnRecovered(Recovered e)
    {
        ImmutableArray<string> alive = OrEmpty(e.AliveRunIds);
        foreach (string id in alive)
        {
            if (Missing(id))
            {
                return Reject(ReasonCode.InvalidEvent, "a run id in the alive list is empty");
            }

            if (!Graph.ContainsRun(id))
            {
                return Reject(ReasonCode.UnknownRun, $"run '{id}' does not exist", id);
            }
        }

        var aliveSet = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, alive);
        var active = new List<Run>();
        foreach (string id in Graph.IndexedRunIds)
        {
            Run run = Graph.Runs[id];
            if (run.Status == RunStatus.Active)
            {
                active.Add(run);
            }
        }

        foreach (Run stale in active)
        {
            Run run = GetRun(stale.Id);
            if (run.Status != RunStatus.Active)
            {
                continue;
            }

            if (aliveSet.Contains(run.Id))
            {
                if (_options.LeaseDuration is long lease)
                {
                    Put(run with { LeaseExpiresAt = Now + lease });
                }

                continue;
            }

            Put(run with { Status = RunStatus.Cancelled, LeaseExpiresAt = null });
            Note(run.Id, $"Run '{run.Id}' was not alive after the restart.");
            HandleFailure(GetRun(run.Id), ReasonCode.Orphaned);
        }

        return null;
    }

    /// <summary>
    /// The changed paths (each in its namespace, <c>artifact:build/app.dll</c>) that no write or append claim covers,
    /// distinct and in ordinal order.
    /// </summary>
    private static ImmutableArray<string> Violations(ClaimSet claims, ImmutableArray<string> paths)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string p in paths)
        {
            if (!ResourcePath.IsCoveredBy(claims, p, writingOnly: true))
            {
                result.Add(p);
            }
        }

        return [.. result];
    }

    /// <summary>Keeps the merged-change log from the oldest active run's base on.</summary>
    private void PruneChanges()
    {
        long keepFrom = Graph.OldestActiveBase ?? Graph.BaseVersion;
        Graph = Graph.PruneMergedChangesBelow(keepFrom);
    }
}
