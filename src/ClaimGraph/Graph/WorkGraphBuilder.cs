using System.Collections.Immutable;

namespace ClaimGraph.Graph;

/// <summary>
/// Collects many changes at once and makes a <see cref="WorkGraph"/> in one pass: faster than a chain of single
/// updates for bulk loads. Not thread-safe; the graphs it makes are.
/// </summary>
/// <remarks>
/// The builder collects the content of each part of the graph (work items and dependencies here, runs and the
/// fencing counter in <c>WorkGraphBuilder.Runs.cs</c>, the base log and processed events in
/// <c>WorkGraphBuilder.Log.cs</c>) and builds each part in one pass. It checks ids as they come (a duplicate throws at once) and the whole content in <see cref="Build"/>
/// (unknown work items, dependency cycles), so items and dependencies may be added in any order. The graphs it makes
/// have the <see cref="WorkGraph.Now"/> of the graph the builder started from (<see cref="WorkGraph.ToBuilder"/>; 0
/// for <see cref="WorkGraph.CreateBuilder"/>); set another with <see cref="WorkGraph.WithNow(long)"/>.
/// </remarks>
public sealed partial class WorkGraphBuilder
{
    private readonly ImmutableSortedDictionary<string, WorkItem>.Builder _items;
    private readonly ImmutableSortedDictionary<string, ImmutableSortedSet<string>>.Builder _dependencies;

    internal WorkGraphBuilder(WorkGraph start)
    {
        _items = start.WorkItems.ToBuilder();
        _dependencies = start.Dag.DependencyMap.ToBuilder();
        _runs = start.Runs.ToBuilder();
        _nextFencingToken = start.NextFencingToken;
        _processed = start.ProcessedEventIds.ToBuilder();
        _changes = start.MergedChanges.ToBuilder();
        _baseVersion = start.BaseVersion;
        _now = start.Now;
        _versions = start.Versions;
    }

    /// <summary>The number of work items added so far.</summary>
    public int WorkItemCount => _items.Count;

    /// <summary>Adds a work item.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is null.</exception>
    /// <exception cref="GraphOperationException">The id is taken (<see cref="GraphErrorCode.DuplicateId"/>).</exception>
    public WorkGraphBuilder AddWorkItem(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!_items.TryAdd(item.Id, item))
        {
            throw new GraphOperationException(GraphError.DuplicateWorkItem(item.Id));
        }

        return this;
    }

    /// <summary>Adds the work item, or replaces the one with the same id.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is null.</exception>
    public WorkGraphBuilder SetWorkItem(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        _items[item.Id] = item;
        return this;
    }

    /// <summary>
    /// Makes <paramref name="dependent"/> depend on <paramref name="dependency"/> (idempotent). The dependent must be a
    /// work item by the time <see cref="Build"/> runs; cycles are found there.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument is empty.</exception>
    public WorkGraphBuilder AddDependency(string dependent, string dependency)
    {
        GraphIds.Require(dependent, nameof(dependent));
        GraphIds.Require(dependency, nameof(dependency));
        _dependencies[dependent] = _dependencies.TryGetValue(dependent, out ImmutableSortedSet<string>? set)
            ? set.Add(dependency)
            : Structural.EmptyIds.Add(dependency);
        return this;
    }

    /// <summary>Removes a dependency if it is there.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public WorkGraphBuilder RemoveDependency(string dependent, string dependency)
    {
        ArgumentNullException.ThrowIfNull(dependent);
        ArgumentNullException.ThrowIfNull(dependency);
        if (_dependencies.TryGetValue(dependent, out ImmutableSortedSet<string>? set))
        {
            set = set.Remove(dependency);
            if (set.IsEmpty)
            {
                _dependencies.Remove(dependent);
            }
            else
            {
                _dependencies[dependent] = set;
            }
        }

        return this;
    }

    /// <summary>
    /// Makes the graph, or says why the content is invalid: a dependency or run naming an unknown work item
    /// (<see cref="GraphErrorCode.UnknownWorkItem"/>) or a dependency cycle (<see cref="GraphErrorCode.DependencyCycle"/>,
    /// with the members in order). O((V + E + R) log n). The builder stays usable.
    /// </summary>
    public GraphResult Build()
    {
        foreach (KeyValuePair<string, ImmutableSortedSet<string>> edge in _dependencies)
        {
            if (!_items.ContainsKey(edge.Key))
            {
                return GraphError.UnknownWorkItem(edge.Key);
            }
        }

        GraphError? error = ValidateRuns() ?? ValidateLog();
        if (error is not null)
        {
            return error;
        }

        ImmutableSortedDictionary<string, WorkItem> items = _items.ToImmutable();
        WorkItemDag? dag = WorkItemDag.Create(items, _dependencies.ToImmutable(), out ImmutableArray<string> cycle);
        if (dag is null)
        {
            return GraphError.Cycle(cycle, existing: true);
        }

        RunTable runs = RunTable.Create(_runs.ToImmutable(), id => items[id].Labels, _nextFencingToken);
        return WorkGraph.FromParts(dag, runs, BuildLog(), BuildEvents(), _versions, _now);
    }

    /// <summary>Makes the graph.</summary>
    /// <exception cref="GraphOperationException">The content is invalid (see <see cref="Build"/>).</exception>
    public WorkGraph ToGraph() => Build().Value;
}
