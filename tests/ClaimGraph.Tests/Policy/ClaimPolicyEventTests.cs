using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Tests.Policy;

/// <summary>
/// Every event kind's effects and every rejection of docs/policy.md's table, one behaviour per test: holds and their
/// evidence, limits, backoff, the retry budget, strict FIFO, barriers, shared modes and workspaces.
/// </summary>
public class ClaimPolicyEventTests
{
    /// <summary>Strict reservation: the tests of reserving held runs (backfill has its own tests).</summary>
    private static readonly PolicyOptions StrictOptions = PolicyOptions.Default with { Reservation = ReservationMode.Strict };

    private static readonly PolicyOptions NoJitter = PolicyOptions.Default with { JitterFraction = 0 };

    // ------------------------------------------------------------------ rejections

    [Fact]
    public void Step_NullEvent_RejectedInvalidEventGraphUnchanged()
    {
        PolicyStepResult result = ClaimPolicy.Step(WorkGraph.Empty, [null]);
        RejectDecision reject = Assert.IsType<RejectDecision>(Assert.Single(result.Decisions));
        Assert.Equal(ReasonCode.InvalidEvent, reject.Reason);
        Assert.Same(WorkGraph.Empty, result.Graph);
    }

    [Fact]
    public void Step_EmptyEventId_RejectedInvalidEventNotRecorded()
    {
        PolicyStepResult result = ClaimPolicy.Step(WorkGraph.Empty, [new WorkItemAdded(string.Empty, 0, "a")]);
        Assert.Equal(ReasonCode.InvalidEvent, Assert.Single(result.Decisions).Reason);
        Assert.Equal(0, result.Graph.WorkItemCount);
        Assert.Empty(result.Graph.ProcessedEventIds);
    }

    [Fact]
    public void Step_UnknownEventType_RejectedInvalidEvent()
    {
        var h = new PolicyHarness();
        h.Send(new UnknownEvent(h.NextId(), 0));
        Assert.Equal(ReasonCode.InvalidEvent, h.Single<RejectDecision>().Reason);
        Assert.Empty(h.Graph.ProcessedEventIds);
    }

    [Fact]
    public void RunHeartbeat_UnknownRun_RejectedUnknownRunNamingIt()
    {
        var h = new PolicyHarness();
        h.Send(new RunHeartbeat(h.NextId(), 0, "ghost", 1));
        RejectDecision reject = h.Single<RejectDecision>();
        Assert.Equal(ReasonCode.UnknownRun, reject.Reason);
        Assert.Equal("ghost", reject.RunId);
    }

    [Fact]
    public void Recovered_UnknownAliveRun_RejectedUnknownRunAndNoRunOrphaned()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        WorkGraph before = h.Graph;
        h.Send(new Recovered(h.NextId(), 0) { AliveRunIds = ["ghost"] });
        Assert.Equal(ReasonCode.UnknownRun, h.Single<RejectDecision>().Reason);
        Assert.Equal(before, h.Graph);
    }

    [Theory]
    [InlineData("changed")]
    [InlineData("closed")]
    [InlineData("reopened")]
    [InlineData("dependency")]
    [InlineData("request")]
    public void Step_UnknownWorkItem_RejectedUnknownWorkItem(string kind)
    {
        var h = new PolicyHarness();
        string id = h.NextId();
        h.Send(kind switch
        {
            "changed" => new WorkItemChanged(id, 0, "x"),
            "closed" => new WorkItemClosed(id, 0, "x", Abandoned: false),
            "reopened" => new WorkItemReopened(id, 0, "x"),
            "dependency" => new DependencyAdded(id, 0, "x", "y"),
            _ => new RunRequested(id, 0, "r", "x", ["write a/**"]),
        });
        Assert.Equal(ReasonCode.UnknownWorkItem, h.Single<RejectDecision>().Reason);
    }

    [Fact]
    public void WorkItemAdded_IdTaken_RejectedDuplicateId()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("a");
        Assert.Equal(ReasonCode.DuplicateId, h.Single<RejectDecision>().Reason);
        Assert.Equal(1, h.Graph.WorkItemCount);
    }

    [Fact]
    public void RunRequested_RunIdTaken_RejectedDuplicateId()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("r", "a", "write a/**");
        h.Request("r", "b", "write b/**");
        RejectDecision reject = h.Single<RejectDecision>();
        Assert.Equal(ReasonCode.DuplicateId, reject.Reason);
        Assert.Equal("r", reject.RunId);
        Assert.Equal("a", h.Graph.Runs["r"].WorkItemId);
    }

    [Fact]
    public void DependencyAdded_ClosingCycle_RejectedWithMembersInOrder()
    {
        var h = new PolicyHarness();
        h.Item("a", "b");
        h.Item("b", "c");
        h.Item("c");
        WorkGraph before = h.Graph;
        h.Send(new DependencyAdded(h.NextId(), 0, "c", "a"));
        RejectDecision reject = h.Single<RejectDecision>();
        Assert.Equal(ReasonCode.DependencyCycle, reject.Reason);
        Assert.Contains("'c' -> 'a' -> 'b' -> 'c'", reject.Detail, StringComparison.Ordinal);
        Assert.Equal(before, h.Graph);
    }

    [Fact]
    public void WorkItemAdded_DependingOnItself_RejectedDependencyCycle()
    {
        var h = new PolicyHarness();
        h.Item("a", "a");
        Assert.Equal(ReasonCode.DependencyCycle, h.Single<RejectDecision>().Reason);
        Assert.False(h.Graph.ContainsWorkItem("a"));
    }

    [Fact]
    public void WorkItemAdded_ClosingCycleThroughEarlierDeclaration_RejectedWithMembers()
    {
        var h = new PolicyHarness();
        h.Item("a", "b");
        h.Item("b", "a");
        RejectDecision reject = h.Single<RejectDecision>();
        Assert.Equal(ReasonCode.DependencyCycle, reject.Reason);
        Assert.Contains("'b' -> 'a' -> 'b'", reject.Detail, StringComparison.Ordinal);
        Assert.False(h.Graph.ContainsWorkItem("b"));
    }

    [Fact]
    public void WorkItemClosed_ItemNotOpen_RejectedInvalidTransition()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Send(new WorkItemClosed(h.NextId(), 0, "a", Abandoned: false));
        h.Send(new WorkItemClosed(h.NextId(), 0, "a", Abandoned: true));
        Assert.Equal(ReasonCode.InvalidTransition, h.Single<RejectDecision>().Reason);
        Assert.Equal(WorkItemStatus.Done, h.Graph.WorkItems["a"].Status);
    }

    [Fact]
    public void WorkItemReopened_ItemOpen_RejectedInvalidTransition()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Send(new WorkItemReopened(h.NextId(), 0, "a"));
        Assert.Equal(ReasonCode.InvalidTransition, h.Single<RejectDecision>().Reason);
    }

    [Fact]
    public void DependencyRemoved_NoSuchEdge_RejectedInvalidTransition()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Send(new DependencyRemoved(h.NextId(), 0, "a", "b"));
        Assert.Equal(ReasonCode.InvalidTransition, h.Single<RejectDecision>().Reason);
    }

    [Fact]
    public void RunRequested_ItemHasActiveRun_RejectedInvalidTransition()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("r1", "a", "write a/**");
        h.Request("r2", "a", "write a/**");
        Assert.Equal(ReasonCode.InvalidTransition, h.Single<RejectDecision>().Reason);
        Assert.False(h.Graph.ContainsRun("r2"));
    }

    [Fact]
    public void RunRequested_ItemClosed_RejectedInvalidTransition()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Send(new WorkItemClosed(h.NextId(), 0, "a", Abandoned: true));
        h.Request("r1", "a", "write a/**");
        Assert.Equal(ReasonCode.InvalidTransition, h.Single<RejectDecision>().Reason);
    }

    [Fact]
    public void RunHeartbeat_HeldRun_RejectedInvalidTransition()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "write src/**");
        h.Request("rb", "b", "write src/**");
        h.Send(new RunHeartbeat(h.NextId(), 0, "rb", 0));
        Assert.Equal(ReasonCode.InvalidTransition, h.Single<RejectDecision>().Reason);
    }

    [Fact]
    public void RunCancelRequested_RunEnded_RejectedInvalidTransition()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        h.Succeed("ra", 1);
        h.Send(new RunCancelRequested(h.NextId(), 0, "ra"));
        Assert.Equal(ReasonCode.InvalidTransition, h.Single<RejectDecision>().Reason);
    }

    [Fact]
    public void RunSucceeded_TokenOfEarlierAttempt_RejectedStaleFencingToken()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        long first = h.Token("ra");
        h.Send(new BaseAdvanced(h.NextId(), 0, 1) { ChangedPaths = ["a/x"] });
        string retry = h.Single<RetryDecision>("ra").NewRunId;
        Assert.Equal(RunStatus.Active, h.Status(retry));

        h.Send(new RunSucceeded(h.NextId(), 0, retry, first, 2));
        RejectDecision reject = h.Single<RejectDecision>();
        Assert.Equal(ReasonCode.StaleFencingToken, reject.Reason);
        Assert.Equal(RunStatus.Active, h.Status(retry));
    }

    [Theory]
    [InlineData("heartbeat")]
    [InlineData("failed")]
    [InlineData("amended")]
    public void Step_WrongFencingToken_RejectedStaleFencingToken(string kind)
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        long wrong = h.Token("ra") + 1;
        string id = h.NextId();
        h.Send(kind switch
        {
            "heartbeat" => new RunHeartbeat(id, 0, "ra", wrong),
            "failed" => new RunFailed(id, 0, "ra", wrong, Transient: true),
            _ => new ClaimsAmended(id, 0, "ra", wrong, ["write b/**"]),
        });
        Assert.Equal(ReasonCode.StaleFencingToken, h.Single<RejectDecision>().Reason);
    }

    [Fact]
    public void ClaimsAmended_LineDoesNotParse_RejectedInvalidPattern()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        h.Send(new ClaimsAmended(h.NextId(), 0, "ra", h.Token("ra"), ["write b/**.cs"]));
        Assert.Equal(ReasonCode.InvalidPattern, h.Single<RejectDecision>().Reason);
    }

    [Theory]
    [InlineData("!a/x/**")]
    [InlineData("")]
    public void ClaimsAmended_ExclusionOrNoEntry_RejectedInvalidEvent(string line)
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        ImmutableArray<string> lines = line.Length == 0 ? [] : [line];
        h.Send(new ClaimsAmended(h.NextId(), 0, "ra", h.Token("ra"), lines));
        Assert.Equal(ReasonCode.InvalidEvent, h.Single<RejectDecision>().Reason);
    }

    [Theory]
    [InlineData(0L, "a//b")]
    [InlineData(-1L, "a/x")]
    public void RunSucceeded_InvalidPathOrBaseBelowCurrent_RejectedInvalidEvent(long baseDelta, string path)
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Send(new BaseAdvanced(h.NextId(), 0, 5));
        h.Request("ra", "a", "write a/**");
        h.Send(new RunSucceeded(h.NextId(), 0, "ra", h.Token("ra"), 5 + baseDelta) { ChangedPaths = [path] });
        Assert.Equal(ReasonCode.InvalidEvent, h.Single<RejectDecision>().Reason);
        Assert.Equal(RunStatus.Active, h.Status("ra"));
    }

    [Fact]
    public void BaseAdvanced_BelowCurrentBase_RejectedInvalidEvent()
    {
        var h = new PolicyHarness();
        h.Send(new BaseAdvanced(h.NextId(), 0, 5));
        h.Send(new BaseAdvanced(h.NextId(), 0, 4));
        Assert.Equal(ReasonCode.InvalidEvent, h.Single<RejectDecision>().Reason);
        Assert.Equal(5, h.Graph.BaseVersion);
    }

    [Fact]
    public void Step_RejectedEventWhileLeaseExpires_LeaseEffectsDiscardedToo()
    {
        var h = new PolicyHarness(PolicyOptions.Default with { LeaseDuration = 100 });
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        WorkGraph before = h.Graph;
        h.Time = 500;
        h.Send(new WorkItemChanged(h.NextId(), h.Time, "missing"));
        Assert.Equal(ReasonCode.UnknownWorkItem, Assert.Single(h.Last).Reason);
        Assert.Equal(before, h.Graph);
        Assert.Equal(RunStatus.Active, h.Status("ra"));
    }

    [Fact]
    public void Step_RejectedEventRepeatedAfterFix_AppliedBecauseRejectionsAreNotRecorded()
    {
        var h = new PolicyHarness();
        var request = new RunRequested("req", 0, "ra", "a", ["write a/**"]);
        h.Send(request);
        Assert.Equal(ReasonCode.UnknownWorkItem, h.Single<RejectDecision>().Reason);
        h.Send(request);
        Assert.Equal(ReasonCode.UnknownWorkItem, h.Single<RejectDecision>().Reason);

        h.Item("a");
        h.Send(request);
        h.Single<AdmitDecision>("ra");
        Assert.Empty(h.Send(request));
    }

    // ------------------------------------------------------------------ event effects

    [Fact]
    public void WorkItemAdded_NewItem_OpenAtRevisionOneWithLabelsAndPriority()
    {
        var h = new PolicyHarness();
        h.Send(new WorkItemAdded(h.NextId(), 0, "a") { Labels = ["ui", "db"], Priority = 4 });
        Assert.Empty(h.Last);
        WorkItem item = h.Graph.WorkItems["a"];
        Assert.Equal(WorkItemStatus.Open, item.Status);
        Assert.Equal(new[] { "db", "ui" }, item.Labels.ToArray());
        Assert.Equal(4, item.Priority);
        Assert.Equal(1, item.Revision); // docs/policy.md: "adds the item, Open, revision 1"
    }

    [Fact]
    public void WorkItemAdded_DependencyNotYetAdded_RunHeldDependencyUnknownThenPendingThenAdmitted()
    {
        var h = new PolicyHarness();
        h.Item("api", "schema");
        h.Request("r", "api", "write src/api/**");
        DependencyUnknownHold unknown = Assert.IsType<DependencyUnknownHold>(Assert.Single(h.Single<HoldDecision>("r").Reasons));
        Assert.Equal(ReasonCode.DependencyUnknown, unknown.Code);
        Assert.Equal("schema", unknown.WorkItemId);

        h.Item("schema");
        DependencyPendingHold pending = Assert.IsType<DependencyPendingHold>(Assert.Single(h.Single<HoldDecision>("r").Reasons));
        Assert.Equal(ReasonCode.DependencyPending, pending.Code);
        Assert.Null(pending.ActiveRunId);

        h.Send(new WorkItemClosed(h.NextId(), 0, "schema", Abandoned: false));
        h.Single<AdmitDecision>("r");
    }

    [Fact]
    public void WorkItemChanged_ActiveRun_CancelledAndRestartedInNewWorkspace()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        long revision = h.Graph.WorkItems["a"].Revision;

        h.Send(new WorkItemChanged(h.NextId(), 0, "a") { Labels = ["ui"], Priority = 2 });
        CancelDecision cancel = h.Single<CancelDecision>("ra");
        Assert.Equal(ReasonCode.WorkItemChanged, cancel.Reason);
        Assert.Equal("a", cancel.CauseWorkItemId);
        RetryDecision retry = h.Single<RetryDecision>("ra");
        Assert.Equal(ReasonCode.Restarted, retry.Reason);
        Assert.Equal("a#2", retry.NewRunId);
        Assert.Equal(2, retry.Attempt);
        Assert.Equal(0, retry.NotBefore);
        Assert.False(retry.ReuseWorkspace);
        Assert.Equal("ws/a#2", retry.WorkspaceKey);
        AdmitDecision admit = h.Single<AdmitDecision>("a#2");
        Assert.Equal("ws/a#2", admit.WorkspaceKey);
        Assert.False(admit.ReuseWorkspace);

        WorkItem item = h.Graph.WorkItems["a"];
        Assert.Equal(revision + 1, item.Revision);
        Assert.Equal(new[] { "ui" }, item.Labels.ToArray());
        Assert.Equal(2, item.Priority);
        Assert.Equal(0, h.Graph.Runs["a#2"].Failures);
    }

    [Fact]
    public void WorkItemChanged_UpstreamOfActiveRun_DependentCancelledUpstreamChangedAndRestartedInSameWorkspace()
    {
        var h = new PolicyHarness();
        h.Item("schema");
        h.Item("api", "schema");
        h.Send(new WorkItemClosed(h.NextId(), 0, "schema", Abandoned: false));
        h.Request("ra", "api", "write src/api/**");
        h.Single<AdmitDecision>("ra");

        h.Send(new WorkItemChanged(h.NextId(), 0, "schema"));
        CancelDecision cancel = h.Single<CancelDecision>("ra");
        Assert.Equal(ReasonCode.UpstreamChanged, cancel.Reason);
        Assert.Equal("schema", cancel.CauseWorkItemId);
        RetryDecision retry = h.Single<RetryDecision>("ra");
        Assert.Equal(ReasonCode.Restarted, retry.Reason);
        Assert.True(retry.ReuseWorkspace);
        Assert.Equal("ws/ra", retry.WorkspaceKey);
        h.Single<AdmitDecision>(retry.NewRunId); // schema is still done
    }

    [Fact]
    public void WorkItemClosed_Done_WaitingAndActiveRunsCancelledWorkItemClosed()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "write src/**");
        h.Request("rb", "b", "write src/**");
        h.Send(new WorkItemClosed(h.NextId(), 0, "b", Abandoned: false));
        CancelDecision cancel = h.Single<CancelDecision>("rb");
        Assert.Equal(ReasonCode.WorkItemClosed, cancel.Reason);
        Assert.Equal("b", cancel.CauseWorkItemId);

        h.Send(new WorkItemClosed(h.NextId(), 0, "a", Abandoned: false));
        Assert.Equal(ReasonCode.WorkItemClosed, h.Single<CancelDecision>("ra").Reason);
        Assert.Equal(WorkItemStatus.Done, h.Graph.WorkItems["a"].Status);
        Assert.Equal(0, h.Graph.ActiveRunCount);
    }

    [Fact]
    public void WorkItemClosed_Abandoned_TransitiveDependentsRunsCancelledDependencyFailed()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b", "a");
        h.Item("c", "b");
        h.Request("rb", "b", "write b/**");
        h.Request("rc", "c", "write c/**");
        h.Send(new WorkItemClosed(h.NextId(), 0, "a", Abandoned: true));
        Assert.Equal(ReasonCode.DependencyFailed, h.Single<CancelDecision>("rb").Reason);
        CancelDecision cancel = h.Single<CancelDecision>("rc");
        Assert.Equal(ReasonCode.DependencyFailed, cancel.Reason);
        Assert.Equal("a", cancel.CauseWorkItemId);
        Assert.Equal(WorkItemStatus.Abandoned, h.Graph.WorkItems["a"].Status);
    }

    [Fact]
    public void WorkItemReopened_DoneItem_OpenWithRevisionBumpedAndRunnableAgain()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("r1", "a", "write a/**");
        h.Succeed("r1", 1);
        long revision = h.Graph.WorkItems["a"].Revision;
        h.Send(new WorkItemReopened(h.NextId(), 0, "a"));
        Assert.Empty(h.Last);
        Assert.Equal(WorkItemStatus.Open, h.Graph.WorkItems["a"].Status);
        Assert.Equal(revision + 1, h.Graph.WorkItems["a"].Revision);
        h.Request("r2", "a", "write a/**");
        h.Single<AdmitDecision>("r2");
    }

    [Fact]
    public void DependencyAdded_OnOpenItem_ActiveDependentRunCancelledUpstreamChangedAndHeld()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "write a/**");
        h.Send(new DependencyAdded(h.NextId(), 0, "a", "b"));
        CancelDecision cancel = h.Single<CancelDecision>("ra");
        Assert.Equal(ReasonCode.UpstreamChanged, cancel.Reason);
        Assert.Equal("b", cancel.CauseWorkItemId);
        string retry = h.Single<RetryDecision>("ra").NewRunId;
        Assert.Equal(ReasonCode.DependencyPending, h.Single<HoldDecision>(retry).Reason);
    }

    [Fact]
    public void DependencyAdded_OnDoneItem_ActiveRunKeepsGoing()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Send(new WorkItemClosed(h.NextId(), 0, "b", Abandoned: false));
        h.Request("ra", "a", "write a/**");
        h.Send(new DependencyAdded(h.NextId(), 0, "a", "b"));
        Assert.Empty(h.Last);
        Assert.True(h.Graph.HasDependency("a", "b"));
        Assert.Equal(RunStatus.Active, h.Status("ra"));
    }

    [Fact]
    public void DependencyRemoved_LastPendingDependency_HeldRunAdmitted()
    {
        var h = new PolicyHarness();
        h.Item("a", "b");
        h.Item("b");
        h.Request("ra", "a", "write a/**");
        Assert.Equal(RunStatus.Held, h.Status("ra"));
        h.Send(new DependencyRemoved(h.NextId(), 0, "a", "b"));
        h.Single<AdmitDecision>("ra");
        Assert.False(h.Graph.HasDependency("a", "b"));
    }

    [Fact]
    public void RunRequested_ItemHasWaitingRun_WaitingRunCancelledSuperseded()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "write src/**");
        h.Request("rb1", "b", "write src/**");
        h.Request("rb2", "b", "write docs/**");
        CancelDecision cancel = h.Single<CancelDecision>("rb1");
        Assert.Equal(ReasonCode.Superseded, cancel.Reason);
        Assert.Equal("rb2", cancel.CauseRunId);
        Assert.Equal("b", cancel.CauseWorkItemId);
        h.Single<AdmitDecision>("rb2");
        Run run = h.Graph.Runs["rb2"];
        Assert.Equal(1, run.Attempt);
        Assert.Equal(0, run.Failures);
    }

    [Fact]
    public void RunRequested_Admitted_TokenLeaseBaseAndOwnWorkspace()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Send(new BaseAdvanced(h.NextId(), 0, 3));
        h.Time = 1_000;
        h.Request("ra", "a", "write a/**");
        AdmitDecision admit = h.Single<AdmitDecision>("ra");
        Assert.Equal(ReasonCode.Admitted, admit.Reason);
        Assert.Equal(3, admit.BaseVersion);
        Assert.Equal("ws/ra", admit.WorkspaceKey);
        Assert.False(admit.ReuseWorkspace);
        Assert.Equal(1, admit.FencingToken);
        Assert.Equal(61_000, admit.LeaseExpiresAt);
        Assert.Equal(admit.FencingToken, h.Token("ra"));
    }

    [Fact]
    public void RunHeartbeat_ActiveRun_LeaseRenewedFromEventTime()
    {
        var h = new PolicyHarness(PolicyOptions.Default with { LeaseDuration = 100 });
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        h.Time = 90;
        h.Send(new RunHeartbeat(h.NextId(), h.Time, "ra", h.Token("ra")));
        Assert.Empty(h.Last);
        Assert.Equal(190, h.Graph.Runs["ra"].LeaseExpiresAt);
        h.Time = 150;
        h.Send(new Tick(h.NextId(), h.Time));
        Assert.Empty(h.Last);
        Assert.Equal(RunStatus.Active, h.Status("ra"));
    }

    [Fact]
    public void Tick_AtLeaseEnd_NotExpiredOneLater_Expired()
    {
        var h = new PolicyHarness(PolicyOptions.Default with { LeaseDuration = 100 });
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        h.Send(new Tick(h.NextId(), 100));
        Assert.Empty(h.Last);
        h.Send(new Tick(h.NextId(), 101));
        Assert.Equal(ReasonCode.LeaseExpired, h.Single<CancelDecision>("ra").Reason);
        RetryDecision retry = h.Single<RetryDecision>("ra");
        Assert.Equal(ReasonCode.Orphaned, retry.Reason);
        Assert.Equal(1, h.Graph.Runs[retry.NewRunId].Failures);
    }

    [Fact]
    public void Step_NoLeases_RunNeverExpires()
    {
        var h = new PolicyHarness(PolicyOptions.Default with { LeaseDuration = null });
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        Assert.Null(h.Single<AdmitDecision>("ra").LeaseExpiresAt);
        h.Send(new Tick(h.NextId(), PolicyEvent.MaxTime));
        Assert.Empty(h.Last);
        Assert.Equal(RunStatus.Active, h.Status("ra"));
    }

    [Fact]
    public void RunSucceeded_WorkItemContinues_ItemStaysOpenAndBaseAdvances()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        h.Send(new RunSucceeded(h.NextId(), 0, "ra", h.Token("ra"), 4) { ChangedPaths = ["a/x"], WorkItemContinues = true });
        Assert.Empty(h.Last);
        Assert.Equal(RunStatus.Succeeded, h.Status("ra"));
        Assert.Equal(WorkItemStatus.Open, h.Graph.WorkItems["a"].Status);
        Assert.Equal(4, h.Graph.BaseVersion);
    }

    [Fact]
    public void RunSucceeded_ChangedPathsInsideClaims_NoViolationAppendPartnerKeepsRunning()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "append CHANGELOG.md", "write src/a/**");
        h.Request("rb", "b", "append CHANGELOG.md");
        h.Succeed("ra", 1, "CHANGELOG.md", "src/a/x.cs");
        Assert.Empty(h.Last);
        Assert.Equal(RunStatus.Active, h.Status("rb"));
        Assert.Equal(WorkItemStatus.Done, h.Graph.WorkItems["a"].Status);
    }

    [Fact]
    public void RunFailed_Permanent_ItemAbandonedDependentsCancelledNoRetry()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b", "a");
        h.Request("ra", "a", "write a/**");
        h.Request("rb", "b", "write b/**");
        h.Fail("ra", transient: false);
        Assert.Empty(h.Last.OfType<RetryDecision>());
        Assert.Equal(ReasonCode.DependencyFailed, h.Single<CancelDecision>("rb").Reason);
        Assert.Equal(WorkItemStatus.Abandoned, h.Graph.WorkItems["a"].Status);
        Assert.Equal(RunStatus.Failed, h.Status("ra"));
    }

    [Fact]
    public void RunCancelRequested_HeldReservingRun_CancelledByRequestAndPlaceFreed()
    {
        var h = new PolicyHarness(StrictOptions);
        h.Item("a");
        h.Item("b");
        h.Item("c");
        h.Request("ra", "a", "write docs/**");
        h.Request("rb", "b", "write docs/**", "write src/**");
        h.Request("rc", "c", "write src/a/**");
        Assert.Equal(ReasonCode.QueuedBehind, h.Single<HoldDecision>("rc").Reason);

        h.Send(new RunCancelRequested(h.NextId(), 0, "rb"));
        CancelDecision cancel = h.Single<CancelDecision>("rb");
        Assert.Equal(ReasonCode.CancelledByRequest, cancel.Reason);
        Assert.Empty(h.Last.OfType<RetryDecision>());
        h.Single<AdmitDecision>("rc");
    }

    [Fact]
    public void RunCancelRequested_ActiveRun_CancelledWithoutRetry()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        h.Send(new RunCancelRequested(h.NextId(), 0, "ra"));
        Assert.Equal(ReasonCode.CancelledByRequest, h.Single<CancelDecision>("ra").Reason);
        Assert.Single(h.Last);
        Assert.Equal(RunStatus.Cancelled, h.Status("ra"));
        Assert.Equal(WorkItemStatus.Open, h.Graph.WorkItems["a"].Status);
    }

    [Fact]
    public void ClaimsAmended_NoConflict_AdmitAmendmentGrantedAndClaimsWiden()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "write src/a/**");
        h.Request("rb", "b", "write docs/**");
        h.Send(new ClaimsAmended(h.NextId(), 0, "ra", h.Token("ra"), ["write src/b/**"]));
        AdmitDecision grant = h.Single<AdmitDecision>("ra");
        Assert.Equal(ReasonCode.AmendmentGranted, grant.Reason);
        Assert.Equal(h.Token("ra"), grant.FencingToken);
        Assert.True(h.Graph.Runs["ra"].Claims.Covers("src/b/x.cs"));

        h.Item("c");
        h.Request("rc", "c", "read src/b/**");
        Assert.Equal("ra", Assert.IsAssignableFrom<ClaimHold>(h.Single<HoldDecision>("rc").Reasons[0]).BlockingRunId);
    }

    [Fact]
    public void ClaimsAmended_RunIgnoresCase_AddedLinesIgnoreCaseToo()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Send(new RunRequested(h.NextId(), 0, "ra", "a", ["write src/a/**"]) { IgnoreCase = true });
        h.Send(new ClaimsAmended(h.NextId(), 0, "ra", h.Token("ra"), ["write Docs/**"]));
        Assert.Equal(ReasonCode.AmendmentGranted, h.Single<AdmitDecision>("ra").Reason);
        Assert.True(h.Graph.Runs["ra"].Claims.Covers("docs/guide.md"));
    }

    [Fact]
    public void ClaimsAmended_ConflictWithActiveRun_DeniedWithEvidenceClaimsKept()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "write src/a/**");
        h.Request("rb", "b", "read docs/**");
        h.Send(new ClaimsAmended(h.NextId(), 0, "ra", h.Token("ra"), ["write docs/guide/**"]));
        AmendmentDeniedDecision denied = h.Single<AmendmentDeniedDecision>("ra");
        Assert.Equal(ReasonCode.AmendmentConflict, denied.Reason);
        Assert.Equal("rb", denied.BlockingRunId);
        Assert.Equal("write docs/guide/**", denied.Conflict.Left.ToString());
        Assert.Equal("read docs/**", denied.Conflict.Right.ToString());
        Assert.StartsWith("docs/guide/", denied.Conflict.Witness, StringComparison.Ordinal);
        Assert.False(h.Graph.Runs["ra"].Claims.Covers("docs/guide/x.md"));
        Assert.Equal(RunStatus.Active, h.Status("ra"));
    }

    [Fact]
    public void ClaimsAmended_ConflictWithReservingHeldRun_Denied()
    {
        var h = new PolicyHarness(StrictOptions);
        h.Item("a");
        h.Item("b");
        h.Item("c");
        h.Request("ra", "a", "write src/**");
        h.Request("rb", "b", "write src/**", "write docs/**");
        h.Request("rc", "c", "write tools/**");
        Assert.True(h.Graph.Runs["rb"].ReservesPlace);
        h.Send(new ClaimsAmended(h.NextId(), 0, "rc", h.Token("rc"), ["read docs/api.md"]));
        Assert.Equal("rb", h.Single<AmendmentDeniedDecision>("rc").BlockingRunId);
    }

    [Fact]
    public void ClaimsAmended_BarrierRun_GrantedItAlreadyClaimsEverything()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("ra", "a");
        h.Send(new ClaimsAmended(h.NextId(), 0, "ra", h.Token("ra"), ["write src/**"]));
        Assert.Equal(ReasonCode.AmendmentGranted, h.Single<AdmitDecision>("ra").Reason);
        Assert.True(h.Graph.Runs["ra"].Claims.IsBarrier);
    }

    [Fact]
    public void BaseAdvanced_PathsNoRunCovers_NothingCancelled()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("ra", "a", "write src/**");
        h.Send(new BaseAdvanced(h.NextId(), 0, 2) { ChangedPaths = ["docs/x.md"] });
        Assert.Empty(h.Last);
        Assert.Equal(2, h.Graph.BaseVersion);
    }

    [Fact]
    public void Recovered_AliveAndDeadRuns_DeadOrphanedWithoutCancelAliveLeaseRenewed()
    {
        var h = new PolicyHarness(PolicyOptions.Default with { LeaseDuration = 100 });
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "write a/**");
        h.Request("rb", "b", "write b/**");
        h.Time = 80;
        h.Send(new Recovered(h.NextId(), h.Time) { AliveRunIds = ["rb"] });
        Assert.Empty(h.Last.OfType<CancelDecision>());
        RetryDecision retry = h.Single<RetryDecision>("ra");
        Assert.Equal(ReasonCode.Orphaned, retry.Reason);
        Assert.Equal(180, h.Graph.Runs["rb"].LeaseExpiresAt);
        Assert.NotEqual(RunStatus.Active, h.Status("ra"));
    }

    // ------------------------------------------------------------------ backoff and the retry budget

    [Fact]
    public void RunFailed_Transient_RetryHeldBackoffPendingUntilNotBefore()
    {
        var h = new PolicyHarness(NoJitter);
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        h.Time = 1_000;
        h.Fail("ra", transient: true);
        RetryDecision retry = h.Single<RetryDecision>("ra");
        Assert.Equal(ReasonCode.TransientFailure, retry.Reason);
        Assert.Equal("a#2", retry.NewRunId);
        Assert.Equal(2, retry.Attempt);
        Assert.Equal(11_000, retry.NotBefore);
        Assert.True(retry.ReuseWorkspace);
        Assert.Equal("ws/ra", retry.WorkspaceKey);
        BackoffPendingHold backoff = Assert.IsType<BackoffPendingHold>(Assert.Single(h.Single<HoldDecision>("a#2").Reasons));
        Assert.Equal(ReasonCode.BackoffPending, backoff.Code);
        Assert.Equal(11_000, backoff.NotBefore);
        Assert.False(h.Single<HoldDecision>("a#2").ReservesPlace);

        h.Send(new Tick(h.NextId(), 10_999));
        Assert.Empty(h.Last);
        h.Send(new Tick(h.NextId(), 11_000));
        AdmitDecision admit = h.Single<AdmitDecision>("a#2");
        Assert.True(admit.ReuseWorkspace);
        Assert.Equal("ws/ra", admit.WorkspaceKey);
    }

    [Fact]
    public void BackoffDelay_NoJitter_BaseThenDoublingToCap()
    {
        PolicyOptions options = NoJitter with { BackoffBase = 10_000, BackoffCap = 300_000 };
        long[] delays = [.. Enumerable.Range(2, 8).Select(attempt => options.BackoffDelay("a", attempt))];
        Assert.Equal(new long[] { 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000 }, delays);
        Assert.Equal(300_000, options.BackoffDelay("a", int.MaxValue));
    }

    [Fact]
    public void BackoffDelay_Jitter_DeterministicWithinBoundsAndSpread()
    {
        PolicyOptions options = PolicyOptions.Default with { JitterFraction = 0.5 };
        var seen = new HashSet<long>();
        foreach (string item in new[] { "a", "b", "c", "issue-17", "docs" })
        {
            for (int attempt = 2; attempt <= 8; attempt++)
            {
                long delay = Math.Min(10_000L << (attempt - 2), 300_000);
                long jittered = options.BackoffDelay(item, attempt);
                Assert.InRange(jittered, delay, delay + (delay / 2) - 1);
                Assert.Equal(jittered, options.BackoffDelay(item, attempt));
                seen.Add(jittered - delay);
            }
        }

        Assert.True(seen.Count > 20, "jitter does not spread: " + string.Join(", ", seen));
    }

    [Fact]
    public void RunFailed_RetryNotBefore_IsNowPlusBackoffDelayOfItemAndAttempt()
    {
        var h = new PolicyHarness();
        h.Item("issue-9");
        h.Request("r", "issue-9", "write a/**");
        h.Time = 5_000;
        h.Fail("r", transient: true);
        RetryDecision first = h.Single<RetryDecision>("r");
        Assert.Equal(5_000 + h.Options.BackoffDelay("issue-9", 2), first.NotBefore);

        h.Time = first.NotBefore;
        h.Send(new Tick(h.NextId(), h.Time));
        h.Fail(first.NewRunId, transient: true);
        RetryDecision second = h.Single<RetryDecision>(first.NewRunId);
        Assert.Equal(3, second.Attempt);
        Assert.Equal(h.Time + h.Options.BackoffDelay("issue-9", 3), second.NotBefore);
        Assert.InRange(second.NotBefore - h.Time, 20_000, 22_000);
    }

    [Fact]
    public void RunFailed_BudgetUsedUp_RetryBudgetExhaustedItemAbandonedDependentsCancelled()
    {
        var h = new PolicyHarness(NoJitter with { MaxAttempts = 3 });
        h.Item("a");
        h.Item("b", "a");
        h.Request("ra", "a", "write a/**");
        h.Request("rb", "b", "write b/**");
        string run = "ra";
        for (int failure = 1; failure <= 2; failure++)
        {
            h.Fail(run, transient: true);
            RetryDecision retry = h.Single<RetryDecision>(run);
            Assert.Equal(failure, h.Graph.Runs[retry.NewRunId].Failures);
            h.Time = retry.NotBefore;
            h.Send(new Tick(h.NextId(), h.Time));
            run = retry.NewRunId;
        }

        Assert.Equal(RunStatus.Active, h.Status(run));
        h.Fail(run, transient: true);
        Assert.Empty(h.Last.OfType<RetryDecision>());
        CancelDecision exhausted = h.Single<CancelDecision>(run);
        Assert.Equal(ReasonCode.RetryBudgetExhausted, exhausted.Reason);
        Assert.Equal("a", exhausted.CauseWorkItemId);
        Assert.Equal(WorkItemStatus.Abandoned, h.Graph.WorkItems["a"].Status);
        CancelDecision dependent = h.Single<CancelDecision>("rb");
        Assert.Equal(ReasonCode.DependencyFailed, dependent.Reason);
        Assert.Equal("a", dependent.CauseWorkItemId);
    }

    [Fact]
    public void Restart_StaleCancel_KeepsFailuresAndUsesNoBackoff()
    {
        var h = new PolicyHarness(NoJitter);
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        h.Fail("ra", transient: true);
        string second = h.Single<RetryDecision>("ra").NewRunId;
        h.Time = 10_000;
        h.Send(new Tick(h.NextId(), h.Time));
        h.Send(new BaseAdvanced(h.NextId(), h.Time, 1) { ChangedPaths = ["a/x"] });
        RetryDecision restart = h.Single<RetryDecision>(second);
        Assert.Equal(ReasonCode.Restarted, restart.Reason);
        Assert.Equal(3, restart.Attempt);
        Assert.Equal(h.Time, restart.NotBefore);
        Assert.Equal(1, h.Graph.Runs[restart.NewRunId].Failures);
        h.Single<AdmitDecision>(restart.NewRunId);
    }

    [Fact]
    public void Retry_DerivedIdTaken_PrimeAppended()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("a#2", "b", "write b/**");
        h.Request("ra", "a", "write a/**");
        h.Fail("ra", transient: true);
        Assert.Equal("a#2'", h.Single<RetryDecision>("ra").NewRunId);
    }

    // ------------------------------------------------------------------ limits, order and claims

    [Fact]
    public void Step_GlobalConcurrencyLimit_SecondRunHeldReservingUntilFirstFinishes()
    {
        var h = new PolicyHarness(PolicyOptions.Default with { MaxActiveRuns = 1, Reservation = ReservationMode.Strict });
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "write a/**");
        h.Request("rb", "b", "write b/**");
        HoldDecision hold = h.Single<HoldDecision>("rb");
        ConcurrencyLimitHold limit = Assert.IsType<ConcurrencyLimitHold>(Assert.Single(hold.Reasons));
        Assert.Equal(ReasonCode.ConcurrencyLimit, limit.Code);
        Assert.True(limit.IsGlobal);
        Assert.Null(limit.Label);
        Assert.True(hold.ReservesPlace);

        h.Succeed("ra", 1);
        h.Single<AdmitDecision>("rb");
    }

    [Fact]
    public void Step_LabelConcurrencyLimit_OnlyRunsWithThatLabelHeld()
    {
        var h = new PolicyHarness(PolicyOptions.Default with
        {
            MaxActivePerLabel = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, int>("ui", 1)]),
        });
        h.Send(new WorkItemAdded(h.NextId(), 0, "a") { Labels = ["ui"] });
        h.Send(new WorkItemAdded(h.NextId(), 0, "b") { Labels = ["ui", "db"] });
        h.Send(new WorkItemAdded(h.NextId(), 0, "c") { Labels = ["db"] });
        h.Request("ra", "a", "write a/**");
        h.Request("rb", "b", "write b/**");
        ConcurrencyLimitHold limit = Assert.IsType<ConcurrencyLimitHold>(Assert.Single(h.Single<HoldDecision>("rb").Reasons));
        Assert.Equal(ReasonCode.ConcurrencyLimit, limit.Code);
        Assert.Equal("ui", limit.Label);
        h.Request("rc", "c", "write c/**");
        h.Single<AdmitDecision>("rc");

        h.Send(new WorkItemChanged(h.NextId(), 0, "a") { Labels = [] });
        Assert.Equal(RunStatus.Active, h.Status("rb"));
    }

    [Fact]
    public void Step_LaterRunConflictingWithReservingHeldRun_QueuedBehindEvenWhenActiveBlockerIsDisjoint()
    {
        var h = new PolicyHarness(StrictOptions);
        h.Item("a");
        h.Item("b");
        h.Item("c");
        h.Request("ra", "a", "write docs/**");
        h.Request("rb", "b", "write docs/**", "write src/a/**");
        h.Request("rc", "c", "write src/a/x.cs");
        HoldDecision hold = h.Single<HoldDecision>("rc");
        QueuedBehindHold queued = Assert.IsType<QueuedBehindHold>(Assert.Single(hold.Reasons));
        Assert.Equal(ReasonCode.QueuedBehind, queued.Code);
        Assert.Equal("rb", queued.BlockingRunId);
        Assert.Equal("b", queued.BlockingWorkItemId);
        Assert.Equal("src/a/x.cs", queued.Conflict!.Witness);
        Assert.True(hold.ReservesPlace);

        h.Succeed("ra", 1, "docs/x.md");
        h.Single<AdmitDecision>("rb");
        ClaimConflictHold now = Assert.IsType<ClaimConflictHold>(Assert.Single(h.Single<HoldDecision>("rc").Reasons));
        Assert.Equal(ReasonCode.ClaimConflict, now.Code);
        Assert.Equal("rb", now.BlockingRunId);

        h.Succeed("rb", 2, "src/a/y.cs");
        h.Single<AdmitDecision>("rc");
    }

    [Fact]
    public void Step_EarlierRunWaitingOnDependency_DoesNotReserveLaterRunAdmitted()
    {
        var h = new PolicyHarness();
        h.Item("a", "z");
        h.Item("b");
        h.Request("ra", "a", "write src/**");
        Assert.False(h.Single<HoldDecision>("ra").ReservesPlace);
        h.Request("rb", "b", "write src/a/**");
        h.Single<AdmitDecision>("rb");
    }

    [Fact]
    public void Step_HigherPriorityRequestedLater_GoesFirstAndEarlierRunQueuesBehindIt()
    {
        var h = new PolicyHarness(StrictOptions);
        h.Item("a");
        h.Item("b");
        h.Item("c");
        h.Request("ra", "a", "write src/**");
        h.Request("rb", "b", "write src/b/**");
        h.Send(new RunRequested(h.NextId(), 0, "rc", "c", ["write src/c/**", "write src/b/x"]) { Priority = 5 });
        HoldReason rc = Assert.Single(h.Single<HoldDecision>("rc").Reasons);
        Assert.Equal(ReasonCode.ClaimConflict, rc.Code);

        // rb's Hold named ra, which still blocks it: no new Hold; its blockers now include its place behind rc.
        Assert.IsType<HoldDecision>(Assert.Single(h.Last));
        ImmutableArray<HoldReason> rb = HoldBlockers.Of(h.Graph, "rb", h.Options);
        Assert.Equal(new[] { ReasonCode.ClaimConflict, ReasonCode.QueuedBehind }, rb.Select(r => r.Code).ToArray());
        Assert.Equal("rc", Assert.IsType<QueuedBehindHold>(rb[1]).BlockingRunId);

        h.Succeed("ra", 1);
        h.Single<AdmitDecision>("rc");
        Assert.Equal(RunStatus.Held, h.Status("rb"));
    }

    [Fact]
    public void Step_BarrierRun_ConflictsWithEveryRunEvenReadOnly()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Item("c");
        h.Request("ra", "a", "read docs/readme.md");
        h.Request("barrier", "b");
        ClaimConflictHold reason = Assert.IsType<ClaimConflictHold>(Assert.Single(h.Single<HoldDecision>("barrier").Reasons));
        Assert.Equal(ReasonCode.ClaimConflict, reason.Code);
        Assert.Equal("ra", reason.BlockingRunId);

        h.Succeed("ra", 1);
        h.Single<AdmitDecision>("barrier");
        h.Request("rc", "c", "read tools/x");
        Assert.Equal("barrier", Assert.IsAssignableFrom<ClaimHold>(h.Single<HoldDecision>("rc").Reasons[0]).BlockingRunId);
    }

    [Theory]
    [InlineData("read", "read", true)]
    [InlineData("append", "append", true)]
    [InlineData("append", "write", false)]
    [InlineData("read", "write", false)]
    [InlineData("write", "write", false)]
    [InlineData("read", "append", true)]
    public void Step_TwoRunsOnTheSamePath_TogetherOnlyWhenModesAreCompatible(string first, string second, bool together)
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", first + " CHANGELOG.md");
        h.Request("rb", "b", second + " CHANGELOG.md");
        Assert.Equal(together ? RunStatus.Active : RunStatus.Held, h.Status("rb"));
    }

    [Fact]
    public void Hold_BlockersUnchanged_NotRepeatedBlockerChanged_HoldAgain()
    {
        var h = new PolicyHarness(StrictOptions);
        h.Item("a");
        h.Item("b");
        h.Item("c");
        h.Item("d");
        h.Request("ra", "a", "write src/**");
        h.Request("rb", "b", "write src/**");
        h.Single<HoldDecision>("rb");
        h.Send(new Tick(h.NextId(), 5));
        Assert.Empty(h.Last);
        h.Request("rc", "c", "write docs/**");
        h.Single<AdmitDecision>("rc");
        h.Request("rd", "d", "write src/d/**");
        Assert.Equal(2, h.Single<HoldDecision>("rd").Reasons.Length);
        Assert.DoesNotContain(h.Last, d => d.RunId == "rb");

        h.Send(new RunCancelRequested(h.NextId(), 5, "ra"));
        h.Single<AdmitDecision>("rb");
        ClaimConflictHold now = Assert.IsType<ClaimConflictHold>(Assert.Single(h.Single<HoldDecision>("rd").Reasons));
        Assert.Equal(ReasonCode.ClaimConflict, now.Code);
        Assert.Equal("rb", now.BlockingRunId);
    }

    // ------------------------------------------------------------------ workspaces of new requests

    [Fact]
    public void RunRequested_AfterCancelledRunSameClaims_ReusesItsWorkspace()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("r1", "a", "write a/**");
        h.Send(new RunCancelRequested(h.NextId(), 0, "r1"));
        h.Request("r2", "a", "write a/**");
        AdmitDecision admit = h.Single<AdmitDecision>("r2");
        Assert.True(admit.ReuseWorkspace);
        Assert.Equal("ws/r1", admit.WorkspaceKey);
    }

    [Fact]
    public void RunRequested_AfterCancelledRunClaimSetGrew_NewWorkspace()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("r1", "a", "write a/**");
        h.Send(new RunCancelRequested(h.NextId(), 0, "r1"));
        h.Request("r2", "a", "write a/**", "read docs/**");
        AdmitDecision admit = h.Single<AdmitDecision>("r2");
        Assert.False(admit.ReuseWorkspace);
        Assert.Equal("ws/r2", admit.WorkspaceKey);
    }

    [Fact]
    public void RunRequested_AfterCancelledRunItemChanged_NewWorkspace()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("r1", "a", "write src/**");
        h.Send(new RunCancelRequested(h.NextId(), 0, "r1"));
        h.Send(new WorkItemChanged(h.NextId(), 0, "a"));
        h.Request("r2", "a", "write src/**");
        AdmitDecision admit = h.Single<AdmitDecision>("r2");
        Assert.False(admit.ReuseWorkspace);
        Assert.Equal("ws/r2", admit.WorkspaceKey);
    }

    [Fact]
    public void RunRequested_LatestRunSucceeded_NewWorkspaceNotAnOlderFailedRunsOne()
    {
        // docs/policy.md: "A new request for a work item whose latest run ended without success reuses that run's
        // workspace". Here the latest run succeeded (the item continues), so nothing is reused.
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("r1", "a", "write a/**");
        h.Send(new RunCancelRequested(h.NextId(), 0, "r1"));
        h.Request("r2", "a", "write a/**");
        Assert.Equal("ws/r1", h.Single<AdmitDecision>("r2").WorkspaceKey);
        h.Send(new RunSucceeded(h.NextId(), 0, "r2", h.Token("r2"), 1) { ChangedPaths = ["a/x"], WorkItemContinues = true });

        h.Request("r3", "a", "write a/**");
        AdmitDecision admit = h.Single<AdmitDecision>("r3");
        Assert.False(admit.ReuseWorkspace);
        Assert.Equal("ws/r3", admit.WorkspaceKey);
    }

    // ------------------------------------------------------------------ options

    [Fact]
    public void Validate_EveryFieldWrong_ListsEveryProblem()
    {
        var options = new PolicyOptions
        {
            MaxActiveRuns = 0,
            MaxActivePerLabel = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, int>("ui", 0)]),
            BackoffBase = -1,
            BackoffCap = -2,
            JitterFraction = double.NaN,
            MaxAttempts = 0,
            LeaseDuration = 0,
        };
        ImmutableArray<PolicyOptionsProblem> problems = options.Validate();
        Assert.Equal(7, problems.Length);
        foreach (string name in new[] { "MaxActiveRuns", "MaxActivePerLabel['ui']", "BackoffBase", "BackoffCap", "JitterFraction", "MaxAttempts", "LeaseDuration" })
        {
            Assert.Contains(problems, p => p.Message.StartsWith(name, StringComparison.Ordinal));
        }

        PolicyOptionsException ex = Assert.Throws<PolicyOptionsException>(() => ClaimPolicy.Step(WorkGraph.Empty, [], options));
        Assert.Equal(problems.Select(p => p.Message), ex.Problems.Select(p => p.Message));
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    public void Validate_JitterOutsideZeroToOne_OneProblem(double jitter)
    {
        ImmutableArray<PolicyOptionsProblem> problems = (PolicyOptions.Default with { JitterFraction = jitter }).Validate();
        Assert.Equal("JitterFraction", Assert.Single(problems).Member);
    }

    [Fact]
    public void Validate_Defaults_NoProblem()
    {
        Assert.Empty(PolicyOptions.Default.Validate());
        Assert.Empty(new PolicyOptions { MaxActiveRuns = 1, LeaseDuration = null, JitterFraction = 1, MaxAttempts = 1, BackoffBase = 0, BackoffCap = 0 }.Validate());
    }

    /// <summary>An event type the policy does not know.</summary>
    private sealed record UnknownEvent(string EventId, long Time) : PolicyEvent(EventId, Time);
}
