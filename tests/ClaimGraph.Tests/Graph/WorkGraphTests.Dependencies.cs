using System.Collections.Immutable;
using ClaimGraph.Graph;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Graph;

public partial class WorkGraphTests
{
    [Fact]
    public void Empty_HasNothing()
    {
        WorkGraph g = WorkGraph.Empty;
        Assert.Equal(0, g.WorkItemCount);
        Assert.Equal(0, g.DependencyCount);
        Assert.Equal(0, g.RunCount);
        Assert.Equal(0, g.BaseVersion);
        Assert.Equal(1, g.NextFencingToken);
        Assert.Empty(g.ReadyWorkItems);
        Assert.Empty(g.TopologicalOrder());
    }

    [Fact]
    public void AddWorkItem_New_ContainedAndOldGraphUnchanged()
    {
        WorkGraph before = Items("a");
        WorkGraph after = before.AddWorkItem(new WorkItem("b")).Value;
        Assert.True(after.ContainsWorkItem("b"));
        Assert.False(before.ContainsWorkItem("b"));
        Assert.Equal(1, before.WorkItemCount);
        Assert.Equal(2, after.WorkItemCount);
    }

    [Fact]
    public void AddWorkItem_DuplicateId_DuplicateIdError()
    {
        GraphResult r = Items("a").AddWorkItem(new WorkItem("a") { Priority = 5 });
        Assert.False(r.IsSuccess);
        Assert.Equal(GraphErrorCode.DuplicateId, r.Error.Code);
        Assert.Equal<string>(["a"], r.Error.Ids);
        GraphOperationException ex = Assert.Throws<GraphOperationException>(() => r.Value);
        Assert.Equal(GraphErrorCode.DuplicateId, ex.Code);
    }

    [Fact]
    public void AddWorkItem_WithDependencies_AddsAll()
    {
        WorkGraph g = Items("a", "b").AddWorkItem(new WorkItem("c"), ["a", "b"]).Value;
        Assert.Equal<string>(["a", "b"], g.DependenciesOf("c"));
    }

    [Fact]
    public void AddWorkItem_WithDependencyClosingCycle_RefusedWhole()
    {
        WorkGraph g = Items("a").Edges("a->c");
        GraphResult r = g.AddWorkItem(new WorkItem("c"), ["a"]);
        Assert.Equal(GraphErrorCode.DependencyCycle, r.Error!.Code);
        Assert.Equal<string>(["c", "a"], r.Error.Ids);
        Assert.False(g.ContainsWorkItem("c"));
    }

    [Fact]
    public void WithWorkItem_Unknown_UnknownWorkItemError()
    {
        GraphResult r = WorkGraph.Empty.WithWorkItem(new WorkItem("a"));
        Assert.Equal(GraphErrorCode.UnknownWorkItem, r.Error!.Code);
    }

    [Fact]
    public void WithWorkItem_Equal_ReturnsSameGraph()
    {
        WorkGraph g = Items("a");
        Assert.Same(g, g.WithWorkItem(new WorkItem("a")).Value);
    }

    [Fact]
    public void WithWorkItem_Changed_ReplacesAndOldUnchanged()
    {
        WorkGraph g = Items("a");
        WorkGraph h = g.WithWorkItem(new WorkItem("a") { Revision = 3, Priority = 2 }).Value;
        Assert.Equal(3, h.WorkItems["a"].Revision);
        Assert.Equal(0, g.WorkItems["a"].Revision);
    }

    [Fact]
    public void AddDependency_UnknownDependent_UnknownWorkItemError()
    {
        GraphResult r = Items("a").AddDependency("zz", "a");
        Assert.Equal(GraphErrorCode.UnknownWorkItem, r.Error!.Code);
        Assert.Equal<string>(["zz"], r.Error.Ids);
    }

    [Fact]
    public void AddDependency_UnknownDependency_AllowedAndBlocks()
    {
        WorkGraph g = Items("a").Edges("a->ghost");
        Assert.True(g.HasDependency("a", "ghost"));
        Assert.Empty(g.ReadyWorkItems);
        Assert.Equal<string>(["a"], g.DependentsOf("ghost"));
        Assert.Contains(g.ExplainReadiness("a").Blockers, b => b.Kind == ReadinessBlockerKind.DependencyUnknown && b.Id == "ghost");
    }

    [Fact]
    public void AddDependency_Existing_ReturnsSameGraph()
    {
        WorkGraph g = Items("a", "b").Edges("a->b");
        Assert.Same(g, g.AddDependency("a", "b").Value);
        Assert.Equal(1, g.DependencyCount);
    }

    [Fact]
    public void AddDependency_SelfLoop_CycleOfOne()
    {
        GraphResult r = Items("a").AddDependency("a", "a");
        Assert.Equal(GraphErrorCode.DependencyCycle, r.Error!.Code);
        Assert.Equal<string>(["a"], r.Error.Ids);
    }

    [Fact]
    public void AddDependency_ClosingLongCycle_MembersInOrder()
    {
        // a -> b -> c -> d; adding d -> a closes d -> a -> b -> c -> d.
        WorkGraph g = Items("a", "b", "c", "d").Edges("a->b", "b->c", "c->d");
        GraphResult r = g.AddDependency("d", "a");
        Assert.Equal<string>(["d", "a", "b", "c"], r.Error!.Ids);
        Assert.Contains("'d' -> 'a' -> 'b' -> 'c' -> 'd'", r.Error.Message, StringComparison.Ordinal);
        Assert.NotNull(r.Error.Hint);
        Assert.False(g.HasDependency("d", "a"));
    }

    [Fact]
    public void AddDependency_TwoCyclesPossible_ShortestReported()
    {
        // a depends on b and x; b -> c -> d; x -> d. Adding d -> a: shortest cycle is d, a, x.
        WorkGraph g = Items("a", "b", "c", "d", "x").Edges("a->b", "b->c", "c->d", "a->x", "x->d");
        Assert.Equal<string>(["d", "a", "x"], g.AddDependency("d", "a").Error!.Ids);
    }

    [Fact]
    public void RemoveDependency_Existing_RemovedAndReverseIndexUpdated()
    {
        WorkGraph g = Items("a", "b").Edges("a->b");
        WorkGraph h = g.RemoveDependency("a", "b").Value;
        Assert.False(h.HasDependency("a", "b"));
        Assert.Empty(h.DependentsOf("b"));
        Assert.Equal(0, h.DependencyCount);
        Assert.True(g.HasDependency("a", "b"));
        Assert.Equal<string>(["a", "b"], h.ReadyWorkItems);
    }

    [Fact]
    public void RemoveDependency_Missing_ReturnsSameGraph()
    {
        WorkGraph g = Items("a", "b");
        Assert.Same(g, g.RemoveDependency("a", "b").Value);
    }

    [Fact]
    public void RemoveDependency_UnknownDependent_UnknownWorkItemError()
    {
        Assert.Equal(GraphErrorCode.UnknownWorkItem, Items("a").RemoveDependency("q", "a").Error!.Code);
    }

    [Fact]
    public void DependentsOf_Several_OrdinalOrder()
    {
        WorkGraph g = Items("b", "B", "a", "x").Edges("b->x", "B->x", "a->x");
        Assert.Equal<string>(["B", "a", "b"], g.DependentsOf("x"));
        Assert.Empty(g.DependentsOf("nothing"));
    }

    [Fact]
    public void TopologicalOrder_Diamond_DependenciesFirstTiesOrdinal()
    {
        // d depends on b and c, both depend on a.
        WorkGraph g = Items("d", "c", "b", "a").Edges("d->b", "d->c", "b->a", "c->a");
        Assert.Equal<string>(["a", "b", "c", "d"], g.TopologicalOrder());
    }

    [Fact]
    public void TopologicalOrder_IncludesUnknownDependencies()
    {
        WorkGraph g = Items("a", "z").Edges("a->m");
        Assert.Equal<string>(["m", "a", "z"], g.TopologicalOrder());
    }

    [Fact]
    public void TopologicalOrder_LexicographicallySmallest()
    {
        // z has no dependencies; b depends on y. Smallest order: y before b, but a, z free.
        WorkGraph g = Items("a", "b", "y", "z").Edges("b->y");
        Assert.Equal<string>(["a", "y", "b", "z"], g.TopologicalOrder());
    }

    [Fact]
    public void ReadyWorkItems_ChainProgress_FollowsDoneStatus()
    {
        WorkGraph g = Items("a", "b", "c").Edges("b->a", "c->b");
        Assert.Equal<string>(["a"], g.ReadyWorkItems);
        g = g.SetStatus("a", WorkItemStatus.Done);
        Assert.Equal<string>(["b"], g.ReadyWorkItems);
        g = g.SetStatus("b", WorkItemStatus.Done);
        Assert.Equal<string>(["c"], g.ReadyWorkItems);
        g = g.SetStatus("b", WorkItemStatus.Open);
        Assert.Equal<string>(["b"], g.ReadyWorkItems);
        Assert.True(g.IsReady("b"));
        Assert.False(g.IsReady("c"));
    }

    [Fact]
    public void ReadyWorkItems_DependencyAbandoned_NotReady()
    {
        WorkGraph g = Items("a", "b").Edges("b->a").SetStatus("a", WorkItemStatus.Abandoned);
        Assert.Empty(g.ReadyWorkItems);
    }

    [Fact]
    public void ReadyWorkItems_UnknownDependencyAddedDone_BecomesReady()
    {
        WorkGraph g = Items("a").Edges("a->m");
        Assert.Empty(g.ReadyWorkItems);
        g = g.AddWorkItem(new WorkItem("m") { Status = WorkItemStatus.Done }).Value;
        Assert.Equal<string>(["a"], g.ReadyWorkItems);
    }

    [Fact]
    public void ReadyWorkItems_ActiveRun_NotReadyUntilItEnds()
    {
        WorkGraph g = Items("a");
        g = g.AddRun(Run("r1", "a", status: RunStatus.Active)).Value;
        Assert.Empty(g.ReadyWorkItems);
        g = g.WithRun(g.Runs["r1"] with { Status = RunStatus.Failed }).Value;
        Assert.Equal<string>(["a"], g.ReadyWorkItems);
    }

    [Fact]
    public void ReadyWorkItems_PendingRun_StillReady()
    {
        WorkGraph g = Items("a").AddRun(Run("r1", "a")).Value;
        Assert.Equal<string>(["a"], g.ReadyWorkItems);
    }

    [Fact]
    public void TransitiveDependencies_Chain_AllUpstreamOrdinal()
    {
        WorkGraph g = Items("a", "b", "c", "d").Edges("a->c", "c->b", "b->d");
        Assert.Equal<string>(["b", "c", "d"], g.TransitiveDependencies("a"));
        Assert.Empty(g.TransitiveDependencies("d"));
    }

    [Fact]
    public void TransitiveDependents_Diamond_AllDownstream()
    {
        WorkGraph g = Items("a", "b", "c", "d").Edges("b->a", "c->a", "d->b", "d->c");
        Assert.Equal<string>(["b", "c", "d"], g.TransitiveDependents("a"));
        Assert.Empty(g.TransitiveDependents("d"));
    }

    [Fact]
    public void ExplainReadiness_Ready_NoBlockers()
    {
        ReadinessExplanation e = Items("a").ExplainReadiness("a");
        Assert.True(e.IsReady);
        Assert.Empty(e.Blockers);
        Assert.Equal("'a' is ready", e.ToString());
    }

    [Fact]
    public void ExplainReadiness_UnknownItem_WorkItemUnknown()
    {
        ReadinessExplanation e = WorkGraph.Empty.ExplainReadiness("q");
        Assert.False(e.IsReady);
        Assert.Equal(ReadinessBlockerKind.WorkItemUnknown, Assert.Single(e.Blockers).Kind);
    }

    [Fact]
    public void ExplainReadiness_Done_WorkItemNotOpen()
    {
        ReadinessExplanation e = Items("a").SetStatus("a", WorkItemStatus.Done).ExplainReadiness("a");
        ReadinessBlocker b = Assert.Single(e.Blockers);
        Assert.Equal(ReadinessBlockerKind.WorkItemNotOpen, b.Kind);
        Assert.Equal(WorkItemStatus.Done, b.Status);
        Assert.True(b.IsDirect);
    }

    [Fact]
    public void ExplainReadiness_EveryBlocker_DirectAndTransitiveWithPaths()
    {
        // a depends on b (open), c (done), g (unknown); b depends on d (abandoned); c depends on e (open, hidden by done c).
        WorkGraph g = Items("a", "b", "c", "d", "e")
            .Edges("a->b", "a->c", "a->g", "b->d", "c->e")
            .SetStatus("c", WorkItemStatus.Done)
            .SetStatus("d", WorkItemStatus.Abandoned);
        g = g.AddRun(Run("r1", "a", status: RunStatus.Active)).Value;

        ReadinessExplanation e = g.ExplainReadiness("a");

        Assert.False(e.IsReady);
        Assert.Collection(
            e.Blockers,
            x => Assert.Equal((ReadinessBlockerKind.RunActive, "r1"), (x.Kind, x.Id)),
            x =>
            {
                Assert.Equal((ReadinessBlockerKind.DependencyOpen, "b", WorkItemStatus.Open), (x.Kind, x.Id, x.Status));
                Assert.Equal<string>(["b"], x.Path);
                Assert.True(x.IsDirect);
            },
            x => Assert.Equal((ReadinessBlockerKind.DependencyUnknown, "g", (WorkItemStatus?)null), (x.Kind, x.Id, x.Status)),
            x =>
            {
                Assert.Equal((ReadinessBlockerKind.DependencyAbandoned, "d"), (x.Kind, x.Id));
                Assert.Equal<string>(["b", "d"], x.Path);
                Assert.False(x.IsDirect);
            });
        Assert.Contains("DependencyAbandoned 'd' via 'b' -> 'd'", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ExplainReadiness_SameInputs_EqualExplanations()
    {
        WorkGraph g = Items("a", "b").Edges("a->b");
        Assert.Equal(Describe(g.ExplainReadiness("a")), Describe(g.ExplainReadiness("a")));
        Assert.NotEqual(Describe(g.ExplainReadiness("a")), Describe(g.ExplainReadiness("b")));

        // Every field of the explanation and its blockers.
        static string[] Describe(ReadinessExplanation e) =>
            [e.WorkItemId, .. e.Blockers.Select(b => $"{b.Kind} {b.Id} {b.Status} {string.Join('/', b.Path)}")];
    }

    [Fact]
    public void Operations_NullArguments_Throw()
    {
        WorkGraph g = Items("a");
        Assert.Throws<ArgumentNullException>(() => g.AddWorkItem(null!));
        Assert.Throws<ArgumentNullException>(() => g.WithWorkItem(null!));
        Assert.Throws<ArgumentNullException>(() => g.AddDependency(null!, "a"));
        Assert.Throws<ArgumentException>(() => g.AddDependency("a", ""));
        Assert.Throws<ArgumentNullException>(() => g.DependenciesOf(null!));
        Assert.Throws<ArgumentNullException>(() => g.ExplainReadiness(null!));
        Assert.Throws<ArgumentNullException>(() => g.AddRun(null!));
        Assert.Throws<ArgumentNullException>(() => g.WithRun(null!));
        Assert.Throws<ArgumentNullException>(() => g.ConflictsWith(null!));
        Assert.Throws<ArgumentNullException>(() => g.MarkEventProcessed(null!));
        Assert.Throws<ArgumentNullException>(() => g.AdvanceBase(1, null!));
    }

    [Fact]
    public void DependenciesOf_ReturnsImmutableOrdinalSet()
    {
        WorkGraph g = Items("a").Edges("a->b", "a->B");
        ImmutableSortedSet<string> deps = g.DependenciesOf("a");
        Assert.Equal<string>(["B", "b"], deps);
    }
}
