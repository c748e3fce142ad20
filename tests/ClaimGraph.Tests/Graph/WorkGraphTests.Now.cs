using ClaimGraph.Claims;
using ClaimGraph.Graph;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Graph;

/// <summary>Every update keeps the graph's clock; only <see cref="WorkGraph.WithNow(long)"/> moves it.</summary>
public partial class WorkGraphTests
{
    [Fact]
    public void Updates_GraphWithNow_KeepNow()
    {
        WorkGraph g = Items("a", "b").WithNow(500);
        var updated = new List<(string Name, WorkGraph Graph)>
        {
            ("AddWorkItem", g.AddWorkItem(new WorkItem("c")).Value),
            ("AddWorkItem with dependencies", g.AddWorkItem(new WorkItem("c"), ["a"]).Value),
            ("WithWorkItem", g.WithWorkItem(new WorkItem("a") { Status = WorkItemStatus.Done, Labels = ["x"] }).Value),
            ("AddDependency", g.AddDependency("a", "b").Value),
            ("RemoveDependency", g.AddDependency("a", "b").Value.RemoveDependency("a", "b").Value),
            ("AddRun", g.AddRun(Run("r", "a", status: RunStatus.Active)).Value),
            ("WithRun", g.AddRun(Run("r", "a")).Value.WithRun(Run("r", "a", status: RunStatus.Active) with { LeaseExpiresAt = 900 }).Value),
            ("MarkEventProcessed", g.MarkEventProcessed("e1")),
            ("IssueFencingToken", g.IssueFencingToken(out _)),
            ("AdvanceBase", g.AdvanceBase(3, ["src/a"]).Value),
            ("PruneMergedChangesBelow", g.AdvanceBase(3, ["src/a"]).Value.PruneMergedChangesBelow(4)),
        };

        foreach ((string name, WorkGraph graph) in updated)
        {
            Assert.True(graph.Now == 500, $"{name} changed Now to {graph.Now}");
        }
    }

    [Fact]
    public void WithNow_SameTime_ReturnsSameGraph()
    {
        WorkGraph g = Items("a").WithNow(5);
        Assert.Same(g, g.WithNow(5));
        Assert.Equal(4, g.WithNow(4).Now);
    }

    [Fact]
    public void Equals_OnlyNowDiffers_NotEqual()
    {
        WorkGraph g = Items("a").AddRun(new Run("r", "a", ClaimSet.Parse("write src/**"))).Value;
        Assert.NotEqual(g, g.WithNow(1));
        Assert.Equal(g.WithNow(1), g.WithNow(2).WithNow(1));
        Assert.Equal(g.WithNow(1).GetHashCode(), g.WithNow(2).WithNow(1).GetHashCode());
    }
}
