using System.Collections.Immutable;
using ClaimGraph.Graph;

namespace ClaimGraph.Tests.Graph.Parts;

/// <summary>The work-item DAG on its own: edges both ways, readiness from the activity it is given, cycles.</summary>
public class WorkItemDagTests
{
    /// <summary>An activity that says a run is active for the listed items only.</summary>
    private sealed class Busy(params string[] items) : IRunActivity
    {
        public bool HasActiveRun(string workItemId) => items.Contains(workItemId);
    }

    private static readonly Busy Idle = new();

    private static WorkItemDag Dag(params string[] ids)
    {
        WorkItemDag dag = WorkItemDag.Empty;
        foreach (string id in ids)
        {
            dag = dag.Add(new WorkItem(id), Idle);
        }

        return dag;
    }

    [Fact]
    public void AddEdge_Open_DependentNotReadyUntilDependencyDone()
    {
        WorkItemDag dag = Dag("a", "b").AddEdge("a", "b", Idle);

        Assert.Equal<string>(["b"], dag.Ready);
        Assert.Equal<string>(["b"], dag.DependenciesOf("a"));
        Assert.Equal<string>(["a"], dag.DependentsOf("b"));
        Assert.Equal(1, dag.EdgeCount);

        WorkItem b = dag.Items["b"];
        dag = dag.Replace(b, b with { Status = WorkItemStatus.Done }, Idle);
        Assert.Equal<string>(["a"], dag.Ready);
    }

    [Fact]
    public void Add_ItemOthersAlreadyNamed_DependentsGetReadiness()
    {
        WorkItemDag dag = Dag("a").AddEdge("a", "later", Idle);
        Assert.Empty(dag.Ready);
        Assert.True(dag.IsVertex("later"));
        Assert.False(dag.Contains("later"));

        dag = dag.Add(new WorkItem("later") { Status = WorkItemStatus.Done }, Idle);

        Assert.Equal<string>(["a"], dag.Ready);
    }

    [Fact]
    public void WithReadinessOf_ItemWithActiveRun_NotReady()
    {
        WorkItemDag dag = Dag("a", "b");

        WorkItemDag busy = dag.WithReadinessOf("a", new Busy("a"));

        Assert.Equal<string>(["b"], busy.Ready);
        Assert.Same(busy, busy.WithReadinessOf("a", new Busy("a")));
        Assert.Equal<string>(["a", "b"], busy.WithReadinessOf("a", Idle).Ready);
    }

    [Fact]
    public void RemoveEdge_LastEdge_MapsHaveNoEmptySets()
    {
        WorkItemDag dag = Dag("a", "b").AddEdge("a", "b", Idle).RemoveEdge("a", "b", Idle);

        Assert.Empty(dag.DependencyMap);
        Assert.Empty(dag.DependentMap);
        Assert.Equal(0, dag.EdgeCount);
        Assert.Equal<string>(["a", "b"], dag.Ready);
    }

    [Fact]
    public void FindCycleThrough_ClosingEdge_ShortestCycleDependentFirst()
    {
        WorkItemDag dag = Dag("a", "b", "c").AddEdge("a", "b", Idle).AddEdge("b", "c", Idle);

        Assert.Equal<string>(["c", "a", "b"], dag.FindCycleThrough("c", "a"));
        Assert.True(dag.FindCycleThrough("a", "c").IsDefault);
        Assert.Equal<string>(["a"], dag.FindCycleThrough("a", "a"));
    }

    [Fact]
    public void Create_CyclicContent_ReturnsCycle()
    {
        ImmutableSortedDictionary<string, WorkItem> items = Dag("a", "b").Items;
        ImmutableSortedDictionary<string, ImmutableSortedSet<string>> edges = ImmutableSortedDictionary.CreateRange(
            StringComparer.Ordinal,
            [
                KeyValuePair.Create("a", ImmutableSortedSet.Create(StringComparer.Ordinal, "b")),
                KeyValuePair.Create("b", ImmutableSortedSet.Create(StringComparer.Ordinal, "a")),
            ]);

        Assert.Null(WorkItemDag.Create(items, edges, out ImmutableArray<string> cycle));
        Assert.Equal<string>(["a", "b"], cycle);
    }

    [Fact]
    public void Create_SameContentAsUpdates_EqualContentAndReadiness()
    {
        WorkItemDag updated = Dag("a", "b", "c").AddEdge("a", "b", Idle).AddEdge("c", "missing", Idle);

        WorkItemDag? built = WorkItemDag.Create(updated.Items, updated.DependencyMap, out ImmutableArray<string> cycle);

        Assert.True(cycle.IsDefault);
        Assert.NotNull(built);
        built = built.WithAllReadiness(Idle);
        Assert.True(built.ContentEquals(updated));
        Assert.Equal(updated.Ready, built.Ready);
        Assert.Equal(updated.DependentMap.Keys, built.DependentMap.Keys);
        Assert.Equal<string>(["a", "b", "c", "missing"], built.Vertices());
    }

    [Fact]
    public void ExplainReadiness_ActiveRunsGiven_ListedAfterTheItemAndBeforeDependencies()
    {
        WorkItemDag dag = Dag("a", "b").AddEdge("a", "b", Idle);

        ReadinessExplanation why = dag.ExplainReadiness("a", ["r1"]);

        Assert.Equal(
            [ReadinessBlockerKind.RunActive, ReadinessBlockerKind.DependencyOpen],
            why.Blockers.Select(b => b.Kind));
        Assert.Equal("r1", why.Blockers[0].Id);
        Assert.Equal<string>(["b"], why.Blockers[1].Path);
    }
}
