using ClaimGraph.Simulation;
using static ClaimGraph.Tests.Simulation.SimulationFixtures;

namespace ClaimGraph.Tests.Simulation;

public class LowerBoundTests
{
    [Fact]
    public void Of_TasksOfOneFile_ScheduledEarliestArrivalFirstWithIdleTime()
    {
        // x: a 0-10, b 10-20, d waits for its arrival at 30 and ends at 35; y: c 5-15.
        var tasks = Tasks(Task("a", 0, 10, "x"), Task("b", 0, 10, "x"), Task("c", 5, 10, "y"), Task("d", 30, 5, "x"));

        LowerBound bound = LowerBound.Of(tasks);

        Assert.Equal(35 / Hour, bound.FileHours, 9);
        Assert.Equal("x", bound.File);
        Assert.Equal(35 / Hour, bound.WorkHours, 9);
        Assert.Equal(35 / Hour, bound.TaskHours, 9);
    }

    [Fact]
    public void Hours_TheLargestOfFileWorkAndTask()
    {
        // x: a 0-10, b 10-20, d 20-25; the work is 35 minutes; d alone ends at 15 + 5.
        var tasks = Tasks(Task("a", 0, 10, "x"), Task("b", 0, 10, "x"), Task("c", 5, 10, "y"), Task("d", 15, 5, "x"));

        LowerBound bound = LowerBound.Of(tasks);

        Assert.Equal(25 / Hour, bound.FileHours, 9);
        Assert.Equal(20 / Hour, bound.TaskHours, 9);
        Assert.Equal(35 / Hour, bound.Hours(1), 9);
        Assert.Equal(25 / Hour, bound.Hours(2), 9);
        Assert.Equal(25 / Hour, bound.Hours(64), 9);
    }

    [Fact]
    public void Of_TasksOutOfOrderAndLaterOrigin_SortedAndMeasuredFromTheFirstArrival()
    {
        var tasks = Tasks(Task("b", 20, 10, "x"), Task("a", 10, 10, "x"));

        LowerBound bound = LowerBound.Of(tasks);

        Assert.Equal(20 / Hour, bound.FileHours, 9); // a 10-20, b 20-30, from the first arrival at 10
    }

    [Fact]
    public void Of_EqualFiles_TheOrdinallyFirstNamesTheBound()
    {
        LowerBound bound = LowerBound.Of(Tasks(Task("a", 0, 10, "b.cs"), Task("b", 0, 10, "a.cs")));

        Assert.Equal("a.cs", bound.File);
    }

    [Fact]
    public void Of_MergeableFile_LeftOut()
    {
        var tasks = Tasks(
            Task("a", 0, 10, "go.sum", "x") with { Mergeable = ["go.sum"] },
            Task("b", 0, 10, "go.sum", "y") with { Mergeable = ["go.sum"] });

        LowerBound bound = LowerBound.Of(tasks);

        Assert.Equal(10 / Hour, bound.FileHours, 9);
        Assert.Equal("x", bound.File);
        Assert.Equal(20 / Hour, LowerBound.Of(Tasks(Task("a", 0, 10, "go.sum", "x"), Task("b", 0, 10, "go.sum", "y"))).FileHours, 9);
    }

    [Fact]
    public void Of_NoTask_AllZero()
    {
        Assert.Equal(new LowerBound(0, null, 0, 0), LowerBound.Of([]));
    }

    [Fact]
    public void Sweep_ClaimGraphNeverBeatsTheBound()
    {
        SimulationReport report = Simulator.Sweep(SyntheticHistory.Generate(new() { Commits = 120, Seed = 3 }), new SimulationOptions { AgentCounts = [1, 4, 64], ConflictCosts = [1] });

        Assert.All(report.Results, r => Assert.True(r.MakespanHours >= r.LowerBoundHours - 1e-9, $"{r}"));
        Assert.Equal(report.Bound.Hours(64), report.Find(SimulationPolicy.ClaimGraph, 64)!.LowerBoundHours);
    }
}
