using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Hosting.Tests;

public sealed class TickScheduleTests
{
    [Fact]
    public void NextDeadline_EmptyGraph_IsNull() => Assert.Null(TickSchedule.NextDeadline(WorkGraph.Empty));

    [Fact]
    public void NextDeadline_ActiveRunWithLease_IsOneMillisecondAfterTheLeaseAndATickThenExpiresIt()
    {
        WorkGraph g = ClaimPolicy.Step(WorkGraph.Empty, [new WorkItemAdded("e1", 100, "a"), new RunRequested("e2", 100, "r1", "a", ["write x"])], new PolicyOptions { LeaseDuration = 500 }).Graph;

        long due = Assert.IsType<long>(TickSchedule.NextDeadline(g));
        Assert.Equal(601, due);
        Assert.Empty(ClaimPolicy.Step(g, [new Tick("t0", due - 1)], new PolicyOptions { LeaseDuration = 500 }).Decisions);
        PolicyStepResult ticked = ClaimPolicy.Step(g, [new Tick("t1", due)], new PolicyOptions { LeaseDuration = 500 });
        Assert.Contains(ticked.Decisions, d => d.Reason == ReasonCode.LeaseExpired);
    }

    [Fact]
    public void NextDeadline_DeadlinesAtOrBeforeTheGraphsTime_AreNotDueAgain()
    {
        var options = new PolicyOptions { LeaseDuration = 500 };
        WorkGraph g = ClaimPolicy.Step(WorkGraph.Empty, [new WorkItemAdded("e1", 100, "a"), new RunRequested("e2", 100, "r1", "a", ["write x"])], options).Graph;
        WorkGraph later = ClaimPolicy.Step(g, [new RunHeartbeat("h", 550, "r1", g.Runs["r1"].FencingToken)], options).Graph;

        Assert.Equal(1_051, TickSchedule.NextDeadline(later));
        WorkGraph afterTick = ClaimPolicy.Step(later, [new Tick("t", 1_051)], options).Graph;
        long? next = TickSchedule.NextDeadline(afterTick);
        Assert.True(next is null || next > afterTick.Now, $"deadline {next} is not after the graph's time {afterTick.Now}");
    }
}
