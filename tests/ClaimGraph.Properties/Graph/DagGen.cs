using FsCheck;
using FsCheck.Fluent;
using QuikGraph;

namespace ClaimGraph.Properties.Graph;

/// <summary>
/// A directed graph on vertices 0..n-1 as a list of edges, each meaning "From depends on To", in the order they are
/// added. Generated acyclic (From &gt; To only) or arbitrary (cycles and self-loops allowed); shrinks by dropping
/// edges and unused vertices.
/// </summary>
internal sealed record EdgeSpec(int Vertices, (int From, int To)[] Edges)
{
    public static Arbitrary<EdgeSpec> Dags() => Arb.From(Generate(acyclic: true), Shrink);

    public static Arbitrary<EdgeSpec> Any() => Arb.From(Generate(acyclic: false), Shrink);

    public static string Name(int v) => "v" + v.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public IEnumerable<string> Names => Enumerable.Range(0, Vertices).Select(Name);

    /// <summary>The same edges as a QuikGraph graph in the view's orientation (dependency → dependent).</summary>
    public BidirectionalGraph<string, SEquatableEdge<string>> ToQuikGraph(IEnumerable<(int From, int To)>? edges = null)
    {
        var g = new BidirectionalGraph<string, SEquatableEdge<string>>(allowParallelEdges: false);
        g.AddVertexRange(Names);
        foreach ((int from, int to) in edges ?? Edges)
        {
            var e = new SEquatableEdge<string>(Name(to), Name(from));
            if (!g.ContainsEdge(e))
            {
                g.AddEdge(e);
            }
        }

        return g;
    }

    public override string ToString() => $"{Vertices} vertices, edges [{string.Join(", ", Edges.Select(e => $"{e.From}->{e.To}"))}]";

    private static Gen<EdgeSpec> Generate(bool acyclic) =>
        from n in Gen.Choose(1, 12)
        from m in Gen.Choose(0, 30)
        from pairs in Gen.ArrayOf(Gen.Choose(0, n - 1).Two(), m)
        select new EdgeSpec(n, [.. pairs.Select(p => acyclic ? Orient(p.Item1, p.Item2) : (p.Item1, p.Item2)).Where(p => !acyclic || p.Item1 != p.Item2)]);

    private static (int, int) Orient(int a, int b) => a > b ? (a, b) : (b, a);

    private static IEnumerable<EdgeSpec> Shrink(EdgeSpec spec)
    {
        int used = spec.Edges.Length == 0 ? 0 : spec.Edges.Max(e => Math.Max(e.From, e.To)) + 1;
        if (used < spec.Vertices)
        {
            yield return spec with { Vertices = Math.Max(1, used) };
        }

        for (int i = 0; i < spec.Edges.Length; i++)
        {
            yield return spec with { Edges = [.. spec.Edges[..i], .. spec.Edges[(i + 1)..]] };
        }
    }
}
