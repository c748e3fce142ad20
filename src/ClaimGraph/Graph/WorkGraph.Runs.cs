using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Index;

namespace ClaimGraph.Graph;

public sealed partial class WorkGraph
{
    // Content.
    private ImmutableSortedDictionary<string, Run> _runs = ImmutableSortedDictionary.Create<string, Run>(StringComparer.Ordinal);
    private ImmutableSortedSet<string> _processed = Structural.EmptyIds;
    private long _nextFencingToken = 1;
    private long _baseVersion;
    private long _now;
    private ImmutableList<MergedChange> _changes = [];

    // Derived.
    private ImmutableSortedDictionary<string, ImmutableSortedSet<Run>> _runsByItem =
        ImmutableSortedDictionary.Create<string, ImmutableSortedSet<Run>>(StringComparer.Ordinal);
    private ImmutableSortedSet<Run> _waiting = Structural.NoWaitingRuns;
    private ImmutableSortedSet<string> _indexed = Structural.EmptyIds;
    private OverlapIndex<string> _index = Structural.EmptyIndex;
    private int _activeCount;
    private ImmutableSortedDictionary<string, int> _activeByLabel = ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal);
    private ImmutableSortedDictionary<long, int> _activeBases = ImmutableSortedDictionary<long, int>.Empty;
    private ImmutableSortedSet<(long At, string Id)> _leases = LeaseOrder.Empty;

    /// <summary>The runs by id (ordinal order). O(1).</summary>
    public ImmutableSortedDictionary<string, Run> Runs => _runs;

    /// <summary>The number of runs. O(1).</summary>
    public int RunCount => _runs.Count;

    /// <summary>The number of <see cref="RunStatus.Active"/> runs. O(1).</summary>
    public int ActiveRunCount => _activeCount;

    /// <summary>
    /// The number of active runs per label (a run's labels are its work item's labels), for labels with at least one;
    /// ordinal order. O(1).
    /// </summary>
    public ImmutableSortedDictionary<string, int> ActiveRunCountsByLabel => _activeByLabel;

    /// <summary>
    /// The <see cref="RunStatus.Pending"/> and <see cref="RunStatus.Held"/> runs in admission order
    /// (<see cref="RunOrder.Admission"/>: priority descending, request time ascending, id ascending). O(1).
    /// </summary>
    public ImmutableSortedSet<Run> AdmissionQueue => _waiting;

    /// <summary>The ids of the runs in the overlap index (active, or held and reserving their place); ordinal order. O(1).</summary>
    public ImmutableSortedSet<string> IndexedRunIds => _indexed;

    /// <summary>
    /// The overlap index of the claims of the runs in <see cref="IndexedRunIds"/>, owned by run id (ordinal), for
    /// pattern queries such as "which indexed runs cover this changed path". O(1).
    /// </summary>
    public OverlapIndex<string> OverlapIndex => _index;

    /// <summary>
    /// The active runs whose lease expires strictly before <paramref name="time"/>, ordered by run id.
    /// O(log n + k) for k such runs (a lease index is kept beside the runs).
    /// </summary>
    public ImmutableArray<string> ActiveRunsWithLeaseBefore(long time)
    {
        var ids = new List<string>();
        foreach ((long at, string id) in _leases)
        {
            if (at >= time)
            {
                break;
            }

            ids.Add(id);
        }

        ids.Sort(StringComparer.Ordinal);
        return [.. ids];
    }

    /// <summary>
    /// The smallest <see cref="Run.AdmittedBase"/> among active runs, or <see langword="null"/> when no active run has
    /// one. Merged changes at or below it no longer matter to any active run. O(log n).
    /// </summary>
    public long? OldestActiveBase => _activeBases.IsEmpty ? null : _activeBases.Keys.First();

    /// <summary>The ids of the events already applied, for idempotency (ordinal order). O(1).</summary>
    public ImmutableSortedSet<string> ProcessedEventIds => _processed;

    /// <summary>
    /// The next fencing token <see cref="IssueFencingToken(out long)"/> will hand out. Starts at 1, only grows, and is
    /// always greater than every stored run's <see cref="Run.FencingToken"/>.
    /// </summary>
    public long NextFencingToken => _nextFencingToken;

    /// <summary>The current base version (a number the orchestrator maps to commits); 0 initially.</summary>
    public long BaseVersion => _baseVersion;

    /// <summary>The latest time (milliseconds on the orchestrator's clock) the policy has seen; never decreases under the policy. Default 0.</summary>
    public long Now => _now;

    /// <summary>This graph with <see cref="Now"/> set to <paramref name="time"/> (the policy only ever raises it). O(1).</summary>
    public WorkGraph WithNow(long time)
    {
        if (time == _now)
        {
            return this;
        }

        WorkGraph next = Fork();
        next._now = time;
        return next;
    }

    /// <summary>The merged changes kept (see <see cref="PruneMergedChangesBelow(long)"/>), by ascending version.</summary>
    public ImmutableList<MergedChange> MergedChanges => _changes;

    /// <summary>Whether a run with <paramref name="id"/> exists. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public bool ContainsRun(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _runs.ContainsKey(id);
    }

    /// <summary>Gets the run with <paramref name="id"/>. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public bool TryGetRun(string id, [NotNullWhen(true)] out Run? run)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _runs.TryGetValue(id, out run);
    }

    /// <summary>The runs of work item <paramref name="workItemId"/> in <see cref="RunOrder.Attempt"/> order; empty when none. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="workItemId"/> is null.</exception>
    public ImmutableSortedSet<Run> RunsOf(string workItemId)
    {
        ArgumentNullException.ThrowIfNull(workItemId);
        return _runsByItem.TryGetValue(workItemId, out ImmutableSortedSet<Run>? runs) ? runs : Structural.NoItemRuns;
    }

    /// <summary>The number of active runs whose work item has <paramref name="label"/>. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="label"/> is null.</exception>
    public int ActiveRunCountWithLabel(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return _activeByLabel.TryGetValue(label, out int count) ? count : 0;
    }

    /// <summary>Whether the event <paramref name="eventId"/> was already applied. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="eventId"/> is null.</exception>
    public bool IsEventProcessed(string eventId)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        return _processed.Contains(eventId);
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
        ImmutableArray<IndexConflict<string>> found = _index.Conflicts(claims);
        var result = ImmutableArray.CreateBuilder<RunConflict>(found.Length);
        foreach (IndexConflict<string> conflict in found)
        {
            if (!string.Equals(conflict.Owner, exceptRunId, StringComparison.Ordinal))
            {
                result.Add(new RunConflict(_runs[conflict.Owner], conflict.Conflict, conflict.IsConservative));
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
        if (_runs.ContainsKey(run.Id))
        {
            return GraphError.DuplicateRun(run.Id);
        }

        if (!_items.ContainsKey(run.WorkItemId))
        {
            return GraphError.UnknownWorkItem(run.WorkItemId);
        }

        WorkGraph next = Fork();
        next._runs = _runs.Add(run.Id, run);
        next.FileRun(run, touchIndex: true, touchWaiting: true);
        if (run.Status == RunStatus.Active)
        {
            next.RefreshReadiness(run.WorkItemId);
        }

        return next;
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
        if (!_runs.TryGetValue(run.Id, out Run? old))
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

        WorkGraph next = Fork();
        next._runs = _runs.SetItem(run.Id, run);
        // A history append or a lease change of an indexed run leaves its claims where they are: skip the index churn.
        bool sameClaims = old.Claims.Equals(run.Claims);
        bool touchIndex = !(old.IsInOverlapIndex && run.IsInOverlapIndex && sameClaims);
        // Likewise a waiting run that stays waiting (pending to held) keeps its place in the waiting structures.
        bool touchWaiting = !(old.Status.IsWaiting() && run.Status.IsWaiting() && sameClaims && old.NotBefore == run.NotBefore);
        next.UnfileRun(old, touchIndex, touchWaiting);
        next.FileRun(run, touchIndex, touchWaiting);
        if ((old.Status == RunStatus.Active) != (run.Status == RunStatus.Active))
        {
            next.RefreshReadiness(run.WorkItemId);
        }

        return next;
    }

    /// <summary>Records that the event <paramref name="eventId"/> was applied. Returns this graph when it already was. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="eventId"/> is null.</exception>
    public WorkGraph MarkEventProcessed(string eventId)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        if (_processed.Contains(eventId))
        {
            return this;
        }

        WorkGraph next = Fork();
        next._processed = _processed.Add(eventId);
        return next;
    }

    /// <summary>
    /// Hands out the next fencing token (<see cref="NextFencingToken"/>) and returns the graph that has used it up.
    /// Tokens only grow. O(1).
    /// </summary>
    public WorkGraph IssueFencingToken(out long token)
    {
        token = _nextFencingToken;
        WorkGraph next = Fork();
        next._nextFencingToken = token + 1;
        return next;
    }

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
        if (version <= _baseVersion)
        {
            return GraphError.Transition(
                version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"The base is at version {_baseVersion}; it can only advance, not move to {version}.",
                "Give a version greater than the current base.");
        }

        if (runId is not null && !_runs.ContainsKey(runId))
        {
            return GraphError.UnknownRun(runId);
        }

        var change = new MergedChange(version, changed, runId);
        WorkGraph next = Fork();
        next._baseVersion = version;
        next._changes = _changes.Add(change);
        return next;
    }

    /// <summary>
    /// The merged changes that produced versions after <paramref name="baseVersion"/>: what a run admitted against
    /// that base has not seen. Ascending version. O(log n + k).
    /// </summary>
    public IEnumerable<MergedChange> MergedChangesSince(long baseVersion)
    {
        int start = FirstChangeAbove(baseVersion);
        for (int i = start; i < _changes.Count; i++)
        {
            yield return _changes[i];
        }
    }

    /// <summary>
    /// Drops the merged changes whose version is below <paramref name="version"/>. Returns this graph when none is.
    /// O(k log n) for k dropped entries.
    /// </summary>
    public WorkGraph PruneMergedChangesBelow(long version)
    {
        int count = FirstChangeAbove(version - 1);
        if (count == 0)
        {
            return this;
        }

        WorkGraph next = Fork();
        next._changes = _changes.RemoveRange(0, count);
        return next;
    }

    /// <summary>The index of the first change with a version greater than <paramref name="version"/>.</summary>
    private int FirstChangeAbove(long version)
    {
        int lo = 0;
        int hi = _changes.Count;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo) / 2);
            if (_changes[mid].Version <= version)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private bool HasActiveRun(string workItemId)
    {
        if (_activeCount == 0 || !_runsByItem.TryGetValue(workItemId, out ImmutableSortedSet<Run>? runs))
        {
            return false;
        }

        foreach (Run run in runs)
        {
            if (run.Status == RunStatus.Active)
            {
                return true;
            }
        }

        return false;
    }

    private void AddActiveRunBlockers(string workItemId, ImmutableArray<ReadinessBlocker>.Builder blockers)
    {
        foreach (Run run in RunsOf(workItemId))
        {
            if (run.Status == RunStatus.Active)
            {
                blockers.Add(new ReadinessBlocker(ReadinessBlockerKind.RunActive, run.Id, null, []));
            }
        }
    }

    /// <summary>Moves the per-label counts of the item's active runs from the old labels to the new.</summary>
    private void RelabelActiveRuns(string workItemId, ImmutableSortedSet<string> oldLabels, ImmutableSortedSet<string> newLabels)
    {
        foreach (Run run in RunsOf(workItemId))
        {
            if (run.Status == RunStatus.Active)
            {
                _activeByLabel = CountLabels(_activeByLabel, oldLabels, -1);
                _activeByLabel = CountLabels(_activeByLabel, newLabels, +1);
            }
        }
    }

    /// <summary>Files <paramref name="run"/> (already in <see cref="_runs"/>) in every derived structure.</summary>
    private void FileRun(Run run, bool touchIndex, bool touchWaiting)
    {
        _runsByItem = _runsByItem.SetItem(run.WorkItemId, RunsOf(run.WorkItemId).Add(run));
        if (run.Status.IsWaiting())
        {
            _waiting = _waiting.Add(run);
            if (touchWaiting)
            {
                FileWaiting(run);
            }
        }

        if (run.IsInOverlapIndex && touchIndex)
        {
            _indexed = _indexed.Add(run.Id);
            _index = _index.Add(run.Id, run.Claims);
        }

        if (run.Status == RunStatus.Active)
        {
            if (run.LeaseExpiresAt is long lease)
            {
                _leases = _leases.Add((lease, run.Id));
            }

            _activeCount++;
            _activeByLabel = CountLabels(_activeByLabel, _items[run.WorkItemId].Labels, +1);
            if (run.AdmittedBase is long b)
            {
                _activeBases = _activeBases.SetItem(b, _activeBases.GetValueOrDefault(b) + 1);
            }
        }

        if (run.FencingToken >= _nextFencingToken)
        {
            _nextFencingToken = run.FencingToken + 1;
        }
    }

    /// <summary>Removes <paramref name="run"/> from every derived structure.</summary>
    private void UnfileRun(Run run, bool touchIndex, bool touchWaiting)
    {
        ImmutableSortedSet<Run> siblings = RunsOf(run.WorkItemId).Remove(run);
        _runsByItem = siblings.IsEmpty ? _runsByItem.Remove(run.WorkItemId) : _runsByItem.SetItem(run.WorkItemId, siblings);
        if (run.Status.IsWaiting())
        {
            _waiting = _waiting.Remove(run);
            if (touchWaiting)
            {
                UnfileWaiting(run);
            }
        }

        if (run.IsInOverlapIndex && touchIndex)
        {
            _indexed = _indexed.Remove(run.Id);
            _index = _index.RemoveOwner(run.Id);
        }

        if (run.Status == RunStatus.Active)
        {
            if (run.LeaseExpiresAt is long lease)
            {
                _leases = _leases.Remove((lease, run.Id));
            }

            _activeCount--;
            _activeByLabel = CountLabels(_activeByLabel, _items[run.WorkItemId].Labels, -1);
            if (run.AdmittedBase is long b)
            {
                int left = _activeBases[b] - 1;
                _activeBases = left == 0 ? _activeBases.Remove(b) : _activeBases.SetItem(b, left);
            }
        }
    }

    private static ImmutableSortedDictionary<string, int> CountLabels(ImmutableSortedDictionary<string, int> counts, ImmutableSortedSet<string> labels, int delta)
    {
        foreach (string label in labels)
        {
            int count = counts.GetValueOrDefault(label) + delta;
            counts = count == 0 ? counts.Remove(label) : counts.SetItem(label, count);
        }

        return counts;
    }

    /// <summary>Installs bulk run content into a graph under construction whose work items are final.</summary>
    private void InstallRuns(RunContent content)
    {
        _runs = content.Runs;
        _processed = content.Processed;
        _baseVersion = content.BaseVersion;
        _changes = content.Changes;
        _nextFencingToken = content.NextFencingToken;
        _now = content.Now;

        var byItem = new SortedDictionary<string, ImmutableSortedSet<Run>.Builder>(StringComparer.Ordinal);
        ImmutableSortedSet<Run>.Builder waiting = Structural.NoWaitingRuns.ToBuilder();
        ImmutableSortedSet<string>.Builder indexed = Structural.EmptyIds.ToBuilder();
        var labels = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var bases = new SortedDictionary<long, int>();
        ImmutableSortedSet<(long At, string Id)>.Builder leases = LeaseOrder.Empty.ToBuilder();
        foreach (Run run in _runs.Values)
        {
            if (!byItem.TryGetValue(run.WorkItemId, out ImmutableSortedSet<Run>.Builder? siblings))
            {
                siblings = Structural.NoItemRuns.ToBuilder();
                byItem.Add(run.WorkItemId, siblings);
            }

            siblings.Add(run);
            if (run.Status.IsWaiting())
            {
                waiting.Add(run);
                FileWaiting(run);
            }

            if (run.IsInOverlapIndex)
            {
                indexed.Add(run.Id);
                _index = _index.Add(run.Id, run.Claims);
            }

            if (run.Status == RunStatus.Active)
            {
                if (run.LeaseExpiresAt is long lease)
                {
                    leases.Add((lease, run.Id));
                }

                _activeCount++;
                foreach (string label in _items[run.WorkItemId].Labels)
                {
                    labels[label] = labels.GetValueOrDefault(label) + 1;
                }

                if (run.AdmittedBase is long b)
                {
                    bases[b] = bases.GetValueOrDefault(b) + 1;
                }
            }

            _nextFencingToken = Math.Max(_nextFencingToken, run.FencingToken + 1);
        }

        ImmutableSortedDictionary<string, ImmutableSortedSet<Run>>.Builder runsByItem = _runsByItem.ToBuilder();
        foreach (KeyValuePair<string, ImmutableSortedSet<Run>.Builder> entry in byItem)
        {
            runsByItem.Add(entry.Key, entry.Value.ToImmutable());
        }

        _runsByItem = runsByItem.ToImmutable();
        _waiting = waiting.ToImmutable();
        _indexed = indexed.ToImmutable();
        _activeByLabel = _activeByLabel.AddRange(labels);
        _activeBases = _activeBases.AddRange(bases);
        _leases = leases.ToImmutable();
    }

    private bool RunContentEquals(WorkGraph other) =>
        _nextFencingToken == other._nextFencingToken
        && _now == other._now
        && _changes.Count == other._changes.Count
        && _processed.Count == other._processed.Count
        && Structural.SetEqual(_processed, other._processed)
        && _changes.SequenceEqual(other._changes)
        && Structural.MapEqual(_runs, other._runs, EqualityComparer<Run>.Default);

    private void AddRunContentHash(ref HashCode hash)
    {
        hash.Add(_nextFencingToken);
        hash.Add(_baseVersion);
        hash.Add(_now);
        foreach (KeyValuePair<string, Run> run in _runs)
        {
            hash.Add(run.Value);
        }

        foreach (MergedChange change in _changes)
        {
            hash.Add(change);
        }

        hash.Add(Structural.SetHash(_processed));
    }
}

/// <summary>Run-related content collected by a builder.</summary>
internal sealed record RunContent(
    ImmutableSortedDictionary<string, Run> Runs,
    ImmutableSortedSet<string> Processed,
    long BaseVersion,
    ImmutableList<MergedChange> Changes,
    long NextFencingToken,
    long Now);

/// <summary>Orders lease entries by expiry, then run id (ordinal): never culture- or hash-dependent.</summary>
internal sealed class LeaseOrder : IComparer<(long At, string Id)>
{
    public static readonly ImmutableSortedSet<(long At, string Id)> Empty = ImmutableSortedSet.Create<(long At, string Id)>(new LeaseOrder());

    public int Compare((long At, string Id) x, (long At, string Id) y)
    {
        int c = x.At.CompareTo(y.At);
        return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
    }
}
