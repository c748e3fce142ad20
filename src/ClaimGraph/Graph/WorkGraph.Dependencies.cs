using System.Collections.Immutable;

namespace ClaimGraph.Graph;

public sealed partial class WorkGraph
{
    /// <summary>
    /// The work items that are ready: open, every dependency known and <see cref="WorkItemStatus.Done"/>, and no run
    /// of theirs active. Ordinal order. Maintained on every change, so reading it is O(1).
    /// </summary>
    public ImmutableSortedSet<string> ReadyWorkItems => _dag.Ready;

    /// <summary>Whether the work item <paramref name="id"/> is in <see cref="ReadyWorkItems"/>. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public bool IsReady(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _dag.Ready.Contains(id);
    }

    /// <summary>
    /// The work items <paramref name="id"/> depends on directly (ordinal order; empty when none). A dependency may name
    /// an id that is not (yet) a work item: such an item is never done, so the dependent is not ready. O(log n).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public ImmutableSortedSet<string> DependenciesOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _dag.DependenciesOf(id);
    }

    /// <summary>The work items that depend directly on <paramref name="id"/> (ordinal order; empty when none). O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public ImmutableSortedSet<string> DependentsOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _dag.DependentsOf(id);
    }

    /// <summary>Whether <paramref name="dependent"/> depends directly on <paramref name="dependency"/>. O(log n).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public bool HasDependency(string dependent, string dependency)
    {
        ArgumentNullException.ThrowIfNull(dependent);
        ArgumentNullException.ThrowIfNull(dependency);
        return _dag.HasEdge(dependent, dependency);
    }

    /// <summary>
    /// Makes <paramref name="dependent"/> depend on <paramref name="dependency"/>. Refused with
    /// <see cref="GraphErrorCode.UnknownWorkItem"/> when the dependent is not a work item, and with
    /// <see cref="GraphErrorCode.DependencyCycle"/> when the edge would close a cycle; the error's
    /// <see cref="GraphError.Ids"/> then lists a shortest such cycle in order (dependent first; a self-dependency gives
    /// one member). The dependency itself may be unknown (it then blocks the dependent until it is added and done).
    /// Adding an existing edge returns this graph. O(log n) plus the cycle search, which visits at most the
    /// dependency's transitive dependencies.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument is empty.</exception>
    public GraphResult AddDependency(string dependent, string dependency)
    {
        GraphIds.Require(dependent, nameof(dependent));
        GraphIds.Require(dependency, nameof(dependency));
        if (!_dag.Contains(dependent))
        {
            return GraphError.UnknownWorkItem(dependent);
        }

        if (_dag.HasEdge(dependent, dependency))
        {
            return this;
        }

        ImmutableArray<string> cycle = _dag.FindCycleThrough(dependent, dependency);
        return cycle.IsDefault ? With(dag: _dag.AddEdge(dependent, dependency, _runs)) : GraphError.Cycle(cycle);
    }

    /// <summary>
    /// Removes the dependency of <paramref name="dependent"/> on <paramref name="dependency"/>. Refused with
    /// <see cref="GraphErrorCode.UnknownWorkItem"/> when the dependent is not a work item; removing an edge that is not
    /// there returns this graph. O(log n).
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument is empty.</exception>
    public GraphResult RemoveDependency(string dependent, string dependency)
    {
        GraphIds.Require(dependent, nameof(dependent));
        GraphIds.Require(dependency, nameof(dependency));
        if (!_dag.Contains(dependent))
        {
            return GraphError.UnknownWorkItem(dependent);
        }

        return _dag.HasEdge(dependent, dependency) ? With(dag: _dag.RemoveEdge(dependent, dependency, _runs)) : this;
    }

    /// <summary>
    /// Every vertex of the dependency DAG, dependencies before their dependents, ties broken by ordinal id (the
    /// lexicographically smallest such order, so it is deterministic). The vertices are the work items plus any ids
    /// that dependencies name but that are not work items. O((V + E) log V).
    /// </summary>
    public ImmutableArray<string> TopologicalOrder() => _dag.TopologicalOrder();

    /// <summary>
    /// Every id that <paramref name="id"/> depends on directly or transitively (ordinal order; excludes
    /// <paramref name="id"/>). O(k log n) for k results.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public ImmutableArray<string> TransitiveDependencies(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _dag.TransitiveDependencies(id);
    }

    /// <summary>
    /// Every work item that depends on <paramref name="id"/> directly or transitively (ordinal order; excludes
    /// <paramref name="id"/>). O(k log n) for k results.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public ImmutableArray<string> TransitiveDependents(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _dag.TransitiveDependents(id);
    }

    /// <summary>
    /// Explains why the work item <paramref name="id"/> is or is not ready, listing every blocker (see
    /// <see cref="ReadinessExplanation"/>). O(k log n) for the k items visited in its dependency closure.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public ReadinessExplanation ExplainReadiness(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _dag.ExplainReadiness(id, _runs.ActiveRunIdsOf(id));
    }

    /// <summary>
    /// A read-only view of the dependency DAG for QuikGraph's algorithms. Vertices are the work items plus ids that
    /// dependencies name without a work item; each edge goes from a dependency to its dependent, so a topological sort
    /// lists dependencies first. The view shares this snapshot (no copy) and is as thread-safe as it. O(1).
    /// </summary>
    public QuikGraph.IBidirectionalGraph<string, QuikGraph.SEquatableEdge<string>> AsQuikGraph() => new WorkGraphView(this);
}
