using ClaimGraph.Graph;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Graph;

public partial class WorkGraphBuilderTests
{
    [Fact]
    public void Build_SameContentAsSingleUpdates_EqualGraph()
    {
        WorkGraph expected = Items("a", "b", "c").Edges("c->b", "b->a", "c->x")
            .AddRun(Run("r1", "a", status: RunStatus.Active) with { AdmittedBase = 2, FencingToken = 4 }).Value
            .AddRun(Run("r2", "b", "write docs/**")).Value
            .MarkEventProcessed("e1")
            .AdvanceBase(2, ["src/a"], "r1").Value;

        WorkGraph built = WorkGraph.CreateBuilder()
            .AddDependency("c", "b")
            .AddWorkItem(new WorkItem("c"))
            .AddWorkItem(new WorkItem("b"))
            .AddDependency("b", "a")
            .AddDependency("c", "x")
            .AddWorkItem(new WorkItem("a"))
            .AddRun(Run("r2", "b", "write docs/**"))
            .AddRun(Run("r1", "a", status: RunStatus.Active) with { AdmittedBase = 2, FencingToken = 4 })
            .MarkEventProcessed("e1")
            .AddMergedChange(new MergedChange(2, ["src/a"], "r1"))
            .ToGraph();

        Assert.Equal(expected, built);
        Assert.Equal(expected.GetHashCode(), built.GetHashCode());
        Assert.Equal(expected.ReadyWorkItems, built.ReadyWorkItems);
        Assert.Equal(expected.AdmissionQueue, built.AdmissionQueue);
        Assert.Equal(expected.IndexedRunIds, built.IndexedRunIds);
        Assert.Equal(expected.ActiveRunCount, built.ActiveRunCount);
        Assert.Equal(expected.OldestActiveBase, built.OldestActiveBase);
        Assert.Equal(expected.DependentsOf("b"), built.DependentsOf("b"));
        Assert.Equal(expected.DependencyCount, built.DependencyCount);
        Assert.Equal(5, built.NextFencingToken);
    }

    [Fact]
    public void ToBuilder_ChangeAndBuild_OriginalUnchanged()
    {
        WorkGraph g = Items("a", "b");
        WorkGraph h = g.ToBuilder().AddDependency("a", "b").SetWorkItem(new WorkItem("b") { Status = WorkItemStatus.Done }).ToGraph();
        Assert.True(h.HasDependency("a", "b"));
        Assert.Equal<string>(["a"], h.ReadyWorkItems);
        Assert.False(g.HasDependency("a", "b"));
        Assert.Equal(g, g.ToBuilder().ToGraph());
    }

    [Fact]
    public void AddWorkItem_Duplicate_Throws()
    {
        WorkGraphBuilder b = WorkGraph.CreateBuilder().AddWorkItem(new WorkItem("a"));
        Assert.Equal(GraphErrorCode.DuplicateId, Assert.Throws<GraphOperationException>(() => b.AddWorkItem(new WorkItem("a"))).Code);
        Assert.Equal(1, b.WorkItemCount);
    }

    [Fact]
    public void AddRun_Duplicate_Throws()
    {
        WorkGraphBuilder b = WorkGraph.CreateBuilder().AddRun(Run("r", "a"));
        Assert.Equal(GraphErrorCode.DuplicateId, Assert.Throws<GraphOperationException>(() => b.AddRun(Run("r", "a"))).Code);
        Assert.Equal(1, b.RunCount);
    }

    [Fact]
    public void Build_Cycle_ErrorWithMembersInOrder()
    {
        GraphResult r = WorkGraph.CreateBuilder()
            .AddWorkItem(new WorkItem("a")).AddWorkItem(new WorkItem("b")).AddWorkItem(new WorkItem("c")).AddWorkItem(new WorkItem("z"))
            .AddDependency("z", "a")
            .AddDependency("a", "b").AddDependency("b", "c").AddDependency("c", "a")
            .Build();
        Assert.Equal(GraphErrorCode.DependencyCycle, r.Error!.Code);
        Assert.Equal<string>(["a", "b", "c"], r.Error.Ids);
        Assert.Contains("contain", r.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DependentUnknown_UnknownWorkItem()
    {
        GraphResult r = WorkGraph.CreateBuilder().AddDependency("a", "b").Build();
        Assert.Equal(GraphErrorCode.UnknownWorkItem, r.Error!.Code);
    }

    [Fact]
    public void Build_RunOfUnknownItem_UnknownWorkItem()
    {
        Assert.Equal(GraphErrorCode.UnknownWorkItem, WorkGraph.CreateBuilder().AddRun(Run("r", "a")).Build().Error!.Code);
    }

    [Fact]
    public void Build_ChangeOfUnknownRun_UnknownRun()
    {
        Assert.Equal(GraphErrorCode.UnknownRun, WorkGraph.CreateBuilder().AddMergedChange(new MergedChange(1, [], "r")).Build().Error!.Code);
    }

    [Fact]
    public void AddMergedChange_NotIncreasing_Throws()
    {
        WorkGraphBuilder b = WorkGraph.CreateBuilder().AddMergedChange(new MergedChange(3, [], null));
        Assert.Equal(3, b.BaseVersion);
        Assert.Throws<GraphOperationException>(() => b.AddMergedChange(new MergedChange(3, [], null)));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.BaseVersion = 2);
        b.BaseVersion = 10;
        Assert.Equal(10, b.ToGraph().BaseVersion);
    }

    [Fact]
    public void NextFencingToken_BelowRunTokens_RaisedOnBuild()
    {
        WorkGraphBuilder b = WorkGraph.CreateBuilder().AddWorkItem(new WorkItem("a")).AddRun(Run("r", "a") with { FencingToken = 8 });
        b.NextFencingToken = 2;
        Assert.Equal(9, b.ToGraph().NextFencingToken);
        Assert.Throws<ArgumentOutOfRangeException>(() => b.NextFencingToken = 0);
    }

    [Fact]
    public void RemoveDependency_RemovesOnlyThatEdge()
    {
        WorkGraph g = WorkGraph.CreateBuilder().AddWorkItem(new WorkItem("a"))
            .AddDependency("a", "b").AddDependency("a", "c").RemoveDependency("a", "b").RemoveDependency("a", "zz").ToGraph();
        Assert.Equal<string>(["c"], g.DependenciesOf("a"));
        Assert.Empty(g.DependentsOf("b"));
    }

    [Fact]
    public void Build_TwiceAfterMoreChanges_BuilderStaysUsable()
    {
        WorkGraphBuilder b = WorkGraph.CreateBuilder().AddWorkItem(new WorkItem("a"));
        WorkGraph first = b.ToGraph();
        WorkGraph second = b.AddWorkItem(new WorkItem("b")).ToGraph();
        Assert.Equal(1, first.WorkItemCount);
        Assert.Equal(2, second.WorkItemCount);
    }
}
