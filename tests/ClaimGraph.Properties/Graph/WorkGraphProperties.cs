using ClaimGraph.Graph;
using ClaimGraph.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Graph;

/// <summary>The work graph against a plain model on random update histories.</summary>
public class WorkGraphProperties
{
    [Property(MaxTest = 1000)]
    public Property Updates_RandomHistory_MatchModelAndOldVersionsStayUnchanged() =>
        Prop.ForAll(GraphHistory.Arbitrary(), h =>
        {
            var versions = new List<(WorkGraph Graph, GraphModel Model, int Hash)>();
            WorkGraph graph = WorkGraph.Empty;
            var model = new GraphModel();
            versions.Add((graph, model.Clone(), graph.GetHashCode()));
            foreach (GraphOp op in h.Ops)
            {
                graph = model.Apply(graph, op);
                model.AssertMatches(graph);
                versions.Add((graph, model.Clone(), graph.GetHashCode()));
            }

            // Every earlier graph still holds exactly what it held when it was made.
            foreach ((WorkGraph old, GraphModel oldModel, int hash) in versions)
            {
                oldModel.AssertMatches(old, contentOnly: true);
                Assert.Equal<string>(oldModel.ReadyIds(), old.ReadyWorkItems.ToArray());
                Assert.Equal(hash, old.GetHashCode());
            }
        });

    [Property(MaxTest = 1000)]
    public Property Equality_SameContentOtherOrder_EqualWithSameHash() =>
        Prop.ForAll(GraphHistory.Arbitrary(), h =>
        {
            WorkGraph graph = WorkGraph.Empty;
            var model = new GraphModel();
            foreach (GraphOp op in h.Ops)
            {
                graph = model.Apply(graph, op);
            }

            WorkGraph rebuilt = model.RebuildReversed();
            Assert.Equal(graph, rebuilt);
            Assert.Equal(rebuilt, graph);
            Assert.Equal(graph.GetHashCode(), rebuilt.GetHashCode());
            Assert.Equal([.. graph.ReadyWorkItems], [.. rebuilt.ReadyWorkItems]);
            Assert.Equal([.. graph.AdmissionQueue], [.. rebuilt.AdmissionQueue]);
            Assert.Equal<string>(graph.IndexedRunIds.ToArray(), rebuilt.IndexedRunIds.ToArray());
            Assert.Equal(graph.ActiveRunCountsByLabel, rebuilt.ActiveRunCountsByLabel);
            Assert.Equal<string>(graph.TopologicalOrder(), rebuilt.TopologicalOrder());
            Assert.Equal(graph, graph.ToBuilder().ToGraph());

            // Any change of content breaks equality.
            Assert.NotEqual(graph, graph.MarkEventProcessed("not-yet-seen"));
            Assert.NotEqual(graph, graph.IssueFencingToken(out _));
            Assert.NotEqual(graph, graph.WithNow(graph.Now + 1));
            Assert.NotEqual(graph, graph.AdvanceBase(graph.BaseVersion + 1, []).Value);
        });

    [Property(MaxTest = 1000)]
    public Property Snapshot_RandomGraph_RoundTripsToEqualGraphAndSameBytes() =>
        Prop.ForAll(GraphHistory.Arbitrary(), h =>
        {
            WorkGraph graph = WorkGraph.Empty;
            var model = new GraphModel();
            foreach (GraphOp op in h.Ops)
            {
                graph = model.Apply(graph, op);
            }

            byte[] saved = WorkGraphSnapshot.SaveToUtf8Bytes(graph);
            WorkGraph loaded = SnapshotInvariantOracle.LoadOrRefused(graph, saved)!;
            Assert.Equal(graph, loaded);
            Assert.Equal(graph.GetHashCode(), loaded.GetHashCode());
            model.AssertMatches(loaded);
            Assert.Equal(saved, WorkGraphSnapshot.SaveToUtf8Bytes(loaded));
            Assert.Equal(graph, WorkGraphSnapshot.Load(WorkGraphSnapshot.Save(graph, indented: true), new SnapshotLoadOptions { CheckInvariants = false }));
        });
}
