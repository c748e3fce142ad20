using ClaimGraph.Graph;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Graph;

/// <summary>The builder keeps the graph's clock: <c>g.ToBuilder().ToGraph()</c> equals <c>g</c>, <see cref="WorkGraph.Now"/> included.</summary>
public partial class WorkGraphBuilderTests
{
    [Fact]
    public void ToGraph_FromGraphWithNow_KeepsNowAndEquals()
    {
        WorkGraph g = Items("a", "b").Edges("a->b")
            .AddRun(Run("r", "b", status: RunStatus.Active) with { LeaseExpiresAt = 5_000 }).Value
            .WithNow(1_234);

        WorkGraph rebuilt = g.ToBuilder().ToGraph();

        Assert.Equal(1_234, rebuilt.Now);
        Assert.Equal(g, rebuilt);
        Assert.Equal(g.GetHashCode(), rebuilt.GetHashCode());
    }

    [Fact]
    public void ToGraph_AfterBulkChanges_KeepsStartingNow()
    {
        WorkGraph g = Items("a").WithNow(-7);

        WorkGraph changed = g.ToBuilder()
            .AddWorkItem(new WorkItem("b"))
            .AddDependency("b", "a")
            .AddRun(Run("r", "b"))
            .MarkEventProcessed("e1")
            .ToGraph();

        Assert.Equal(-7, changed.Now);
        Assert.Equal(2, changed.WorkItemCount);
    }

    [Fact]
    public void ToGraph_BuilderMadeBeforeWithNow_HasTheOlderNow()
    {
        WorkGraph g = Items("a").WithNow(10);
        WorkGraphBuilder builder = g.ToBuilder();

        Assert.Equal(10, builder.ToGraph().Now);
        Assert.Equal(99, g.WithNow(99).ToBuilder().ToGraph().Now);
        Assert.Equal(10, g.Now);
    }

    [Fact]
    public void CreateBuilder_Empty_NowZero()
    {
        Assert.Equal(0, WorkGraph.CreateBuilder().AddWorkItem(new WorkItem("a")).ToGraph().Now);
        Assert.Equal(WorkGraph.Empty, WorkGraph.CreateBuilder().ToGraph());
    }

    [Fact]
    public void ToGraph_NowDiffers_NotEqual()
    {
        WorkGraph g = Items("a");
        Assert.NotEqual(g.WithNow(1), g.WithNow(2).ToBuilder().ToGraph());
    }
}
