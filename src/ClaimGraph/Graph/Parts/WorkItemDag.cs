using System.Collections.Immutable;

namespace ClaimGraph.Graph;

/// <summary>Answers whether a work item has an active run: the one fact readiness needs from outside the DAG.</summary>
internal interface IRunActivity
{
    /// <summary>Whether a run of <paramref name="workItemId"/> is <see cref="RunStatus.Active"/>.</summary>
    bool HasActiveRun(string workItemId);
}

/// <summary>
/// The work items and the dependency DAG between them (both directions), with the set of ready items. A persistent
/// part of <see cref="WorkGraph"/>: every update returns a new DAG that shares structure with this one.
/// </summary>
/// <remarks>
/// An item is ready when it is open, every dependency is a done work item, and no run of it is active; the last fact
/// comes from an <see cref="IRunActivity"/> the caller passes in. Callers check what the DAG does not (an item's id is
/// new before <see cref="Add"/>, an edge closes no cycle before <see cref="AddEdge"/>). Search algorithms over the
/// edges are in <c>WorkItemDag.Search.cs</c>.
/// </remarks>
internal sealed partial class WorkItemDag
{
    /// <summary>No items, no edges.</summary>
    public static readonly WorkItemDag Empty = new(
        ImmutableSortedDictionary.Create<string, WorkItem>(StringComparer.Ordinal),
        Structural.EmptyEdges,
        Structural.EmptyEdges,
        0,
        Structural.EmptyIds);

    private readonly ImmutableSortedDictionary<string, WorkItem> _items;
    private readonly ImmutableSortedDictionary<string, ImmutableSortedSet<string>> _dependencies;
    private readonly ImmutableSortedDictionary<string, ImmutableSortedSet<string>> _dependents;
    private readonly int _edgeCount;
    private readonly ImmutableSortedSet<string> _ready;

    private WorkItemDag(
        ImmutableSortedDictionary<string, WorkItem> items,
        ImmutableSortedDictionary<string, ImmutableSortedSet<string>> dependencies,
        ImmutableSortedDictionary<string, ImmutableSortedSet<string>> dependents,
        int edgeCount,
        ImmutableSortedSet<string> ready)
    {
        _items = items;
        _dependencies = dependencies;
        _dependents = dependents;
        _edgeCount = edgeCount;
        _ready = ready;
    }

    /// <summary>The work items by id (ordinal order).</summary>
    public ImmutableSortedDictionary<string, WorkItem> Items => _items;

    /// <summary>The number of dependency edges.</summary>
    public int EdgeCount => _edgeCount;

    /// <summary>The ready items (ordinal order).</summary>
    public ImmutableSortedSet<string> Ready => _ready;

    /// <summary>The adjacency map from each dependent to its dependencies (no empty sets).</summary>
    public ImmutableSortedDictionary<string, ImmutableSortedSet<string>> DependencyMap => _dependencies;

    /// <summary>The adjacency map from each dependency to its dependents (no empty sets).</summary>
    public ImmutableSortedDictionary<string, ImmutableSortedSet<string>> DependentMap => _dependents;

    public bool Contains(string id) => _items.ContainsKey(id);

    public bool TryGet(string id, [NotNullWhen(true)] out WorkItem? item) => _items.TryGetValue(id, out item);

    public ImmutableSortedSet<string> DependenciesOf(string id) =>
        _dependencies.TryGetValue(id, out ImmutableSortedSet<string>? set) ? set : Structural.EmptyIds;

    public ImmutableSortedSet<string> DependentsOf(string id) =>
        _dependents.TryGetValue(id, out ImmutableSortedSet<string>? set) ? set : Structural.EmptyIds;

    public bool HasEdge(string dependent, string dependency) =>
        _dependencies.TryGetValue(dependent, out ImmutableSortedSet<string>? set) && set.Contains(dependency);

    /// <summary>Whether <paramref name="id"/> is a vertex: a work item or the target of a dependency.</summary>
    public bool IsVertex(string id) => _items.ContainsKey(id) || _dependents.ContainsKey(id);

    /// <summary>Adds a new item; it and the items that already named it as a dependency get their readiness.</summary>
    public WorkItemDag Add(WorkItem item, IRunActivity activity)
    {
        var next = new WorkItemDag(_items.Add(item.Id, item), _dependencies, _dependents, _edgeCount, _ready);
        return next.WithReadinessOf(item.Id, activity).WithReadinessOfDependents(item.Id, activity);
    }

    /// <summary>Replaces <paramref name="old"/> with <paramref name="item"/> (same id); a status change moves readiness.</summary>
    public WorkItemDag Replace(WorkItem old, WorkItem item, IRunActivity activity)
    {
        var next = new WorkItemDag(_items.SetItem(item.Id, item), _dependencies, _dependents, _edgeCount, _ready);
        return old.Status == item.Status ? next : next.WithReadinessOf(item.Id, activity).WithReadinessOfDependents(item.Id, activity);
    }

    /// <summary>Adds the edge <paramref name="dependent"/> → <paramref name="dependency"/> (new, and closing no cycle).</summary>
    public WorkItemDag AddEdge(string dependent, string dependency, IRunActivity activity) =>
        new WorkItemDag(
            _items,
            AddTo(_dependencies, dependent, dependency),
            AddTo(_dependents, dependency, dependent),
            _edgeCount + 1,
            _ready).WithReadinessOf(dependent, activity);

    /// <summary>Removes the existing edge <paramref name="dependent"/> → <paramref name="dependency"/>.</summary>
    public WorkItemDag RemoveEdge(string dependent, string dependency, IRunActivity activity) =>
        new WorkItemDag(
            _items,
            RemoveFrom(_dependencies, dependent, dependency),
            RemoveFrom(_dependents, dependency, dependent),
            _edgeCount - 1,
            _ready).WithReadinessOf(dependent, activity);

    /// <summary>This DAG with the readiness of <paramref name="id"/> recomputed (after its active runs changed).</summary>
    public WorkItemDag WithReadinessOf(string id, IRunActivity activity)
    {
        bool ready = IsReady(id, activity);
        if (ready == _ready.Contains(id))
        {
            return this;
        }

        return new WorkItemDag(_items, _dependencies, _dependents, _edgeCount, ready ? _ready.Add(id) : _ready.Remove(id));
    }

    /// <summary>
    /// Makes a DAG from bulk content, computing the reverse edges and the readiness of every item in one pass; returns
    /// a cycle (its members in order) instead when the dependencies are not acyclic.
    /// </summary>
    public static WorkItemDag? Create(
        ImmutableSortedDictionary<string, WorkItem> items,
        ImmutableSortedDictionary<string, ImmutableSortedSet<string>> dependencies,
        out ImmutableArray<string> cycle)
    {
        var reverse = new SortedDictionary<string, ImmutableSortedSet<string>.Builder>(StringComparer.Ordinal);
        int count = 0;
        foreach (KeyValuePair<string, ImmutableSortedSet<string>> edge in dependencies)
        {
            foreach (string target in edge.Value)
            {
                if (!reverse.TryGetValue(target, out ImmutableSortedSet<string>.Builder? set))
                {
                    set = Structural.EmptyIds.ToBuilder();
                    reverse.Add(target, set);
                }

                set.Add(edge.Key);
                count++;
            }
        }

        ImmutableSortedDictionary<string, ImmutableSortedSet<string>>.Builder dependents = Structural.EmptyEdges.ToBuilder();
        foreach (KeyValuePair<string, ImmutableSortedSet<string>.Builder> entry in reverse)
        {
            dependents.Add(entry.Key, entry.Value.ToImmutable());
        }

        var dag = new WorkItemDag(items, dependencies, dependents.ToImmutable(), count, Structural.EmptyIds);
        cycle = dag.FindAnyCycle();
        return cycle.IsDefault ? dag : null;
    }

    /// <summary>This DAG with the readiness of every item computed afresh (for a DAG made by <see cref="Create"/>).</summary>
    public WorkItemDag WithAllReadiness(IRunActivity activity)
    {
        ImmutableSortedSet<string>.Builder ready = Structural.EmptyIds.ToBuilder();
        foreach (KeyValuePair<string, WorkItem> item in _items)
        {
            if (IsReady(item.Key, activity))
            {
                ready.Add(item.Key);
            }
        }

        return new WorkItemDag(_items, _dependencies, _dependents, _edgeCount, ready.ToImmutable());
    }

    /// <summary>Equality of the content (items and edges); the reverse edges and readiness follow from it.</summary>
    public bool ContentEquals(WorkItemDag other) =>
        _items.Count == other._items.Count
        && _edgeCount == other._edgeCount
        && Structural.MapEqual(_items, other._items, EqualityComparer<WorkItem>.Default)
        && Structural.MapEqual(_dependencies, other._dependencies, Structural.SetComparer.Instance);

    /// <summary>Adds the content to a hash consistent with <see cref="ContentEquals"/>.</summary>
    public void AddContentHash(ref HashCode hash)
    {
        foreach (KeyValuePair<string, WorkItem> item in _items)
        {
            hash.Add(item.Value);
        }

        foreach (KeyValuePair<string, ImmutableSortedSet<string>> deps in _dependencies)
        {
            hash.Add(deps.Key, StringComparer.Ordinal);
            hash.Add(Structural.SetHash(deps.Value));
        }
    }

    private WorkItemDag WithReadinessOfDependents(string id, IRunActivity activity)
    {
        WorkItemDag dag = this;
        if (_dependents.TryGetValue(id, out ImmutableSortedSet<string>? dependents))
        {
            foreach (string d in dependents)
            {
                dag = dag.WithReadinessOf(d, activity);
            }
        }

        return dag;
    }

    private bool IsReady(string id, IRunActivity activity)
    {
        if (!_items.TryGetValue(id, out WorkItem? item) || item.Status != WorkItemStatus.Open || activity.HasActiveRun(id))
        {
            return false;
        }

        if (_dependencies.TryGetValue(id, out ImmutableSortedSet<string>? deps))
        {
            foreach (string d in deps)
            {
                if (!_items.TryGetValue(d, out WorkItem? dep) || dep.Status != WorkItemStatus.Done)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static ImmutableSortedDictionary<string, ImmutableSortedSet<string>> AddTo(
        ImmutableSortedDictionary<string, ImmutableSortedSet<string>> map, string from, string to) =>
        map.SetItem(from, map.TryGetValue(from, out ImmutableSortedSet<string>? set) ? set.Add(to) : Structural.EmptyIds.Add(to));

    private static ImmutableSortedDictionary<string, ImmutableSortedSet<string>> RemoveFrom(
        ImmutableSortedDictionary<string, ImmutableSortedSet<string>> map, string from, string to)
    {
        ImmutableSortedSet<string> set = map[from].Remove(to);
        return set.IsEmpty ? map.Remove(from) : map.SetItem(from, set);
    }
}
