using ClaimGraph.Graph;
using ClaimGraph.Serialization;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Serialization;

/// <summary>The snapshot carries the graph's clock (<see cref="WorkGraph.Now"/>).</summary>
public partial class WorkGraphSnapshotTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1_234)]
    [InlineData(-5)]
    [InlineData(long.MaxValue)]
    public void SaveLoad_GraphWithNow_KeepsNow(long now)
    {
        WorkGraph g = Rich().WithNow(now);

        WorkGraph loaded = WorkGraphSnapshot.Load(WorkGraphSnapshot.Save(g));

        Assert.Equal(now, loaded.Now);
        Assert.Equal(g, loaded);
        Assert.Equal(WorkGraphSnapshot.SaveToUtf8Bytes(g), WorkGraphSnapshot.SaveToUtf8Bytes(loaded));
    }

    [Fact]
    public void Save_GraphWithNow_WritesNowProperty()
    {
        string json = WorkGraphSnapshot.Save(Items("a").WithNow(1_234));
        Assert.Contains("\"now\":1234,", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DocumentWithoutNow_NowZero()
    {
        string json = WorkGraphSnapshot.Save(Items("a").WithNow(1_234)).Replace("\"now\":1234,", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("\"now\"", json, StringComparison.Ordinal);

        WorkGraph loaded = WorkGraphSnapshot.Load(json);

        Assert.Equal(0, loaded.Now);
        Assert.Equal(Items("a"), loaded);
    }
}
