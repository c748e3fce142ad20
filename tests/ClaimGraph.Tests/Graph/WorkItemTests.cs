using System.Collections.Immutable;
using ClaimGraph.Graph;

namespace ClaimGraph.Tests.Graph;

public class WorkItemTests
{
    [Fact]
    public void Constructor_Id_DefaultsAreOpenRevisionZeroNoLabels()
    {
        var item = new WorkItem("a");
        Assert.Equal("a", item.Id);
        Assert.Equal(0, item.Revision);
        Assert.Equal(WorkItemStatus.Open, item.Status);
        Assert.Empty(item.Labels);
        Assert.Equal(0, item.Priority);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Constructor_NullOrEmptyId_Throws(string? id)
    {
        Assert.ThrowsAny<ArgumentException>(() => new WorkItem(id!));
    }

    [Fact]
    public void With_NegativeRevision_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkItem("a") { Revision = -1 });
    }

    [Fact]
    public void With_UndefinedStatus_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkItem("a") { Status = (WorkItemStatus)7 });
    }

    [Fact]
    public void Labels_OtherComparer_ReplacedByOrdinal()
    {
        var item = new WorkItem("a") { Labels = ImmutableSortedSet.Create(StringComparer.OrdinalIgnoreCase, "b", "C", "a") };
        Assert.Same(StringComparer.Ordinal, item.Labels.KeyComparer);
        Assert.Equal<string>(["C", "a", "b"], item.Labels);
    }

    [Fact]
    public void Labels_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new WorkItem("a") { Labels = null! });
    }

    [Fact]
    public void Equals_SameContentDifferentSetInstances_EqualWithSameHash()
    {
        var a = new WorkItem("x") { Labels = ImmutableSortedSet.Create("l1", "l2"), Priority = 3, Revision = 2 };
        var b = new WorkItem("x") { Labels = ImmutableSortedSet.Create("l2", "l1"), Priority = 3, Revision = 2 };
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [InlineData("rev")]
    [InlineData("status")]
    [InlineData("labels")]
    [InlineData("priority")]
    [InlineData("id")]
    public void Equals_OneFieldDiffers_NotEqual(string field)
    {
        var a = new WorkItem("x");
        WorkItem b = field switch
        {
            "rev" => a with { Revision = 1 },
            "status" => a with { Status = WorkItemStatus.Done },
            "labels" => a with { Labels = ImmutableSortedSet.Create("l") },
            "priority" => a with { Priority = 1 },
            _ => a with { Id = "y" },
        };
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void ToString_ListsLabels()
    {
        var item = new WorkItem("x") { Labels = ImmutableSortedSet.Create("b", "a") };
        Assert.Contains("Labels = [a, b]", item.ToString(), StringComparison.Ordinal);
    }
}
