using ClaimGraph.Graph;
using QuikGraph;
using QuikGraph.Algorithms;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Graph;

public class WorkGraphViewTests
{
    // c depends on b and a; b depends on a; d depends on the unknown x.
    private static readonly WorkGraph Sample = Items("a", "b", "c", "d").Edges("c->b", "c->a", "b->a", "d->x");

    [Fact]
    public void Vertices_WorkItemsAndUnknownTargets_Ordinal()
    {
        IBidirectionalGraph<string, SEquatableEdge<string>> view = Sample.AsQuikGraph();
        Assert.Equal<string>(["a", "b", "c", "d", "x"], view.Vertices);
        Assert.Equal(5, view.VertexCount);
        Assert.False(view.IsVerticesEmpty);
        Assert.True(view.ContainsVertex("x"));
        Assert.False(view.ContainsVertex("y"));
        Assert.True(view.IsDirected);
        Assert.False(view.AllowParallelEdges);
    }

    [Fact]
    public void Edges_FromDependencyToDependent()
    {
        IBidirectionalGraph<string, SEquatableEdge<string>> view = Sample.AsQuikGraph();
        Assert.Equal(4, view.EdgeCount);
        Assert.Equal(
            [new("a", "b"), new("a", "c"), new("b", "c"), new("x", "d")],
            view.Edges.OrderBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.Target, StringComparer.Ordinal));
        Assert.True(view.ContainsEdge("a", "b"));
        Assert.False(view.ContainsEdge("b", "a"));
        Assert.True(view.ContainsEdge(new SEquatableEdge<string>("x", "d")));
        Assert.True(view.TryGetEdge("a", "c", out SEquatableEdge<string> e));
        Assert.Equal(new SEquatableEdge<string>("a", "c"), e);
        Assert.False(view.TryGetEdge("c", "a", out _));
        Assert.True(view.TryGetEdges("a", "b", out IEnumerable<SEquatableEdge<string>> es));
        Assert.Single(es);
        Assert.True(view.TryGetEdges("a", "d", out es));
        Assert.Empty(es);
        Assert.False(view.TryGetEdges("nope", "a", out _));
    }

    [Fact]
    public void Incidence_OutAreDependentsInAreDependencies()
    {
        IBidirectionalGraph<string, SEquatableEdge<string>> view = Sample.AsQuikGraph();
        Assert.Equal(2, view.OutDegree("a"));
        Assert.Equal<string>(["b", "c"], view.OutEdges("a").Select(e => e.Target));
        Assert.Equal(new SEquatableEdge<string>("a", "c"), view.OutEdge("a", 1));
        Assert.Equal(2, view.InDegree("c"));
        Assert.Equal<string>(["a", "b"], view.InEdges("c").Select(e => e.Source));
        Assert.Equal(new SEquatableEdge<string>("b", "c"), view.InEdge("c", 1));
        Assert.Equal(2, view.Degree("b"));
        Assert.Equal(2, view.Degree("a"));
        Assert.True(view.IsOutEdgesEmpty("c"));
        Assert.True(view.IsInEdgesEmpty("a"));
        Assert.True(view.TryGetOutEdges("x", out IEnumerable<SEquatableEdge<string>> outs));
        Assert.Single(outs);
        Assert.True(view.TryGetInEdges("d", out IEnumerable<SEquatableEdge<string>> ins));
        Assert.Single(ins);
        Assert.False(view.TryGetOutEdges("nope", out _));
        Assert.False(view.TryGetInEdges("nope", out _));
        Assert.Throws<VertexNotFoundException>(() => view.OutEdges("nope"));
        Assert.Throws<VertexNotFoundException>(() => view.InDegree("nope"));
    }

    [Fact]
    public void TopologicalSort_QuikGraph_AgreesWithDependencyOrder()
    {
        List<string> order = Sample.AsQuikGraph().TopologicalSort().ToList();
        Assert.Equal(5, order.Count);
        Assert.True(order.IndexOf("a") < order.IndexOf("b"));
        Assert.True(order.IndexOf("b") < order.IndexOf("c"));
        Assert.True(order.IndexOf("x") < order.IndexOf("d"));
        Assert.Equal(Sample.TopologicalOrder().Order(StringComparer.Ordinal), Sample.AsQuikGraph().SourceFirstTopologicalSort().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void StronglyConnectedComponents_Dag_AllSingletons()
    {
        var components = new Dictionary<string, int>();
        int count = Sample.AsQuikGraph().StronglyConnectedComponents(components);
        Assert.Equal(5, count);
        Assert.Equal(5, components.Values.Distinct().Count());
    }

    [Fact]
    public void ShortestPaths_Dijkstra_RunsOnView()
    {
        TryFunc<string, IEnumerable<SEquatableEdge<string>>> paths = Sample.AsQuikGraph().ShortestPathsDijkstra(_ => 1.0, "a");
        Assert.True(paths("c", out IEnumerable<SEquatableEdge<string>>? path));
        Assert.Equal([new SEquatableEdge<string>("a", "c")], path);
        Assert.False(paths("d", out _));
    }

    [Fact]
    public void Empty_ViewIsEmpty()
    {
        IBidirectionalGraph<string, SEquatableEdge<string>> view = WorkGraph.Empty.AsQuikGraph();
        Assert.True(view.IsVerticesEmpty);
        Assert.True(view.IsEdgesEmpty);
        Assert.Empty(view.TopologicalSort());
    }
}
