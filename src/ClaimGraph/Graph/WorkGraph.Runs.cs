using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Index;

namespace ClaimGraph.Graph;

public sealed partial class WorkGraph
{
    /// <summary>The runs by id (ordinal order). O(1).</summary>
    public ImmutableSortedDictionary<string, Run> Runs => _runs.Runs;

    /// <summary>The number of runs. O(1).</summary>
    public int RunCount => _runs.Runs.Count;

    /// <summary>The number of <see cref="RunStatus.Active"/> runs. O(1).</summary>
    public int ActiveRunCount => _runs.ActiveCount;

    /// <summary>
    /// The number of active runs per label (a run's labels are its work item's labels), for labels with at least one;
    /// ordinal order. O(1).
    /// </summary>
    public ImmutableSortedDictionary<string, int> ActiveRunCountsByLabel => _runs.ActiveByLabel;

    /// <summary>
    /// The <see cref="RunStatus.Pending"/> and <see cref="RunStatus.Held"/> runs in admission order
    /// (<see cref="RunOrder.Admission"/>: priority descending, request time ascending, id ascending). O(1).
    /// </summary>
    public ImmutableSortedSet<Run> AdmissionQueue => _runs.Queue;

    /// <summary>The ids of the runs in the overlap index (active, or held and reserving their place); ordinal order. O(1).</summary>
    public ImmutableSortedSet<string> IndexedRunIds => _claims.Ids;

    /// <summary>
    /// The overlap index of the claims of the runs in <see cref="IndexedRunIds"/>, owned by run id (ordinal), for
    /// pattern queries such as "which indexed runs cover this changed path". O(1).
    /// </summary>
    public OverlapIndex<string> OverlapIndex => _claims.Index;

    /// <summary>
    /// The active runs whose lease expires strictly before <paramref name="time"/>, ordered by run id.
    /// O(log n + k) for k such runs (a lease index is kept beside the runs).
    /// </summary>
    public ImmutableArray<string> ActiveRunsWithLeaseBefore(long time) => _runs.LeasesBefore(time);

    /// <summary>
    /// The smallest <see cref="Run.AdmittedBase"/> among active runs, or <see langword="null"/> when no active run has
    /// one. Merged changes at or below it no longer matter to any active run. O(log n).
    /// </summary>
    public long? OldestActiveBase => _runs.OldestActiveBase;

    /// <summary>The ids of the events already applied, for idempotency (ordinal order). O(1).</summary>
    public ImmutableSortedSet<string> ProcessedEventIds => _events.Ids;

    /// <summary>
    /// The next fencing token <see cref="IssueFencingToken(out long)"/> will hand out. Starts at 1, only grows, and is
    /// always greater than every stored run's <see cref="Run.FencingToken"/>.
    /// </summary>
    public long NextFencingToken => _runs.NextFencingToken;

    /// <summary>The current base version (a number the orchestrator maps to commits); 0 initially.</summary>
    public long BaseVersion => _log.Version;

    /// <summary>The latest time (milliseconds on the orchestrator's clock) the policy has seen; never decreases under the policy. Default 0.</summary>
    public long Now => _now;

    /// <summary>This graph with <see cref="Now"/> set to <paramref name="time"/> (the policy only ever raises it). O(1).</summary>
    public WorkGraph WithNow(long time) =>
        time == _now ? this : new WorkGraph(_dag, _runs, _claims, _log, _events, _versions, time);

    /// <summary>The merged changes kept (see <see cref="PruneMergedChangesBelow(long)"/>), by ascending version.</summary>
    public ImmutableList<MergedChange> MergedChanges => _log.Changes;

    /// <summary>Whether a run with <paramref name="id"/> exists. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public bool ContainsRun(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _runs.Runs.ContainsKey(id);
    }

    /// <summary>Gets the run with <paramref name="id"/>. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public bool TryGetRun(string id, [NotNullWhen(true)] out Run? run)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _runs.Runs.TryGetValue(id, out run);
    }

    /// <summary>The runs of work item <paramref name="workItemId"/> in <see cref="RunOrder.Attempt"/> order; empty when none. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="workItemId"/> is null.</exception>
    public ImmutableSortedSet<Run> RunsOf(string workItemId)
    {
        ArgumentNullException.ThrowIfNull(workItemId);
        return _runs.RunsOf(workItemId);
    }

    /// <summary>The number of active runs whose work item has <paramref name="label"/>. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="label"/> is null.</exception>
    public int ActiveRunCountWithLabel(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return _runs.ActiveCountWithLabel(label);
    }

    /// <summary>Whether the event <paramref name="eventId"/> was already applied. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="eventId"/> is null.</exception>
    public bool IsEventProcessed(string eventId)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        return _events.Contains(eventId);
    }

    /// <summary>
    /// Every run in the overlap index whose claims conflict with <paramref name="claims"/>, with evidence, ordered by
    /// run id; <paramref name="exceptRunId"/> (e.g. the run asking to amend its claims) is skipped. Never misses a
    /// conflict; the answer and evidence are those of <see cref="OverlapIndex{TOwner}.Conflicts(ClaimSet)"/>, which
    /// checks only the indexed entries its trie cannot rule out.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="claims"/> is null.</exception>
    public ImmutableArray<RunConflict> ConflictsWith(ClaimSet claims, string? exceptRunId = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ImmutableArray<IndexConflict<string>> found = _claims.Conflicts(claims);
        var result = ImmutableArray.CreateBuilder<RunConflict>(found.Length);
        foreach (IndexConflict<string> conflict in found)
        {
            if (!string.Equals(conflict.Owner, exceptRunId, StringComparison.Ordinal))
            {
                result.Add(new RunConflict(_runs.Runs[conflict.Owner], conflict.Conflict, conflict.IsConservative));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// Adds a run. Refused with <see cref="GraphErrorCode.DuplicateId"/> when the id is taken and with
    /// <see cref="GraphErrorCode.UnknownWorkItem"/> when its work item is not in the graph. The run may have any status;
    /// the graph files it in the admission queue, the overlap index and the active counts as its status says.
    /// O(log n).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is null.</exception>
    public GraphResult AddRun(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (_runs.Runs.ContainsKey(run.Id))
        {
            return GraphError.DuplicateRun(run.Id);
        }

        if (!_dag.TryGet(run.WorkItemId, out WorkItem? item))
        {
            return GraphError.UnknownWorkItem(run.WorkItemId);
        }

        RunTable runs = _runs.Add(run, item.Labels);
        return With(
            dag: run.Status == RunStatus.Active ? _dag.WithReadinessOf(run.WorkItemId, runs) : null,
            runs: runs,
            claims: _claims.Update(null, run));
    }

    /// <summary>
    /// Replaces the run with the same id, keeping every derived structure consistent: a run is in the overlap index
    /// exactly when <see cref="Run.IsInOverlapIndex"/>, in the admission queue exactly when pending or held, and counted
    /// as active exactly when active. Refused with <see cref="GraphErrorCode.UnknownRun"/> when there is no such run,
    /// and with <see cref="GraphErrorCode.InvalidTransition"/> when the new run names another work item or leaves a
    /// terminal status. Returns this graph when the run is equal to the stored one. O(log n).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is null.</exception>
    public GraphResult WithRun(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!_runs.Runs.TryGetValue(run.Id, out Run? old))
        {
            return GraphError.UnknownRun(run.Id);
        }

        if (!string.Equals(old.WorkItemId, run.WorkItemId, StringComparison.Ordinal))
        {
            return GraphError.Transition(
                run.Id,
                $"Run '{run.Id}' belongs to work item '{old.WorkItemId}', not '{run.WorkItemId}'.",
                "Start a new run for the other work item.");
        }

        if (old.Status.IsTerminal() && run.Status != old.Status)
        {
            return GraphError.Transition(
                run.Id,
                $"Run '{run.Id}' is {old.Status}, which is final; it cannot become {run.Status}.",
                "Start a new attempt as a new run.");
        }

        if (old.Equals(run))
        {
            return this;
        }

        RunTable runs = _runs.Replace(old, run, _dag.Items[run.WorkItemId].Labels);
        bool activeChanged = (old.Status == RunStatus.Active) != (run.Status == RunStatus.Active);
        return With(
            dag: activeChanged ? _dag.WithReadinessOf(run.WorkItemId, runs) : null,
            runs: runs,
            claims: _claims.Update(old, run));
    }

    /// <summary>Records that the event <paramref name="eventId"/> was applied. Returns this graph when it already was. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="eventId"/> is null.</exception>
    public WorkGraph MarkEventProcessed(string eventId)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        EventLedger events = _events.Mark(eventId);
        return ReferenceEquals(events, _events) ? this : With(events: events);
    }

    /// <summary>
    /// Hands out the next fencing token (<see cref="NextFencingToken"/>) and returns the graph that has used it up.
    /// Tokens only grow. O(1).
    /// </summary>
    public WorkGraph IssueFencingToken(out long token) => With(runs: _runs.IssueFencingToken(out token));

    /// <summary>
    /// Advances the base to <paramref name="version"/> and logs the change that produced it. Refused with
    /// <see cref="GraphErrorCode.InvalidTransition"/> unless <paramref name="version"/> is greater than
    /// <see cref="BaseVersion"/>, and with <see cref="GraphErrorCode.UnknownRun"/> when <paramref name="runId"/> names
    /// no run. O(log n + p) for p paths.
    /// </summary>
    /// <param name="version">The new base version.</param>
    /// <param name="paths">The changed paths.</param>
    /// <param name="runId">The run whose success produced the change, or <see langword="null"/> for an outside change.</param>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> is null or contains null.</exception>
    public GraphResult AdvanceBase(long version, IEnumerable<string> paths, string? runId = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ImmutableArray<string> changed = [.. paths];
        if (version <= _log.Version)
        {
            return GraphError.Transition(
                version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"The base is at version {_log.Version}; it can only advance, not move to {version}.",
                "Give a version greater than the current base.");
        }

        if (runId is not null && !_runs.Runs.ContainsKey(runId))
        {
            return GraphError.UnknownRun(runId);
        }

        return With(log: _log.Advance(new MergedChange(version, changed, runId)));
    }

    /// <summary>
    /// The merged changes that produced versions after <paramref name="baseVersion"/>: what a run admitted against
    /// that base has not seen. Ascending version. O(log n + k).
    /// </summary>
    public IEnumerable<MergedChange> MergedChangesSince(long baseVersion) => _log.Since(baseVersion);

    /// <summary>
    /// Drops the merged changes whose version is below <paramref name="version"/>. Returns this graph when none is.
    /// O(k log n) for k dropped entries.
    /// </summary>
    public WorkGraph PruneMergedChangesBelow(long version)
    {
        BaseLog log = _log.PruneBelow(version);
        return ReferenceEquals(log, _log) ? this : With(log: log);
    }
}
