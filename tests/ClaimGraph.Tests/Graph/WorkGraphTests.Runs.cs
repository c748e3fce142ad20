using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Graph;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Graph;

public partial class WorkGraphTests
{
    [Fact]
    public void AddRun_UnknownWorkItem_UnknownWorkItemError()
    {
        GraphResult r = WorkGraph.Empty.AddRun(Run("r", "nope"));
        Assert.Equal(GraphErrorCode.UnknownWorkItem, r.Error!.Code);
        Assert.Equal<string>(["nope"], r.Error.Ids);
    }

    [Fact]
    public void AddRun_DuplicateId_DuplicateIdError()
    {
        WorkGraph g = Items("a").AddRun(Run("r", "a")).Value;
        Assert.Equal(GraphErrorCode.DuplicateId, g.AddRun(Run("r", "a")).Error!.Code);
    }

    [Fact]
    public void AddRun_Pending_InQueueNotIndexed()
    {
        WorkGraph g = Items("a").AddRun(Run("r", "a")).Value;
        Assert.True(g.ContainsRun("r"));
        Assert.Equal<string>(["r"], g.AdmissionQueue.Select(r => r.Id));
        Assert.Empty(g.IndexedRunIds);
        Assert.Equal(0, g.ActiveRunCount);
        Assert.Equal<string>(["r"], g.RunsOf("a").Select(r => r.Id));
    }

    [Fact]
    public void AdmissionQueue_Order_PriorityDescThenRequestedAscThenId()
    {
        WorkGraph g = Items("a", "b", "c", "d");
        g = g.AddRun(Run("r1", "a") with { Priority = 0, RequestedAt = 5 }).Value;
        g = g.AddRun(Run("r2", "b") with { Priority = 2, RequestedAt = 9 }).Value;
        g = g.AddRun(Run("r4", "c") with { Priority = 0, RequestedAt = 1 }).Value;
        g = g.AddRun(Run("r3", "d") with { Priority = 0, RequestedAt = 1, Status = RunStatus.Held }).Value;
        Assert.Equal<string>(["r2", "r3", "r4", "r1"], g.AdmissionQueue.Select(r => r.Id));
    }

    [Fact]
    public void WithRun_Activate_IndexedCountedLeavesQueue()
    {
        WorkGraph g = Items("a").AddRun(Run("r", "a")).Value;
        WorkGraph h = g.WithRun(g.Runs["r"] with { Status = RunStatus.Active, AdmittedBase = 4, FencingToken = 7 }).Value;
        Assert.Empty(h.AdmissionQueue);
        Assert.Equal<string>(["r"], h.IndexedRunIds);
        Assert.Equal(1, h.ActiveRunCount);
        Assert.Equal(4, h.OldestActiveBase);
        Assert.Equal(8, h.NextFencingToken);
        Assert.Equal(RunStatus.Pending, g.Runs["r"].Status);
        Assert.Single(g.AdmissionQueue);
    }

    [Fact]
    public void WithRun_HeldReservingAndNot_IndexedOnlyWhenReserving()
    {
        WorkGraph g = Items("a").AddRun(Run("r", "a")).Value;
        WorkGraph held = g.WithRun(g.Runs["r"] with { Status = RunStatus.Held }).Value;
        Assert.Empty(held.IndexedRunIds);
        Assert.Single(held.AdmissionQueue);
        WorkGraph reserving = held.WithRun(held.Runs["r"] with { ReservesPlace = true }).Value;
        Assert.Equal<string>(["r"], reserving.IndexedRunIds);
        Assert.Single(reserving.AdmissionQueue);
        Assert.Equal(0, reserving.ActiveRunCount);
    }

    [Fact]
    public void WithRun_UnknownRun_UnknownRunError()
    {
        GraphResult r = Items("a").WithRun(Run("r", "a"));
        Assert.Equal(GraphErrorCode.UnknownRun, r.Error!.Code);
    }

    [Fact]
    public void WithRun_OtherWorkItem_InvalidTransition()
    {
        WorkGraph g = Items("a", "b").AddRun(Run("r", "a")).Value;
        GraphResult r = g.WithRun(Run("r", "b"));
        Assert.Equal(GraphErrorCode.InvalidTransition, r.Error!.Code);
    }

    [Theory]
    [InlineData(RunStatus.Succeeded)]
    [InlineData(RunStatus.Failed)]
    [InlineData(RunStatus.Cancelled)]
    public void WithRun_LeavingTerminalStatus_InvalidTransition(RunStatus terminal)
    {
        WorkGraph g = Items("a").AddRun(Run("r", "a", status: terminal)).Value;
        Assert.Equal(GraphErrorCode.InvalidTransition, g.WithRun(g.Runs["r"] with { Status = RunStatus.Active }).Error!.Code);
        Run withHistory = g.Runs["r"].AppendHistory(new RunHistoryEntry("e1", 1, DecisionKind.Cancel, ReasonCode.CancelledByRequest, "late note"));
        Assert.True(g.WithRun(withHistory).IsSuccess);
    }

    [Fact]
    public void WithRun_Equal_ReturnsSameGraph()
    {
        WorkGraph g = Items("a").AddRun(Run("r", "a")).Value;
        Assert.Same(g, g.WithRun(Run("r", "a")).Value);
    }

    [Fact]
    public void ActiveRunCountsByLabel_FollowRunsAndLabelChanges()
    {
        WorkGraph g = WorkGraph.Empty
            .AddWorkItem(new WorkItem("a") { Labels = ["x", "y"] }).Value
            .AddWorkItem(new WorkItem("b") { Labels = ["y"] }).Value;
        g = g.AddRun(Run("ra", "a", status: RunStatus.Active)).Value;
        g = g.AddRun(Run("rb", "b", "write docs/**", RunStatus.Active)).Value;
        Assert.Equal(2, g.ActiveRunCount);
        Assert.Equal(1, g.ActiveRunCountWithLabel("x"));
        Assert.Equal(2, g.ActiveRunCountWithLabel("y"));
        Assert.Equal(0, g.ActiveRunCountWithLabel("z"));

        g = g.WithWorkItem(g.WorkItems["a"] with { Labels = ["z"] }).Value;
        Assert.Equal(0, g.ActiveRunCountWithLabel("x"));
        Assert.Equal(1, g.ActiveRunCountWithLabel("y"));
        Assert.Equal(1, g.ActiveRunCountWithLabel("z"));

        g = g.WithRun(g.Runs["rb"] with { Status = RunStatus.Succeeded }).Value;
        Assert.Equal(1, g.ActiveRunCount);
        Assert.Equal<string>(["z"], g.ActiveRunCountsByLabel.Keys);
    }

    [Fact]
    public void RunsOf_SeveralAttempts_AttemptOrder()
    {
        WorkGraph g = Items("a");
        g = g.AddRun(Run("a#2", "a", status: RunStatus.Failed) with { Attempt = 2 }).Value;
        g = g.AddRun(Run("a#10", "a", status: RunStatus.Failed) with { Attempt = 10 }).Value;
        g = g.AddRun(Run("a#1", "a", status: RunStatus.Failed)).Value;
        Assert.Equal<string>(["a#1", "a#2", "a#10"], g.RunsOf("a").Select(r => r.Id));
        Assert.Empty(g.RunsOf("b"));
    }

    [Fact]
    public void ConflictsWith_IndexedRunsOnly_WithEvidence()
    {
        WorkGraph g = Items("a", "b", "c", "d");
        g = g.AddRun(Run("active", "a", "write src/billing/**", RunStatus.Active)).Value;
        g = g.AddRun(Run("reserving", "b", "read src/billing/schema.sql", RunStatus.Held) with { ReservesPlace = true }).Value;
        g = g.AddRun(Run("pending", "c", "write src/**")).Value;
        g = g.AddRun(Run("other", "d", "write docs/**", RunStatus.Active)).Value;

        ImmutableArray<RunConflict> conflicts = g.ConflictsWith(ClaimSet.Parse("write src/*/schema.sql"));

        Assert.Equal<string>(["active", "reserving"], conflicts.Select(c => c.Run.Id));
        Assert.Equal("src/billing/schema.sql", conflicts[0].Evidence.Witness);
        Assert.Equal("write src/*/schema.sql", conflicts[0].Evidence.Left.ToString());
        Assert.False(conflicts[0].IsConservative);
    }

    [Fact]
    public void ConflictsWith_ExceptRun_SkipsIt()
    {
        WorkGraph g = Items("a").AddRun(Run("r", "a", "write src/**", RunStatus.Active)).Value;
        Assert.Single(g.ConflictsWith(ClaimSet.Parse("write src/x")));
        Assert.Empty(g.ConflictsWith(ClaimSet.Parse("write src/x"), exceptRunId: "r"));
    }

    [Fact]
    public void ConflictsWith_ReadRead_NoConflict()
    {
        WorkGraph g = Items("a").AddRun(Run("r", "a", "read src/**", RunStatus.Active)).Value;
        Assert.Empty(g.ConflictsWith(ClaimSet.Parse("read src/x")));
        Assert.Single(g.ConflictsWith(ClaimSet.Barrier));
    }

    [Fact]
    public void ConflictsWith_BarrierRunIndexed_ConflictsWithEverything()
    {
        WorkGraph g = Items("a").AddRun(Run("r", "a", "", RunStatus.Active)).Value;
        RunConflict c = Assert.Single(g.ConflictsWith(ClaimSet.Parse("read docs/x.md")));
        Assert.True(c.Evidence.RightIsBarrier);
    }

    [Fact]
    public void OverlapIndex_FollowsIndexedRuns()
    {
        WorkGraph g = Items("a", "b").AddRun(Run("r", "a", "write src/**", RunStatus.Active)).Value.AddRun(Run("p", "b", "write src/**")).Value;
        Assert.Equal<string>(["r"], g.OverlapIndex.Owners);
        Assert.Equal("r", Assert.Single(g.OverlapIndex.Query(ClaimGraph.Globs.Glob.Parse("src/x.cs"))).Owner);
        WorkGraph done = g.WithRun(g.Runs["r"] with { Status = RunStatus.Succeeded }).Value;
        Assert.Empty(done.OverlapIndex.Owners);
        Assert.Empty(done.ConflictsWith(ClaimSet.Parse("write src/x.cs")));
        Assert.Single(g.ConflictsWith(ClaimSet.Parse("write src/x.cs")));
    }

    [Fact]
    public void WithRun_ClaimsChangedWhileActive_IndexUpdated()
    {
        WorkGraph g = Items("a").AddRun(Run("r", "a", "write src/**", RunStatus.Active)).Value;
        g = g.WithRun(g.Runs["r"] with { Claims = ClaimSet.Parse("write docs/**") }).Value;
        Assert.Empty(g.ConflictsWith(ClaimSet.Parse("write src/x")));
        Assert.Single(g.ConflictsWith(ClaimSet.Parse("write docs/x")));
    }

    [Fact]
    public void MarkEventProcessed_Idempotent()
    {
        WorkGraph g = WorkGraph.Empty.MarkEventProcessed("e1");
        Assert.True(g.IsEventProcessed("e1"));
        Assert.False(WorkGraph.Empty.IsEventProcessed("e1"));
        Assert.Same(g, g.MarkEventProcessed("e1"));
        Assert.Equal<string>(["e1"], g.ProcessedEventIds);
    }

    [Fact]
    public void IssueFencingToken_Increases()
    {
        WorkGraph g = WorkGraph.Empty.IssueFencingToken(out long t1).IssueFencingToken(out long t2);
        Assert.Equal(1, t1);
        Assert.Equal(2, t2);
        Assert.Equal(3, g.NextFencingToken);
        Assert.Equal(1, WorkGraph.Empty.NextFencingToken);
    }

    [Fact]
    public void AddRun_WithHighToken_CounterStaysAbove()
    {
        WorkGraph g = Items("a").AddRun(Run("r", "a") with { FencingToken = 41 }).Value;
        g.IssueFencingToken(out long token);
        Assert.Equal(42, token);
    }

    [Fact]
    public void AdvanceBase_Increasing_LogsChange()
    {
        WorkGraph g = Items("a").AddRun(Run("r", "a")).Value;
        g = g.AdvanceBase(3, ["src/a.cs"], "r").Value;
        g = g.AdvanceBase(5, ["docs/x.md", "src/b.cs"]).Value;
        Assert.Equal(5, g.BaseVersion);
        Assert.Equal([3L, 5L], g.MergedChanges.Select(c => c.Version));
        Assert.Equal("r", g.MergedChanges[0].RunId);
        Assert.Null(g.MergedChanges[1].RunId);
        Assert.Equal<string>(["docs/x.md", "src/b.cs"], g.MergedChanges[1].Paths);
        Assert.Equal([5L], g.MergedChangesSince(3).Select(c => c.Version));
        Assert.Equal([3L, 5L], g.MergedChangesSince(0).Select(c => c.Version));
        Assert.Empty(g.MergedChangesSince(5));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void AdvanceBase_NotIncreasing_InvalidTransition(long version)
    {
        GraphResult r = WorkGraph.Empty.AdvanceBase(version, []);
        Assert.Equal(GraphErrorCode.InvalidTransition, r.Error!.Code);
    }

    [Fact]
    public void AdvanceBase_UnknownRun_UnknownRunError()
    {
        Assert.Equal(GraphErrorCode.UnknownRun, WorkGraph.Empty.AdvanceBase(1, [], "ghost").Error!.Code);
    }

    [Fact]
    public void PruneMergedChangesBelow_DropsOlderOnly()
    {
        WorkGraph g = WorkGraph.Empty.AdvanceBase(1, ["a"]).Value.AdvanceBase(2, ["b"]).Value.AdvanceBase(4, ["c"]).Value;
        WorkGraph pruned = g.PruneMergedChangesBelow(2);
        Assert.Equal([2L, 4L], pruned.MergedChanges.Select(c => c.Version));
        Assert.Equal(4, pruned.BaseVersion);
        Assert.Equal(3, g.MergedChanges.Count);
        Assert.Same(pruned, pruned.PruneMergedChangesBelow(2));
        Assert.Empty(g.PruneMergedChangesBelow(100).MergedChanges);
    }

    [Fact]
    public void OldestActiveBase_TracksActiveRuns()
    {
        WorkGraph g = Items("a", "b");
        Assert.Null(g.OldestActiveBase);
        g = g.AddRun(Run("r1", "a", status: RunStatus.Active) with { AdmittedBase = 7 }).Value;
        g = g.AddRun(Run("r2", "b", "write docs/**", RunStatus.Active) with { AdmittedBase = 3 }).Value;
        Assert.Equal(3, g.OldestActiveBase);
        g = g.WithRun(g.Runs["r2"] with { Status = RunStatus.Succeeded }).Value;
        Assert.Equal(7, g.OldestActiveBase);
    }

    [Fact]
    public void ActiveRunsWithLeaseBefore_OnlyActiveExpiredById()
    {
        WorkGraph g = Items("a", "b", "c", "d");
        g = g.AddRun(Run("r2", "a", status: RunStatus.Active) with { LeaseExpiresAt = 10 }).Value;
        g = g.AddRun(Run("r1", "b", "write docs/**", RunStatus.Active) with { LeaseExpiresAt = 5 }).Value;
        g = g.AddRun(Run("r3", "c", "write x/**", RunStatus.Active) with { LeaseExpiresAt = 20 }).Value;
        g = g.AddRun(Run("r4", "d", "write y/**", RunStatus.Held) with { LeaseExpiresAt = 1 }).Value;
        Assert.Equal<string>(["r1", "r2"], g.ActiveRunsWithLeaseBefore(11));
        Assert.Empty(g.ActiveRunsWithLeaseBefore(5));
        g = g.WithRun(g.Runs["r1"] with { LeaseExpiresAt = 30 }).Value;
        Assert.Equal<string>(["r2"], g.ActiveRunsWithLeaseBefore(11));
        Assert.Equal<string>(["r2"], g.ToBuilder().ToGraph().ActiveRunsWithLeaseBefore(11));
    }

    [Fact]
    public void ToString_Summarises()
    {
        Assert.Equal("WorkGraph(work items: 2, dependencies: 1, runs: 0, base: 0, now: 0)", Items("a", "b").Edges("a->b").ToString());
        Assert.Equal("WorkGraph(work items: 1, dependencies: 0, runs: 0, base: 0, now: -3)", Items("a").WithNow(-3).ToString());
    }
}
