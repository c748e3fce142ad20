using System.Collections.Immutable;

namespace ClaimGraph.Graph;

public sealed partial class WorkGraphBuilder
{
    private readonly ImmutableSortedDictionary<string, Run>.Builder _runs;
    private long _nextFencingToken;

    /// <summary>The number of runs added so far.</summary>
    public int RunCount => _runs.Count;

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

    /// <summary>The first run whose work item is unknown, as an error; <see langword="null"/> when there is none.</summary>
    private GraphError? ValidateRuns()
    {
        foreach (Run run in _runs.Values)
        {
            if (!_items.ContainsKey(run.WorkItemId))
            {
                return GraphError.UnknownWorkItem(run.WorkItemId);
            }
        }

        return null;
    }
}
