using System.Collections.Immutable;
using System.Globalization;
using ClaimGraph.Claims;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>What happens to runs beyond admission: leases expire, attempts fail and are retried, runs are cancelled and cancels cascade.</summary>
internal sealed partial class PolicyStep
{
    // ------------------------------------------------------------------ time effects

    public void ExpireLeases()
    {
        if (Options.LeaseDuration is null)
        {
            return;
        }

        ImmutableArray<string> ids = Graph.ActiveRunsWithLeaseBefore(Now);
        if (ids.IsEmpty)
        {
            return;
        }

        var expired = new List<Run>(ids.Length);
        foreach (string id in ids)
        {
            expired.Add(Graph.Runs[id]);
        }

        foreach (Run stale in expired)
        {
            Run run = GetRun(stale.Id);
            if (run.Status != RunStatus.Active || ReportsOwnFailure(run))
            {
                continue;
            }

            if (IsLastAttempt(run))
            {
                // One decision with both facts: the lease expired, and that used up the retry budget.
                Put(run with { Status = RunStatus.Cancelled, ReservesPlace = false });
                HandleFailure(GetRun(run.Id), ReasonCode.Orphaned, leaseExpired: true);
                continue;
            }

            Emit(run with { Status = RunStatus.Cancelled, ReservesPlace = false }, new CancelDecision(EventId, run.Id, ReasonCode.LeaseExpired, run.WorkItemId, null, []));
            HandleFailure(GetRun(run.Id), ReasonCode.Orphaned);
        }
    }

    /// <summary>
    /// Whether the event being processed is <paramref name="run"/>'s own failure report (with its current fencing
    /// token): the run then gets its retry or final decision from the report, not a lease-expiry cancel first.
    /// </summary>
    internal bool ReportsOwnFailure(Run run) =>
        Event is RunFailed f && string.Equals(f.RunId, run.Id, StringComparison.Ordinal) && f.FencingToken == run.FencingToken;

    /// <summary>Whether one more failure of <paramref name="run"/> uses up its work item's retry budget.</summary>
    internal bool IsLastAttempt(Run run) =>
        run.Failures + 1 >= Options.MaxAttempts
        && Graph.TryGetWorkItem(run.WorkItemId, out WorkItem? item) && item.Status == WorkItemStatus.Open;

    // ------------------------------------------------------------------ failures, retries, cascades

    /// <summary>A failed attempt (already terminal): retry within the budget, or give the work item up.</summary>
    internal void HandleFailure(Run run, ReasonCode retryReason, bool leaseExpired = false)
    {
        if (!Graph.TryGetWorkItem(run.WorkItemId, out WorkItem? item) || item.Status != WorkItemStatus.Open)
        {
            return;
        }

        int failures = run.Failures + 1;
        if (failures < Options.MaxAttempts)
        {
            CreateRetry(run, retryReason, failures, backoff: true, newWorkspace: false);
            return;
        }

        Emit(new CancelDecision(EventId, run.Id, ReasonCode.RetryBudgetExhausted, run.WorkItemId, null, []) { LeaseExpired = leaseExpired });
        AbandonWorkItem(item);
    }

    /// <summary>After a stale cancel: a restart when the work item is still open.</summary>
    internal void Restart(Run run, bool newWorkspace)
    {
        if (Graph.TryGetWorkItem(run.WorkItemId, out WorkItem? item) && item.Status == WorkItemStatus.Open)
        {
            CreateRetry(run, ReasonCode.Restarted, run.Failures, backoff: false, newWorkspace);
        }
    }

    internal void CreateRetry(Run old, ReasonCode reason, int failures, bool backoff, bool newWorkspace)
    {
        int attempt = old.Attempt + 1;
        string id = old.WorkItemId + "#" + attempt.ToString(CultureInfo.InvariantCulture);
        while (Graph.ContainsRun(id))
        {
            id += "'";
        }

        long notBefore = backoff ? Now + Options.BackoffDelay(old.WorkItemId, attempt) : Now;
        WorkspaceAssignment workspace = WorkspaceAssignment.Decide(id, old, scopeChanged: newWorkspace, claimsGrew: false);
        var run = new Run(id, old.WorkItemId, old.Claims)
        {
            Attempt = attempt,
            Failures = failures,
            Priority = old.Priority,
            RequestedAt = Now,
            Status = RunStatus.Pending,
            NotBefore = notBefore,
            WorkspaceKey = workspace.Key,
            PreviousRunId = old.Id,
            Assumptions = Refreshed(old.Assumptions),
        };
        AddRun(run);
        Emit(new RetryDecision(EventId, old.Id, reason, id, attempt, notBefore, workspace.Key, workspace.Reused, workspace.Reason));
    }

    /// <summary>The work item fails for good: it is abandoned and its dependents' runs are cancelled.</summary>
    internal void AbandonWorkItem(WorkItem item)
    {
        SetWorkItem(item with { Status = WorkItemStatus.Abandoned, Revision = item.Revision + 1 });
        CancelRunsOfDependents(item.Id, ReasonCode.DependencyFailed, onlyActive: false, restart: false);
    }

    /// <summary>Cancels the waiting (unless <paramref name="onlyActive"/>) and active runs of every transitive dependent.</summary>
    internal void CancelRunsOfDependents(string itemId, ReasonCode reason, bool onlyActive, bool restart)
    {
        foreach (string dependent in Graph.TransitiveDependents(itemId))
        {
            foreach (Run run in LiveRunsOf(dependent))
            {
                if (onlyActive && run.Status != RunStatus.Active)
                {
                    continue;
                }

                if (reason == ReasonCode.UpstreamChanged
                    && run.AdmittedUpstreamRevisions.TryGetValue(itemId, out long seen)
                    && Graph.WorkItems[itemId].Revision == seen)
                {
                    continue;
                }

                CancelRun(run, reason, itemId, null, []);
                if (restart)
                {
                    Restart(GetRun(run.Id), newWorkspace: false);
                }
            }
        }
    }

    /// <summary>The pending, held and active runs of a work item, in attempt order.</summary>
    internal List<Run> LiveRunsOf(string itemId)
    {
        var live = new List<Run>();
        foreach (Run run in Graph.RunsOf(itemId))
        {
            Run current = GetRun(run.Id);
            if (!current.Status.IsTerminal())
            {
                live.Add(current);
            }
        }

        return live;
    }

    internal void CancelRun(Run run, ReasonCode reason, string? causeItem, string? causeRun, ImmutableArray<string> paths)
    {
        Emit(
            GetRun(run.Id) with { Status = RunStatus.Cancelled, ReservesPlace = false },
            new CancelDecision(EventId, run.Id, reason, causeItem, causeRun, paths),
            witness: paths.IsDefaultOrEmpty ? null : paths[0]);
    }

    /// <summary>
    /// Active runs on the default base (other than <paramref name="exceptRunId"/>) covering a changed path: cancelled as
    /// stale and restarted. Runs on a named base are moved only by that base's events.
    /// </summary>
    internal void CancelStaleRuns(ImmutableArray<string> paths, string? causeRun, string? exceptRunId)
    {
        if (paths.IsDefaultOrEmpty)
        {
            return;
        }

        var hits = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            foreach (RunConflict c in Graph.ConflictsWith(ResourcePath.Probe(path), exceptRunId))
            {
                if (c.Run.Status == RunStatus.Active && c.Run.AssumedBase is null)
                {
                    if (!hits.TryGetValue(c.Run.Id, out List<string>? list))
                    {
                        hits[c.Run.Id] = list = [];
                    }

                    list.Add(path);
                }
            }
        }

        foreach (KeyValuePair<string, List<string>> hit in hits)
        {
            Run run = GetRun(hit.Key);
            CancelRun(run, ReasonCode.BaseStale, run.WorkItemId, causeRun, [.. hit.Value]);
            Restart(GetRun(run.Id), newWorkspace: false);
        }
    }

    internal static string? FirstInvalidPath(ImmutableArray<string> paths)
    {
        if (paths.IsDefault)
        {
            return null;
        }

        foreach (string p in paths)
        {
            if (p is null || !ResourcePath.IsValid(p))
            {
                return p ?? "(null)";
            }
        }

        return null;
    }

    /// <summary>A new attempt's assumptions: the old run's, each broken one replaced by the state that broke it.</summary>
    internal static ImmutableArray<Assumption> Refreshed(ImmutableArray<Assumption> assumptions)
    {
        ImmutableArray<Assumption> result = assumptions;
        for (int i = 0; i < assumptions.Length; i++)
        {
            Assumption a = assumptions[i];
            if (!a.Holds)
            {
                result = result.SetItem(i, new Assumption(a.Kind, a.Subject, a.ActualVersion!));
            }
        }

        return result;
    }
}
