using System.Collections.Immutable;
using System.Globalization;

namespace ClaimGraph.Graph;

/// <summary>
/// An immutable snapshot of the work: work items and the dependency DAG between them, runs with their claims and
/// decision history, the overlap index of active (and place-reserving) runs, the base version with the log of merged
/// changes, the processed event ids and the fencing-token counter.
/// </summary>
/// <remarks>
/// <para>
/// Every update returns a new graph that shares structure with the old one, which stays unchanged: a single change
/// costs O(log n) (plus the few derived entries it touches). Bulk loads go through <see cref="WorkGraphBuilder"/>.
/// A graph is safe to read from many threads.
/// </para>
/// <para>
/// Ids are ordinal strings; every enumeration is in a defined order (ordinal by id unless a member says otherwise),
/// never hash order. The graph reads no clock: times are <see cref="long"/> values the caller supplies.
/// </para>
/// <para>
/// Operations that can be refused return a <see cref="GraphResult"/> with a typed <see cref="GraphError"/> and leave
/// the graph unchanged; only null arguments (programmer errors) throw.
/// </para>
/// <para>
/// Equality is structural over the content (work items, dependencies, runs, base version, merged changes, processed
/// event ids, the fencing-token counter and the clock <see cref="Now"/>): two graphs built by different update orders
/// but with equal content are equal and hash alike. Derived indexes are not compared; they are a function of the
/// content.
/// </para>
/// </remarks>
public sealed partial class WorkGraph : IEquatable<WorkGraph>
{
    // Content. Mutated only on a fresh fork (see Fork) before it is published.
    private ImmutableSortedDictionary<string, WorkItem> _items = ImmutableSortedDictionary.Create<string, WorkItem>(StringComparer.Ordinal);
    private ImmutableSortedDictionary<string, ImmutableSortedSet<string>> _dependencies = Structural.EmptyEdges;

    // Derived.
    private ImmutableSortedDictionary<string, ImmutableSortedSet<string>> _dependents = Structural.EmptyEdges;
    private int _dependencyCount;
    private ImmutableSortedSet<string> _ready = Structural.EmptyIds;
    private int _hash;

    private WorkGraph()
    {
    }

    /// <summary>The empty graph: no work items, no runs, base version 0, next fencing token 1.</summary>
    public static WorkGraph Empty => EmptyHolder.Instance;

    /// <summary>Creates a builder for bulk loads, starting empty (its graphs have <see cref="Now"/> 0).</summary>
    public static WorkGraphBuilder CreateBuilder() => new(Empty);

    /// <summary>
    /// Creates a builder for bulk changes, starting from this graph's content. The graphs it makes keep this graph's
    /// <see cref="Now"/>, so <c>g.ToBuilder().ToGraph()</c> equals <c>g</c>.
    /// </summary>
    public WorkGraphBuilder ToBuilder() => new(this);

    /// <summary>The work items by id (ordinal order). O(1).</summary>
    public ImmutableSortedDictionary<string, WorkItem> WorkItems => _items;

    /// <summary>The number of work items. O(1).</summary>
    public int WorkItemCount => _items.Count;

    /// <summary>The number of dependency edges. O(1).</summary>
    public int DependencyCount => _dependencyCount;

    /// <summary>Whether a work item with <paramref name="id"/> exists. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public bool ContainsWorkItem(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _items.ContainsKey(id);
    }

    /// <summary>Gets the work item with <paramref name="id"/>. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public bool TryGetWorkItem(string id, [NotNullWhen(true)] out WorkItem? item)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _items.TryGetValue(id, out item);
    }

    /// <summary>
    /// Adds a work item. Refused with <see cref="GraphErrorCode.DuplicateId"/> when the id is taken. Dependencies that
    /// other items already declared on this id now point at it. O(log n + d) for d such dependents.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is null.</exception>
    public GraphResult AddWorkItem(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_items.ContainsKey(item.Id))
        {
            return GraphError.DuplicateWorkItem(item.Id);
        }

        WorkGraph next = Fork();
        next._items = _items.Add(item.Id, item);
        next.RefreshReadiness(item.Id);
        next.RefreshDependentsReadiness(item.Id);
        return next;
    }

    /// <summary>
    /// Adds a work item with its dependencies, all or nothing: refused when the id is taken or a dependency would close
    /// a cycle. O((1 + k) log n) for k dependencies, plus the cycle search.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> or <paramref name="dependsOn"/> is null, or
    /// <paramref name="dependsOn"/> contains null.</exception>
    public GraphResult AddWorkItem(WorkItem item, IEnumerable<string> dependsOn)
    {
        ArgumentNullException.ThrowIfNull(dependsOn);
        GraphResult result = AddWorkItem(item);
        foreach (string dependency in Structural.Ids(dependsOn))
        {
            if (!result.TryGetValue(out WorkGraph? graph))
            {
                break;
            }

            result = graph.AddDependency(item.Id, dependency);
        }

        return result;
    }

    /// <summary>
    /// Replaces the work item with the same id. Refused with <see cref="GraphErrorCode.UnknownWorkItem"/> when there is
    /// none. The graph keeps its derived state consistent (readiness of the item and its dependents, per-label counts of
    /// active runs). Returns this graph when the item is equal to the stored one. O(log n + d + r) for d dependents and
    /// r runs of the item.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is null.</exception>
    public GraphResult WithWorkItem(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!_items.TryGetValue(item.Id, out WorkItem? old))
        {
            return GraphError.UnknownWorkItem(item.Id);
        }

        if (old.Equals(item))
        {
            return this;
        }

        WorkGraph next = Fork();
        next._items = _items.SetItem(item.Id, item);
        if (!Structural.SetEqual(old.Labels, item.Labels))
        {
            next.RelabelActiveRuns(item.Id, old.Labels, item.Labels);
        }

        if (old.Status != item.Status)
        {
            next.RefreshReadiness(item.Id);
            next.RefreshDependentsReadiness(item.Id);
        }

        return next;
    }

    /// <summary>The content's summary: counts, the base version and <see cref="Now"/>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"WorkGraph(work items: {WorkItemCount}, dependencies: {DependencyCount}, runs: {RunCount}, base: {BaseVersion}, now: {Now})");

    /// <summary>
    /// Makes a graph from bulk content, computing every derived structure in one pass; refused when the dependencies
    /// contain a cycle. The caller has checked that every dependent and every run's work item is a work item.
    /// </summary>
    internal static GraphResult FromContent(
        ImmutableSortedDictionary<string, WorkItem> items,
        ImmutableSortedDictionary<string, ImmutableSortedSet<string>> dependencies,
        RunContent runs)
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

        var graph = new WorkGraph
        {
            _items = items,
            _dependencies = dependencies,
            _dependents = dependents.ToImmutable(),
            _dependencyCount = count,
        };

        ImmutableArray<string> cycle = graph.FindAnyCycle();
        if (!cycle.IsDefault)
        {
            return GraphError.Cycle(cycle, existing: true);
        }

        graph.InstallRuns(runs);
        ImmutableSortedSet<string>.Builder ready = Structural.EmptyIds.ToBuilder();
        foreach (KeyValuePair<string, WorkItem> item in items)
        {
            if (graph.ComputeReady(item.Key))
            {
                ready.Add(item.Key);
            }
        }

        graph._ready = ready.ToImmutable();
        return graph;
    }

    /// <summary>A copy to mutate before it is published. Shares every structure with this graph.</summary>
    private WorkGraph Fork()
    {
        var next = (WorkGraph)MemberwiseClone();
        next._hash = 0;
        next._admissionState = null;
        return next;
    }

    /// <summary>Holds the empty graph, created after every static field it reads (partial files initialise in no set order).</summary>
    private static class EmptyHolder
    {
        public static readonly WorkGraph Instance = new();
    }

    /// <summary>Recomputes whether <paramref name="id"/> is ready and updates the ready set.</summary>
    private void RefreshReadiness(string id)
    {
        bool ready = ComputeReady(id);
        _ready = ready ? _ready.Add(id) : _ready.Remove(id);
    }

    private void RefreshDependentsReadiness(string id)
    {
        if (_dependents.TryGetValue(id, out ImmutableSortedSet<string>? dependents))
        {
            foreach (string d in dependents)
            {
                RefreshReadiness(d);
            }
        }
    }

    private bool ComputeReady(string id)
    {
        if (!_items.TryGetValue(id, out WorkItem? item) || item.Status != WorkItemStatus.Open || HasActiveRun(id))
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
}
