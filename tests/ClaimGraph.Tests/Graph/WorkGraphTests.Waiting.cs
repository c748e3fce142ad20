using ClaimGraph.Graph;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Graph;

public partial class WorkGraphTests
{
    [Fact]
    public void AddWaitingRunsOverlapping_ReadQuery_FindsWaitingWritersNotReaders()
    {
        WorkGraph g = Items("a", "b", "c", "d");
        g = g.AddRun(Run("writer", "a", "write src/app/**")).Value;
        g = g.AddRun(Run("reader", "b", "read src/**")).Value;
        g = g.AddRun(Run("elsewhere", "c", "write docs/**")).Value;
        g = g.AddRun(Run("active", "d", "write src/app/x.cs", RunStatus.Active)).Value;

        var found = new List<string>();
        g.AddWaitingRunsOverlapping(ClaimGraph.Claims.ClaimSet.Parse("read src/app/main.cs"), found);

        Assert.Equal<string>(["writer"], found);
    }

    [Fact]
    public void AddWaitingRunsOverlapping_WriteQuery_FindsReadersAndWaitingBarriers()
    {
        WorkGraph g = Items("a", "b", "c");
        g = g.AddRun(Run("reader", "a", "read src/**")).Value;
        g = g.AddRun(new Run("barrier", "b", ClaimGraph.Claims.ClaimSet.Barrier)).Value;
        g = g.AddRun(Run("appender", "c", "append docs/CHANGELOG.md")).Value;

        var found = new List<string>();
        g.AddWaitingRunsOverlapping(ClaimGraph.Claims.ClaimSet.Parse("write src/a.cs"), found);

        Assert.Equal<string>(["barrier", "reader"], found.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AddWaitingRunsOverlapping_RunAdmitted_NoLongerFound()
    {
        WorkGraph g = Items("a").AddRun(Run("r", "a", "write src/**")).Value;
        g = g.WithRun(g.Runs["r"] with { Status = RunStatus.Active }).Value;

        var found = new List<string>();
        g.AddWaitingRunsOverlapping(ClaimGraph.Claims.ClaimSet.Parse("write src/**"), found);

        Assert.Empty(found);
    }

    [Fact]
    public void AddWaitingRunsWithNotBeforeIn_HalfOpenRange_OnlyRunsInside()
    {
        WorkGraph g = Items("a", "b", "c", "d");
        g = g.AddRun(Run("at10", "a") with { NotBefore = 10 }).Value;
        g = g.AddRun(Run("at20", "b") with { NotBefore = 20 }).Value;
        g = g.AddRun(Run("at30", "c") with { NotBefore = 30 }).Value;
        g = g.AddRun(Run("done20", "d", status: RunStatus.Cancelled) with { NotBefore = 20 }).Value;

        var found = new List<string>();
        g.AddWaitingRunsWithNotBeforeIn(10, 30, found);

        Assert.Equal<string>(["at20", "at30"], found);
    }

    [Fact]
    public void WithAdmissionState_AnyLaterChange_DropsIt()
    {
        WorkGraph g = Items("a").AddRun(Run("r", "a")).Value.WithAdmissionState("note");
        Assert.Equal("note", g.AdmissionState);

        Assert.Null(g.WithRun(g.Runs["r"] with { Priority = 3 }).Value.AdmissionState);
        Assert.Null(g.AddWorkItem(new WorkItem("b")).Value.AdmissionState);
        Assert.Null(g.MarkEventProcessed("e1").AdmissionState);
        Assert.Equal(g.WithAdmissionState(null), g);
    }
}
