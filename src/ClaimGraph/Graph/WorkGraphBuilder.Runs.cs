using System.Collections.Immutable;

namespace ClaimGraph.Graph;

public sealed partial class WorkGraphBuilder
{
    private ImmutableSortedDictionary<string, Run>.Builder _runs = null!;
    private ImmutableSortedSet<string>.Builder _processed = null!;
    private ImmutableList<MergedChange>.Builder _changes = null!;
    private long _baseVersion;
    private long _nextFencingToken;
    private long _now;

    /// <summary>The number of runs added so far.</summary>
    public int RunCount => _runs.Count;

    /// <summary>
    /// The base version. Adding a merged change raises it to the change's version; it cannot be set below the last
    /// merged change's version.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below the last merged change's version.</exception>
    public long BaseVersion
    {
        get => _baseVersion;
        set
        {
            if (_changes.Count > 0 && value < _changes[^1].Version)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The base version cannot be below the last merged change's version.");
            }

            _baseVersion = value;
        }
    }

    /// <summary>
    /// The next fencing token to hand out. <see cref="Build"/> raises it above every run's fencing token.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1.</exception>
    public long NextFencingToken
    {
        get => _nextFencingToken;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _nextFencingToken = value;
        }
    }

    /// <summary>Adds a run. Its work item must be in the graph by the time <see cref="Build"/> runs.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is null.</exception>
    /// <exception cref="GraphOperationException">The id is taken (<see cref="GraphErrorCode.DuplicateId"/>).</exception>
    public WorkGraphBuilder AddRun(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!_runs.TryAdd(run.Id, run))
        {
            throw new GraphOperationException(GraphError.DuplicateRun(run.Id));
        }

        return this;
    }

    /// <summary>Adds the run, or replaces the one with the same id (no transition checks).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is null.</exception>
    public WorkGraphBuilder SetRun(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        _runs[run.Id] = run;
        return this;
    }

    /// <summary>Records that the event <paramref name="eventId"/> was applied (idempotent).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="eventId"/> is null.</exception>
    public WorkGraphBuilder MarkEventProcessed(string eventId)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        _processed.Add(eventId);
        return this;
    }

    /// <summary>
    /// Appends a merged change and raises <see cref="BaseVersion"/> to its version when lower. Its run, if any, must be
    /// in the graph by the time <see cref="Build"/> runs.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="change"/> is null.</exception>
    /// <exception cref="GraphOperationException">The version is not greater than the last change's
    /// (<see cref="GraphErrorCode.InvalidTransition"/>).</exception>
    public WorkGraphBuilder AddMergedChange(MergedChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (_changes.Count > 0 && change.Version <= _changes[^1].Version)
        {
            throw new GraphOperationException(GraphError.Transition(
                change.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"Merged change versions must increase; {change.Version} follows {_changes[^1].Version}.",
                "Add merged changes in ascending version order."));
        }

        _changes.Add(change);
        _baseVersion = Math.Max(_baseVersion, change.Version);
        return this;
    }

    private void InitializeRuns(WorkGraph start)
    {
        _runs = start.Runs.ToBuilder();
        _processed = start.ProcessedEventIds.ToBuilder();
        _changes = start.MergedChanges.ToBuilder();
        _baseVersion = start.BaseVersion;
        _nextFencingToken = start.NextFencingToken;
        _now = start.Now;
    }

    private GraphError? ValidateRuns()
    {
        foreach (Run run in _runs.Values)
        {
            if (!_items.ContainsKey(run.WorkItemId))
            {
                return GraphError.UnknownWorkItem(run.WorkItemId);
            }
        }

        foreach (MergedChange change in _changes)
        {
            if (change.RunId is not null && !_runs.ContainsKey(change.RunId))
            {
                return GraphError.UnknownRun(change.RunId);
            }
        }

        return null;
    }

    private RunContent BuildRunContent() =>
        new(_runs.ToImmutable(), _processed.ToImmutable(), _baseVersion, _changes.ToImmutable(), _nextFencingToken, _now);
}
