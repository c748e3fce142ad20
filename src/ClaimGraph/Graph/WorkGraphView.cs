using System.Collections.Immutable;
using QuikGraph;

namespace ClaimGraph.Graph;

/// <summary>
/// A read-only view of a graph's dependency DAG through QuikGraph's interfaces, so QuikGraph's algorithms
/// (topological sort, strongly connected components, shortest paths, …) run on a snapshot without copying it.
/// </summary>
/// <remarks>
/// Vertices are the work items plus ids that dependencies name without a work item (ordinal order). An edge goes
/// from a dependency to its dependent (<c>Source</c> must finish before <c>Target</c>), so a source-first topological
/// sort lists work in an order it can be done. Reading is O(log n) per call; indexed edge access
/// (<c>OutEdge</c>, <c>InEdge</c>) is O(log n). Thread-safe, like the snapshot it views.
/// </remarks>
internal sealed class WorkGraphView : IBidirectionalGraph<string, SEquatableEdge<string>>
{
    private readonly WorkGraph _graph;
    private int _vertexCount = -1;

    public WorkGraphView(WorkGraph graph) => _graph = graph;

    public bool IsDirected => true;

    public bool AllowParallelEdges => false;

    public bool IsVerticesEmpty => VertexCount == 0;

    public int VertexCount
    {
        get
        {
            if (_vertexCount < 0)
            {
                int count = _graph.WorkItemCount;
                foreach (string target in _graph.Dag.DependentMap.Keys)
                {
                    count += _graph.WorkItems.ContainsKey(target) ? 0 : 1;
                }

                _vertexCount = count;
            }

            return _vertexCount;
        }
    }

    public IEnumerable<string> Vertices => _graph.Dag.Vertices();

    public bool IsEdgesEmpty => _graph.DependencyCount == 0;

    public int EdgeCount => _graph.DependencyCount;

    public IEnumerable<SEquatableEdge<string>> Edges
    {
        get
        {
            foreach (KeyValuePair<string, ImmutableSortedSet<string>> entry in _graph.Dag.DependencyMap)
            {
                foreach (string dependency in entry.Value)
                {
                    yield return new SEquatableEdge<string>(dependency, entry.Key);
                }
            }
        }
    }

    public bool ContainsVertex(string vertex)
    {
        ArgumentNullException.ThrowIfNull(vertex);
        return _graph.Dag.IsVertex(vertex);
    }

    public bool ContainsEdge(SEquatableEdge<string> edge) => ContainsEdge(edge.Source, edge.Target);

    public bool ContainsEdge(string source, string target) => _graph.HasDependency(target, source);

    public bool TryGetEdge(string source, string target, out SEquatableEdge<string> edge)
    {
        bool found = ContainsEdge(source, target);
        edge = found ? new SEquatableEdge<string>(source, target) : default;
        return found;
    }

    public bool TryGetEdges(string source, string target, out IEnumerable<SEquatableEdge<string>> edges)
    {
        if (!ContainsVertex(source))
        {
            edges = null!;
            return false;
        }

        edges = TryGetEdge(source, target, out SEquatableEdge<string> edge) ? [edge] : [];
        return true;
    }

    public bool IsOutEdgesEmpty(string vertex) => OutDegree(vertex) == 0;

    public int OutDegree(string vertex) => Dependents(vertex).Count;

    public IEnumerable<SEquatableEdge<string>> OutEdges(string vertex) => OutEdgesOf(vertex, Dependents(vertex));

    public bool TryGetOutEdges(string vertex, out IEnumerable<SEquatableEdge<string>> edges)
    {
        bool found = ContainsVertex(vertex);
        edges = found ? OutEdges(vertex) : null!;
        return found;
    }

    public SEquatableEdge<string> OutEdge(string vertex, int index) => new(vertex, Dependents(vertex)[index]);

    public bool IsInEdgesEmpty(string vertex) => InDegree(vertex) == 0;

    public int InDegree(string vertex) => Dependencies(vertex).Count;

    public IEnumerable<SEquatableEdge<string>> InEdges(string vertex) => InEdgesOf(vertex, Dependencies(vertex));

    public bool TryGetInEdges(string vertex, out IEnumerable<SEquatableEdge<string>> edges)
    {
        bool found = ContainsVertex(vertex);
        edges = found ? InEdges(vertex) : null!;
        return found;
    }

    public SEquatableEdge<string> InEdge(string vertex, int index) => new(Dependencies(vertex)[index], vertex);

    public int Degree(string vertex) => InDegree(vertex) + OutDegree(vertex);

    private static IEnumerable<SEquatableEdge<string>> OutEdgesOf(string vertex, ImmutableSortedSet<string> dependents)
    {
        foreach (string dependent in dependents)
        {
            yield return new SEquatableEdge<string>(vertex, dependent);
        }
    }

    private static IEnumerable<SEquatableEdge<string>> InEdgesOf(string vertex, ImmutableSortedSet<string> dependencies)
    {
        foreach (string dependency in dependencies)
        {
            yield return new SEquatableEdge<string>(dependency, vertex);
        }
    }

    private ImmutableSortedSet<string> Dependents(string vertex) =>
        ContainsVertex(vertex) ? _graph.DependentsOf(vertex) : throw new VertexNotFoundException($"'{vertex}' is not a vertex of the dependency graph.");

    private ImmutableSortedSet<string> Dependencies(string vertex) =>
        ContainsVertex(vertex) ? _graph.DependenciesOf(vertex) : throw new VertexNotFoundException($"'{vertex}' is not a vertex of the dependency graph.");
}
