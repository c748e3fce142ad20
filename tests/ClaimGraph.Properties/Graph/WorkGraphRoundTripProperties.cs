using ClaimGraph.Graph;
using ClaimGraph.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Graph;

/// <summary>
/// Every way of remaking a graph (builder, snapshot, single updates in another order) gives a graph that answers
/// every observable query as the original does, its clock <see cref="WorkGraph.Now"/> included.
/// </summary>
public class WorkGraphRoundTripProperties
{
    [Property(MaxTest = 1000)]
    public Property ToBuilder_RandomGraph_ToGraphSameOnEveryObservable() =>
        Prop.ForAll(GraphHistory.Arbitrary(), h =>
        {
            (WorkGraph graph, _) = Replay(h);
            GraphObservables.AssertSame(graph, graph.ToBuilder().ToGraph());
            GraphObservables.AssertSame(graph, graph.ToBuilder().Build().Value);
        });

    [Property(MaxTest = 1000)]
    public Property Snapshot_RandomGraph_LoadSameOnEveryObservable() =>
        Prop.ForAll(GraphHistory.Arbitrary(), h =>
        {
            (WorkGraph graph, _) = Replay(h);
            GraphObservables.AssertSame(graph, SnapshotInvariantOracle.LoadOrRefused(graph, WorkGraphSnapshot.SaveToUtf8Bytes(graph))!);
        });

    [Property(MaxTest = 1000)]
    public Property SingleUpdates_OtherOrder_SameOnEveryObservable() =>
        Prop.ForAll(GraphHistory.Arbitrary(), h =>
        {
            (WorkGraph graph, GraphModel model) = Replay(h);
            GraphObservables.AssertSame(graph, model.RebuildReversed());
        });

    /// <summary>Applies the history to the empty graph and to the model (which checks the outcome of every update).</summary>
    private static (WorkGraph Graph, GraphModel Model) Replay(GraphHistory h)
    {
        var model = new GraphModel();
        WorkGraph graph = WorkGraph.Empty;
        foreach (GraphOp op in h.Ops)
        {
            graph = model.Apply(graph, op);
        }

        return (graph, model);
    }
}
