using System.Collections.Immutable;
using System.Globalization;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>
/// The work of one event: a private, short-lived mutable context around an immutable graph. Handlers validate
/// first and mutate after; the caller discards everything when the event is rejected.
/// </summary>
internal sealed partial class PolicyStep
{
    private readonly PolicyEvent _event;
    private readonly PolicyOptions _options;
    private readonly long _sequence;
    private readonly List<Decision> _decisions = [];

    /// <summary>The bypass budget in force (0: strict reservation).</summary>
    private readonly int _budget;

    /// <summary>The order of the admission pass and of reservations (<see cref="ReservationOrder"/>).</summary>
    private readonly IComparer<Run> _order;

    public PolicyStep(WorkGraph graph, PolicyEvent e, PolicyOptions options)
    {
        Graph = graph;
        _event = e;
        _options = options;
        _sequence = graph.ProcessedEventIds.Count;
        Now = Math.Max(graph.Now, e.Time);
        _budget = options.EffectiveBypassBudget;
        _order = ReservationOrder.For(_budget);
        _recheck = new SortedSet<Run>(_order);
        _recheckAll = StartRechecks(graph);
    }

    public WorkGraph Graph { get; private set; }

    /// <summary>The step's time: max(graph.Now, event time).</summary>
    public long Time => Now;

    public IReadOnlyList<Decision> Decisions => _decisions;

    /// <summary>max(graph.Now, event time): time never goes backwards.</summary>
    private long Now { get; }

    private string EventId => _event.EventId;

    // ------------------------------------------------------------------ plumbing

    private static WorkGraph Ok(GraphResult result) => result.Value;

    private Run GetRun(string id) => Graph.Runs[id];

    private RejectDecision Reject(ReasonCode reason, string detail, string? runId = null) => new(EventId, runId, reason, detail);

    /// <summary>Records the decision and appends it to the history of the run it is about.</summary>
    private void Emit(Decision decision, ImmutableArray<string> related = default, string? witness = null) =>
        Emit(null, decision, related, witness);

    /// <summary>
    /// Records the decision and puts <paramref name="update"/> (a new version of the run the decision is about) with the
    /// decision appended to its history, in one graph update; with no update, appends to the run as it is. The history
    /// entry keeps <paramref name="historyMessage"/> when given (a Hold keeps its headline), else the decision's message.
    /// </summary>
    private void Emit(Run? update, Decision decision, ImmutableArray<string> related = default, string? witness = null, string? historyMessage = null)
    {
        _decisions.Add(decision);
        Run? run = update;
        if (run is not null || (decision.RunId is not null && Graph.TryGetRun(decision.RunId, out run)))
        {
            var entry = new RunHistoryEntry(EventId, Now, decision.Kind, decision.Reason, historyMessage ?? decision.Message)
            {
                RelatedRunIds = related.IsDefault ? [] : related,
                WitnessPath = witness,
                Sequence = _sequence,
            };
            Put(run.AppendHistory(entry));
        }
    }

    /// <summary>Appends a lifecycle note (not a decision) to a run's history: it succeeded, failed or was lost.</summary>
    private void Note(string runId, string message)
    {
        Run run = GetRun(runId);
        Put(run.AppendHistory(new RunHistoryEntry(EventId, Now, DecisionKind.None, ReasonCode.None, message) { Sequence = _sequence }));
    }

    // ------------------------------------------------------------------ time effects

    public void ExpireLeases()
    {
        if (_options.LeaseDuration is null)
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
    private bool ReportsOwnFailure(Run run) =>
        _event is RunFailed f && string.Equals(f.RunId, run.Id, StringComparison.Ordinal) && f.FencingToken == run.FencingToken;

    /// <summary>Whether one more failure of <paramref name="run"/> uses up its work item's retry budget.</summary>
    private bool IsLastAttempt(Run run) =>
        run.Failures + 1 >= _options.MaxAttempts
        && Graph.TryGetWorkItem(run.WorkItemId, out WorkItem? item) && item.Status == WorkItemStatus.Open;

    // ------------------------------------------------------------------ failures, retries, cascades

    /// <summary>A failed attempt (already terminal): retry within the budget, or give the work item up.</summary>
    private void HandleFailure(Run run, ReasonCode retryReason, bool leaseExpired = false)
    {
        if (!Graph.TryGetWorkItem(run.WorkItemId, out WorkItem? item) || item.Status != WorkItemStatus.Open)
        {
            return;
        }

        int failures = run.Failures + 1;
        if (failures < _options.MaxAttempts)
        {
            CreateRetry(run, retryReason, failures, backoff: true, newWorkspace: false);
            return;
        }

        Emit(new CancelDecision(EventId, run.Id, ReasonCode.RetryBudgetExhausted, run.WorkItemId, null, []) { LeaseExpired = leaseExpired });
        AbandonWorkItem(item);
    }

    /// <summary>After a stale cancel: a restart when the work item is still open.</summary>
    private void Restart(Run run, bool newWorkspace)
    {
        if (Graph.TryGetWorkItem(run.WorkItemId, out WorkItem? item) && item.Status == WorkItemStatus.Open)
        {
            CreateRetry(run, ReasonCode.Restarted, run.Failures, backoff: false, newWorkspace);
        }
    }

    private void CreateRetry(Run old, ReasonCode reason, int failures, bool backoff, bool newWorkspace)
    {
        int attempt = old.Attempt + 1;
        string id = old.WorkItemId + "#" + attempt.ToString(CultureInfo.InvariantCulture);
        while (Graph.ContainsRun(id))
        {
            id += "'";
        }

        long notBefore = backoff ? Now + _options.BackoffDelay(old.WorkItemId, attempt) : Now;
        bool reuse = !newWorkspace && old.WorkspaceKey is not null;
        string workspace = reuse ? old.WorkspaceKey! : "ws/" + id;
        string note = reuse
            ? $"reuses the workspace of run '{old.Id}': same scope, same claims"
            : newWorkspace ? "new workspace: the work item's scope changed" : "new workspace";
        var run = new Run(id, old.WorkItemId, old.Claims)
        {
            Attempt = attempt,
            Failures = failures,
            Priority = old.Priority,
            RequestedAt = Now,
            Status = RunStatus.Pending,
            NotBefore = notBefore,
            WorkspaceKey = workspace,
            PreviousRunId = old.Id,
            Assumptions = Refreshed(old.Assumptions),
        };
        AddRun(run);
        Emit(new RetryDecision(EventId, old.Id, reason, id, attempt, notBefore, workspace, reuse, note));
    }

    /// <summary>The work item fails for good: it is abandoned and its dependents' runs are cancelled.</summary>
    private void AbandonWorkItem(WorkItem item)
    {
        SetWorkItem(item with { Status = WorkItemStatus.Abandoned, Revision = item.Revision + 1 });
        CancelRunsOfDependents(item.Id, ReasonCode.DependencyFailed, onlyActive: false, restart: false);
    }

    /// <summary>Cancels the waiting (unless <paramref name="onlyActive"/>) and active runs of every transitive dependent.</summary>
    private void CancelRunsOfDependents(string itemId, ReasonCode reason, bool onlyActive, bool restart)
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
    private List<Run> LiveRunsOf(string itemId)
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

    private void CancelRun(Run run, ReasonCode reason, string? causeItem, string? causeRun, ImmutableArray<string> paths)
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
    private void CancelStaleRuns(ImmutableArray<string> paths, string? causeRun, string? exceptRunId)
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

    private static string? FirstInvalidPath(ImmutableArray<string> paths)
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
}
