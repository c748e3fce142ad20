using System.Collections.Immutable;
using ClaimGraph.Graph;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using QuikGraph;
using QuikGraph.Algorithms;

namespace ClaimGraph.Properties.Graph;

/// <summary>The dependency DAG against QuikGraph's own algorithms on a plain copy of the same edges.</summary>
public class DagProperties
{
    [Property(MaxTest = 1000)]
    public Property AddDependency_RandomEdges_RefusedExactlyWhenQuikGraphSeesACycle() =>
        Prop.ForAll(EdgeSpec.Any(), spec =>
        {
            WorkGraph g = Start(spec);
            BidirectionalGraph<string, SEquatableEdge<string>> quik = spec.ToQuikGraph([]);
            foreach ((int from, int to) in spec.Edges)
            {
                GraphResult r = g.AddDependency(EdgeSpec.Name(from), EdgeSpec.Name(to));
                var edge = new SEquatableEdge<string>(EdgeSpec.Name(to), EdgeSpec.Name(from));
                if (quik.ContainsEdge(edge))
                {
                    Assert.Same(g, r.Value);
                    continue;
                }

                quik.AddEdge(edge);
                bool cyclicWithEdge = !quik.IsDirectedAcyclicGraph();
                if (r.TryGetValue(out WorkGraph? next))
                {
                    Assert.False(cyclicWithEdge, $"accepted {from}->{to} although it closes a cycle; {spec}");
                    g = next;
                    continue;
                }

                Assert.True(cyclicWithEdge, $"refused {from}->{to} ({r.Error}) although QuikGraph sees no cycle; {spec}");
                Assert.Equal(GraphErrorCode.DependencyCycle, r.Error!.Code);
                AssertCycle(r.Error.Ids, quik);
                quik.RemoveEdge(edge);
                AssertShortestCycleThroughEdge(r.Error.Ids, from, to, quik);
            }

            Assert.Equal(quik.EdgeCount, g.DependencyCount);
        });

    [Property(MaxTest = 1000)]
    public Property TopologicalOrder_RandomDag_ValidSmallestAndAcceptedByQuikGraph() =>
        Prop.ForAll(EdgeSpec.Dags(), spec =>
        {
            WorkGraph g = Start(spec);
            foreach ((int from, int to) in spec.Edges)
            {
                g = g.AddDependency(EdgeSpec.Name(from), EdgeSpec.Name(to)).Value;
            }

            ImmutableArray<string> order = g.TopologicalOrder();
            BidirectionalGraph<string, SEquatableEdge<string>> copy = spec.ToQuikGraph();
            Assert.Equal<string>(SmallestTopologicalOrder(copy), order);
            AssertTopological(copy, order);
            AssertTopological(copy, [.. copy.TopologicalSort()]);
            AssertTopological(copy, [.. g.AsQuikGraph().TopologicalSort()]);
            AssertTopological(copy, [.. g.AsQuikGraph().SourceFirstTopologicalSort()]);
        });

    [Property(MaxTest = 1000)]
    public Property Build_RandomEdges_CycleReportedExactlyWhenQuikGraphSeesOne() =>
        Prop.ForAll(EdgeSpec.Any(), spec =>
        {
            WorkGraphBuilder b = WorkGraph.CreateBuilder();
            foreach (string v in spec.Names)
            {
                b.AddWorkItem(new WorkItem(v));
            }

            foreach ((int from, int to) in spec.Edges)
            {
                b.AddDependency(EdgeSpec.Name(from), EdgeSpec.Name(to));
            }

            GraphResult r = b.Build();
            BidirectionalGraph<string, SEquatableEdge<string>> copy = spec.ToQuikGraph();
            Assert.Equal(copy.IsDirectedAcyclicGraph(), r.IsSuccess);
            if (!r.IsSuccess)
            {
                Assert.Equal(GraphErrorCode.DependencyCycle, r.Error.Code);
                AssertCycle(r.Error.Ids, copy);
            }
        });

    [Property(MaxTest = 1000)]
    public Property View_RandomDag_SameGraphAsPlainCopyForQuikGraph() =>
        Prop.ForAll(EdgeSpec.Dags(), spec =>
        {
            WorkGraph g = Start(spec);
            foreach ((int from, int to) in spec.Edges)
            {
                g = g.AddDependency(EdgeSpec.Name(from), EdgeSpec.Name(to)).Value;
            }

            IBidirectionalGraph<string, SEquatableEdge<string>> view = g.AsQuikGraph();
            BidirectionalGraph<string, SEquatableEdge<string>> copy = spec.ToQuikGraph();
            Assert.Equal(copy.Vertices.Order(StringComparer.Ordinal), view.Vertices);
            Assert.Equal(copy.EdgeCount, view.EdgeCount);
            Assert.Equal(copy.Edges.ToHashSet(), view.Edges.ToHashSet());
            foreach (string v in copy.Vertices)
            {
                Assert.Equal(copy.OutEdges(v).ToHashSet(), view.OutEdges(v).ToHashSet());
                Assert.Equal(copy.InEdges(v).ToHashSet(), view.InEdges(v).ToHashSet());
                Assert.Equal(copy.Degree(v), view.Degree(v));

                // Transitive dependencies are what reaches v; dependents are what v reaches.
                Assert.Equal<string>(Reach(copy, v, forward: false), g.TransitiveDependencies(v));
                Assert.Equal<string>(Reach(copy, v, forward: true), g.TransitiveDependents(v));
            }

            var components = new Dictionary<string, int>();
            Assert.Equal(copy.VertexCount, view.StronglyConnectedComponents(components));
        });

    private static WorkGraph Start(EdgeSpec spec)
    {
        WorkGraph g = WorkGraph.Empty;
        foreach (string v in spec.Names)
        {
            g = g.AddWorkItem(new WorkItem(v)).Value;
        }

        return g;
    }

    /// <summary>
    /// The cycle starts with the refused edge's dependent, then its dependency, and is as short as any cycle through
    /// that edge: one more than the fewest edges from the dependent to the dependency in the graph before the edge
    /// (view orientation).
    /// </summary>
    private static void AssertShortestCycleThroughEdge(ImmutableArray<string> cycle, int from, int to, BidirectionalGraph<string, SEquatableEdge<string>> before)
    {
        Assert.Equal(EdgeSpec.Name(from), cycle[0]);
        if (cycle.Length > 1)
        {
            Assert.Equal(EdgeSpec.Name(to), cycle[1]);
        }

        int shortest = from == to ? 0 : Distance(before, EdgeSpec.Name(from), EdgeSpec.Name(to));
        Assert.Equal(shortest + 1, cycle.Length);
    }

    /// <summary>Each member depends on the next and the last on the first; no member repeats.</summary>
    private static void AssertCycle(ImmutableArray<string> cycle, BidirectionalGraph<string, SEquatableEdge<string>> graph)
    {
        Assert.NotEmpty(cycle);
        Assert.Equal(cycle.Length, cycle.Distinct().Count());
        for (int i = 0; i < cycle.Length; i++)
        {
            string dependent = cycle[i];
            string dependency = cycle[(i + 1) % cycle.Length];
            Assert.True(graph.ContainsEdge(dependency, dependent), $"{dependent} does not depend on {dependency} in [{string.Join(", ", cycle)}]");
        }
    }

    private static int Distance(BidirectionalGraph<string, SEquatableEdge<string>> graph, string source, string target)
    {
        TryFunc<string, IEnumerable<SEquatableEdge<string>>> paths = graph.ShortestPathsDijkstra(_ => 1.0, source);
        Assert.True(paths(target, out IEnumerable<SEquatableEdge<string>>? path));
        return path!.Count();
    }

    private static void AssertTopological(BidirectionalGraph<string, SEquatableEdge<string>> graph, ImmutableArray<string> order)
    {
        Assert.Equal(graph.Vertices.Order(StringComparer.Ordinal), order.Order(StringComparer.Ordinal));
        var position = new Dictionary<string, int>();
        for (int i = 0; i < order.Length; i++)
        {
            position[order[i]] = i;
        }

        foreach (SEquatableEdge<string> e in graph.Edges)
        {
            Assert.True(position[e.Source] < position[e.Target], $"{e.Target} comes before its dependency {e.Source}");
        }
    }

    /// <summary>The definition, plainly: repeatedly take the smallest vertex whose dependencies are all taken.</summary>
    private static List<string> SmallestTopologicalOrder(BidirectionalGraph<string, SEquatableEdge<string>> graph)
    {
        var taken = new List<string>();
        var done = new HashSet<string>();
        while (taken.Count < graph.VertexCount)
        {
            string next = graph.Vertices
                .Where(v => !done.Contains(v) && graph.InEdges(v).All(e => done.Contains(e.Source)))
                .Order(StringComparer.Ordinal)
                .First();
            taken.Add(next);
            done.Add(next);
        }

        return taken;
    }

    private static List<string> Reach(BidirectionalGraph<string, SEquatableEdge<string>> graph, string start, bool forward)
    {
        var seen = new HashSet<string> { start };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out string? v))
        {
            IEnumerable<string> next = forward ? graph.OutEdges(v).Select(e => e.Target) : graph.InEdges(v).Select(e => e.Source);
            foreach (string n in next)
            {
                if (seen.Add(n))
                {
                    queue.Enqueue(n);
                }
            }
        }

        seen.Remove(start);
        return [.. seen.Order(StringComparer.Ordinal)];
    }
}
