using ClaimGraph.Claims;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Policy;

/// <summary>The policy's index of waiting runs: candidates for a re-check by claims, and by backoff end.</summary>
public class WaitingIndexTests
{
    private static string[] Overlapping(WorkGraph g, string claims)
    {
        var found = new List<string>();
        WaitingIndex.Create(g.Runs.Values).AddOverlapping(ClaimSet.Parse(claims), g.AdmissionQueue, found);
        return [.. found.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void AddOverlapping_ReadQuery_FindsWaitingWritersNotReaders()
    {
        WorkGraph g = Items("a", "b", "c", "d");
        g = g.AddRun(Run("writer", "a", "write src/app/**")).Value;
        g = g.AddRun(Run("reader", "b", "read src/**")).Value;
        g = g.AddRun(Run("elsewhere", "c", "write docs/**")).Value;
        g = g.AddRun(Run("active", "d", "write src/app/x.cs", RunStatus.Active)).Value;

        Assert.Equal(["writer"], Overlapping(g, "read src/app/main.cs"));
    }

    [Fact]
    public void AddOverlapping_WriteQuery_FindsReadersAndWaitingBarriers()
    {
        WorkGraph g = Items("a", "b", "c");
        g = g.AddRun(Run("reader", "a", "read src/**")).Value;
        g = g.AddRun(new Run("barrier", "b", ClaimSet.Barrier)).Value;
        g = g.AddRun(Run("appender", "c", "append docs/CHANGELOG.md")).Value;

        Assert.Equal(["barrier", "reader"], Overlapping(g, "write src/a.cs"));
    }

    [Fact]
    public void AddOverlapping_BarrierQuery_FindsEveryWaitingRun()
    {
        WorkGraph g = Items("a", "b");
        g = g.AddRun(Run("r1", "a", "read src/**")).Value;
        g = g.AddRun(Run("r2", "b", "write docs/**")).Value;

        var found = new List<string>();
        WaitingIndex.Create(g.Runs.Values).AddOverlapping(ClaimSet.Barrier, g.AdmissionQueue, found);

        Assert.Equal<string>(["r1", "r2"], found.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Update_RunAdmitted_NoLongerFound()
    {
        Run waiting = Run("r", "a", "write src/**");
        WaitingIndex index = WaitingIndex.Empty.Update(null, waiting);

        index = index.Update(waiting, waiting with { Status = RunStatus.Active });

        var found = new List<string>();
        index.AddOverlapping(ClaimSet.Parse("write src/**"), [], found);
        Assert.Empty(found);
    }

    [Fact]
    public void Update_PendingToHeldSameClaims_IndexUnchanged()
    {
        Run pending = Run("r", "a", "write src/**");
        WaitingIndex index = WaitingIndex.Empty.Update(null, pending);

        Assert.Same(index, index.Update(pending, pending with { Status = RunStatus.Held }));
        Assert.Same(WaitingIndex.Empty, WaitingIndex.Empty.Update(null, Run("x", "a", status: RunStatus.Active)));
    }

    [Fact]
    public void AddWithNotBeforeIn_HalfOpenRange_OnlyRunsInside()
    {
        WorkGraph g = Items("a", "b", "c", "d");
        g = g.AddRun(Run("at10", "a") with { NotBefore = 10 }).Value;
        g = g.AddRun(Run("at20", "b") with { NotBefore = 20 }).Value;
        g = g.AddRun(Run("at30", "c") with { NotBefore = 30 }).Value;
        g = g.AddRun(Run("done20", "d", status: RunStatus.Cancelled) with { NotBefore = 20 }).Value;

        var found = new List<string>();
        WaitingIndex.Create(g.Runs.Values).AddWithNotBeforeIn(10, 30, found);

        Assert.Equal<string>(["at20", "at30"], found);
    }

    [Fact]
    public void AdmissionState_GraphTheStepReturned_CarriesItsStateAndAnyOtherGraphNone()
    {
        PolicyStepResult result = ClaimPolicy.Step(Items("a"), [new RunRequested("e1", 0, "r", "a", ["write src/**"])]);
        WorkGraph g = result.Graph;

        AdmissionState? state = AdmissionState.Of(g);
        Assert.NotNull(state);
        Assert.Equal(PolicyOptions.Default, state.Options);
        Assert.Null(AdmissionState.Of(g.WithRun(g.Runs["r"] with { Priority = 3 }).Value));
        Assert.Null(AdmissionState.Of(g.AddWorkItem(new WorkItem("b")).Value));
        Assert.Null(AdmissionState.Of(g.MarkEventProcessed("e2")));
        Assert.Null(AdmissionState.Of(g.ToBuilder().ToGraph()));
        Assert.Equal(g.ToBuilder().ToGraph(), g);
    }
}
