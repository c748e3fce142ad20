using System.Collections.Immutable;

namespace ClaimGraph.Graph;

/// <summary>
/// The runs and what is counted about them: runs by id and by work item, the admission queue (pending and held runs),
/// the active runs per label and per admitted base, the lease expiries of active runs, and the fencing-token counter.
/// A persistent part of <see cref="WorkGraph"/>: every update returns a new table that shares structure with this one.
/// </summary>
/// <remarks>
/// A run's labels are its work item's; the caller passes them in, since the items live in the <see cref="WorkItemDag"/>.
/// Callers check ids and transitions before updating.
/// </remarks>
internal sealed class RunTable : IRunActivity
{
    /// <summary>No runs; the next fencing token is 1.</summary>
    public static readonly RunTable Empty = new(
        ImmutableSortedDictionary.Create<string, Run>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, ImmutableSortedSet<Run>>(StringComparer.Ordinal),
        Structural.NoWaitingRuns,
        0,
        ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal),
        ImmutableSortedDictionary<long, int>.Empty,
        LeaseOrder.Empty,
        1);

    private readonly ImmutableSortedDictionary<string, Run> _runs;
    private readonly ImmutableSortedDictionary<string, ImmutableSortedSet<Run>> _byItem;
    private readonly ImmutableSortedSet<Run> _queue;
    private readonly int _activeCount;
    private readonly ImmutableSortedDictionary<string, int> _activeByLabel;
    private readonly ImmutableSortedDictionary<long, int> _activeBases;
    private readonly ImmutableSortedSet<(long At, string Id)> _leases;
    private readonly long _nextFencingToken;

    private RunTable(
        ImmutableSortedDictionary<string, Run> runs,
        ImmutableSortedDictionary<string, ImmutableSortedSet<Run>> byItem,
        ImmutableSortedSet<Run> queue,
        int activeCount,
        ImmutableSortedDictionary<string, int> activeByLabel,
        ImmutableSortedDictionary<long, int> activeBases,
        ImmutableSortedSet<(long At, string Id)> leases,
        long nextFencingToken)
    {
        _runs = runs;
        _byItem = byItem;
        _queue = queue;
        _activeCount = activeCount;
        _activeByLabel = activeByLabel;
        _activeBases = activeBases;
        _leases = leases;
        _nextFencingToken = nextFencingToken;
    }

    public ImmutableSortedDictionary<string, Run> Runs => _runs;

    /// <summary>The pending and held runs in <see cref="RunOrder.Admission"/>.</summary>
    public ImmutableSortedSet<Run> Queue => _queue;

    public int ActiveCount => _activeCount;

    public ImmutableSortedDictionary<string, int> ActiveByLabel => _activeByLabel;

    public long NextFencingToken => _nextFencingToken;

    /// <summary>The smallest admitted base among active runs, or <see langword="null"/>.</summary>
    public long? OldestActiveBase => _activeBases.IsEmpty ? null : _activeBases.Keys.First();

    /// <summary>The runs of a work item in <see cref="RunOrder.Attempt"/>; empty when none.</summary>
    public ImmutableSortedSet<Run> RunsOf(string workItemId) =>
        _byItem.TryGetValue(workItemId, out ImmutableSortedSet<Run>? runs) ? runs : Structural.NoItemRuns;

    public int ActiveCountWithLabel(string label) => _activeByLabel.TryGetValue(label, out int count) ? count : 0;

    /// <inheritdoc/>
    public bool HasActiveRun(string workItemId)
    {
        if (_activeCount == 0 || !_byItem.TryGetValue(workItemId, out ImmutableSortedSet<Run>? runs))
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

    /// <summary>The ids of the active runs of a work item, in attempt order.</summary>
    public IEnumerable<string> ActiveRunIdsOf(string workItemId)
    {
        foreach (Run run in RunsOf(workItemId))
        {
            if (run.Status == RunStatus.Active)
            {
                yield return run.Id;
            }
        }
    }

    /// <summary>The active runs whose lease expires strictly before <paramref name="time"/>, ordered by run id.</summary>
    public ImmutableArray<string> LeasesBefore(long time)
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

    /// <summary>Adds a new run, filed as its status says; <paramref name="labels"/> are its work item's.</summary>
    public RunTable Add(Run run, ImmutableSortedSet<string> labels)
    {
        var next = new Mutable(this) { Runs = _runs.Add(run.Id, run) };
        next.File(run, labels);
        return next.ToTable();
    }

    /// <summary>Replaces <paramref name="old"/> with <paramref name="run"/> (same id and work item).</summary>
    public RunTable Replace(Run old, Run run, ImmutableSortedSet<string> labels)
    {
        var next = new Mutable(this) { Runs = _runs.SetItem(run.Id, run) };
        next.Unfile(old, labels);
        next.File(run, labels);
        return next.ToTable();
    }

    /// <summary>Moves the per-label counts of the item's active runs from <paramref name="oldLabels"/> to <paramref name="newLabels"/>.</summary>
    public RunTable Relabel(string workItemId, ImmutableSortedSet<string> oldLabels, ImmutableSortedSet<string> newLabels)
    {
        ImmutableSortedDictionary<string, int> counts = _activeByLabel;
        foreach (Run run in RunsOf(workItemId))
        {
            if (run.Status == RunStatus.Active)
            {
                counts = CountLabels(counts, oldLabels, -1);
                counts = CountLabels(counts, newLabels, +1);
            }
        }

        return new Mutable(this) { ActiveByLabel = counts }.ToTable();
    }

    /// <summary>Hands out the next fencing token and returns the table that has used it up.</summary>
    public RunTable IssueFencingToken(out long token)
    {
        token = _nextFencingToken;
        return new Mutable(this) { NextFencingToken = token + 1 }.ToTable();
    }

    /// <summary>
    /// Makes a table from bulk content in one pass. <paramref name="labelsOf"/> gives each run's work item labels; the
    /// fencing counter is raised above every run's token.
    /// </summary>
    public static RunTable Create(ImmutableSortedDictionary<string, Run> runs, Func<string, ImmutableSortedSet<string>> labelsOf, long nextFencingToken)
    {
        var byItem = new SortedDictionary<string, ImmutableSortedSet<Run>.Builder>(StringComparer.Ordinal);
        ImmutableSortedSet<Run>.Builder queue = Structural.NoWaitingRuns.ToBuilder();
        var labels = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var bases = new SortedDictionary<long, int>();
        ImmutableSortedSet<(long At, string Id)>.Builder leases = LeaseOrder.Empty.ToBuilder();
        int active = 0;
        foreach (Run run in runs.Values)
        {
            if (!byItem.TryGetValue(run.WorkItemId, out ImmutableSortedSet<Run>.Builder? siblings))
            {
                siblings = Structural.NoItemRuns.ToBuilder();
                byItem.Add(run.WorkItemId, siblings);
            }

            siblings.Add(run);
            if (run.Status.IsWaiting())
            {
                queue.Add(run);
            }

            if (run.Status == RunStatus.Active)
            {
                if (run.LeaseExpiresAt is long lease)
                {
                    leases.Add((lease, run.Id));
                }

                active++;
                foreach (string label in labelsOf(run.WorkItemId))
                {
                    labels[label] = labels.GetValueOrDefault(label) + 1;
                }

                if (run.AdmittedBase is long b)
                {
                    bases[b] = bases.GetValueOrDefault(b) + 1;
                }
            }

            nextFencingToken = Math.Max(nextFencingToken, run.FencingToken + 1);
        }

        ImmutableSortedDictionary<string, ImmutableSortedSet<Run>>.Builder runsByItem = Empty._byItem.ToBuilder();
        foreach (KeyValuePair<string, ImmutableSortedSet<Run>.Builder> entry in byItem)
        {
            runsByItem.Add(entry.Key, entry.Value.ToImmutable());
        }

        return new RunTable(
            runs,
            runsByItem.ToImmutable(),
            queue.ToImmutable(),
            active,
            Empty._activeByLabel.AddRange(labels),
            Empty._activeBases.AddRange(bases),
            leases.ToImmutable(),
            nextFencingToken);
    }

    /// <summary>Equality of the content (runs and the fencing counter); the rest follows from it.</summary>
    public bool ContentEquals(RunTable other) =>
        _nextFencingToken == other._nextFencingToken
        && Structural.MapEqual(_runs, other._runs, EqualityComparer<Run>.Default);

    /// <summary>Adds the runs to a hash consistent with <see cref="ContentEquals"/> (the counter is added by the caller).</summary>
    public void AddRunsHash(ref HashCode hash)
    {
        foreach (KeyValuePair<string, Run> run in _runs)
        {
            hash.Add(run.Value);
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

    /// <summary>A table's fields while one update files and unfiles runs; never escapes an update.</summary>
    private struct Mutable
    {
        public ImmutableSortedDictionary<string, Run> Runs;
        public ImmutableSortedDictionary<string, ImmutableSortedSet<Run>> ByItem;
        public ImmutableSortedSet<Run> Queue;
        public int ActiveCount;
        public ImmutableSortedDictionary<string, int> ActiveByLabel;
        public ImmutableSortedDictionary<long, int> ActiveBases;
        public ImmutableSortedSet<(long At, string Id)> Leases;
        public long NextFencingToken;

        public Mutable(RunTable table)
        {
            Runs = table._runs;
            ByItem = table._byItem;
            Queue = table._queue;
            ActiveCount = table._activeCount;
            ActiveByLabel = table._activeByLabel;
            ActiveBases = table._activeBases;
            Leases = table._leases;
            NextFencingToken = table._nextFencingToken;
        }

        public readonly RunTable ToTable() => new(Runs, ByItem, Queue, ActiveCount, ActiveByLabel, ActiveBases, Leases, NextFencingToken);

        public void File(Run run, ImmutableSortedSet<string> labels)
        {
            ImmutableSortedSet<Run> siblings = ByItem.TryGetValue(run.WorkItemId, out ImmutableSortedSet<Run>? s) ? s : Structural.NoItemRuns;
            ByItem = ByItem.SetItem(run.WorkItemId, siblings.Add(run));
            if (run.Status.IsWaiting())
            {
                Queue = Queue.Add(run);
            }

            if (run.Status == RunStatus.Active)
            {
                if (run.LeaseExpiresAt is long lease)
                {
                    Leases = Leases.Add((lease, run.Id));
                }

                ActiveCount++;
                ActiveByLabel = CountLabels(ActiveByLabel, labels, +1);
                if (run.AdmittedBase is long b)
                {
                    ActiveBases = ActiveBases.SetItem(b, ActiveBases.GetValueOrDefault(b) + 1);
                }
            }

            if (run.FencingToken >= NextFencingToken)
            {
                NextFencingToken = run.FencingToken + 1;
            }
        }

        public void Unfile(Run run, ImmutableSortedSet<string> labels)
        {
            ImmutableSortedSet<Run> siblings = ByItem[run.WorkItemId].Remove(run);
            ByItem = siblings.IsEmpty ? ByItem.Remove(run.WorkItemId) : ByItem.SetItem(run.WorkItemId, siblings);
            if (run.Status.IsWaiting())
            {
                Queue = Queue.Remove(run);
            }

            if (run.Status == RunStatus.Active)
            {
                if (run.LeaseExpiresAt is long lease)
                {
                    Leases = Leases.Remove((lease, run.Id));
                }

                ActiveCount--;
                ActiveByLabel = CountLabels(ActiveByLabel, labels, -1);
                if (run.AdmittedBase is long b)
                {
                    int left = ActiveBases[b] - 1;
                    ActiveBases = left == 0 ? ActiveBases.Remove(b) : ActiveBases.SetItem(b, left);
                }
            }
        }
    }
}

/// <summary>Orders (time, run id) entries by time, then run id (ordinal): never culture- or hash-dependent.</summary>
internal sealed class LeaseOrder : IComparer<(long At, string Id)>
{
    public static readonly ImmutableSortedSet<(long At, string Id)> Empty = ImmutableSortedSet.Create<(long At, string Id)>(new LeaseOrder());

    public int Compare((long At, string Id) x, (long At, string Id) y)
    {
        int c = x.At.CompareTo(y.At);
        return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
    }
}
