using ClaimGraph.Graph;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Graph;

public partial class WorkGraphTests
{
    [Fact]
    public void Equals_DifferentUpdateOrders_EqualWithSameHash()
    {
        WorkGraph x = Items("a", "b", "c").Edges("a->b", "b->c").AddRun(Run("r", "a")).Value.MarkEventProcessed("e");
        WorkGraph y = Items("c", "b").MarkEventProcessed("e").AddWorkItem(new WorkItem("a")).Value.Edges("b->c", "a->b").AddRun(Run("r", "a")).Value;
        Assert.Equal(x, y);
        Assert.True(x == y);
        Assert.Equal(x.GetHashCode(), y.GetHashCode());
    }

    [Fact]
    public void Equals_AddThenRemove_EqualsOriginal()
    {
        WorkGraph g = Items("a", "b");
        WorkGraph h = g.Edges("a->b").RemoveDependency("a", "b").Value;
        Assert.Equal(g, h);
        Assert.Equal(g.GetHashCode(), h.GetHashCode());
    }

    [Fact]
    public void Equals_ContentDiffers_NotEqual()
    {
        WorkGraph g = Items("a", "b");
        Assert.NotEqual(g, g.Edges("a->b"));
        Assert.NotEqual(g, g.MarkEventProcessed("e"));
        Assert.NotEqual(g, g.IssueFencingToken(out _));
        Assert.NotEqual(g, g.AdvanceBase(1, []).Value);
        Assert.NotEqual(g, g.AddRun(Run("r", "a")).Value);
        Assert.NotEqual(g, g.SetStatus("a", WorkItemStatus.Done));
        Assert.False(g.Equals(null));
        Assert.False(g.Equals((object)"a"));
        Assert.True(g != g.Edges("a->b"));
    }
}
