using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Policy;

/// <summary>The seed's scenarios, each a named story.</summary>
public class ClaimPolicyScenarioTests
{
    [Fact]
    public void Step_DocsOnlyAndDetectorOnlyTasks_BothAdmittedAtOnce()
    {
        var h = new PolicyHarness();
        h.Item("docs");
        h.Item("detector");
        h.Request("r-docs", "docs", "write docs/**");
        h.Single<AdmitDecision>("r-docs");
        h.Request("r-det", "detector", "write src/detectors/**", "read src/common/**");
        h.Single<AdmitDecision>("r-det");
        Assert.Equal(RunStatus.Active, h.Status("r-docs"));
        Assert.Equal(RunStatus.Active, h.Status("r-det"));

        RunExplanation why = RunExplainer.Explain(h.Graph, "r-docs")!;
        ConcurrentRun beside = Assert.Single(why.ChangePacket);
        Assert.Equal("r-det", beside.RunId);
        Assert.Equal(Safety.DisjointCoverage, beside.Safety);
        Assert.Contains("segment 1: 'docs' vs 'src'", beside.Detail, StringComparison.Ordinal);
        Assert.Contains("\"changePacket\"", PolicyJson.WriteExplanation(why), StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_ReadersSharingADirectory_CompatibleModesWithWitness()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "read src/**", "write docs/a.md");
        h.Request("rb", "b", "read src/core/**", "write docs/b.md");
        ConcurrentRun beside = Assert.Single(RunExplainer.Explain(h.Graph, "rb")!.ChangePacket);
        Assert.Equal(Safety.CompatibleModes, beside.Safety);
        Assert.Contains("src/core/", beside.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_RunAdmittedAfterBlockerFinished_NotInChangePacket()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "write src/**");
        h.Request("rb", "b", "write src/x.cs");
        h.Succeed("ra", 1, "src/y.cs");
        Assert.Equal(RunStatus.Active, h.Status("rb"));
        Assert.Empty(RunExplainer.Explain(h.Graph, "rb")!.ChangePacket);
        Assert.Empty(RunExplainer.Explain(h.Graph, "ra")!.ChangePacket);
        Assert.Null(RunExplainer.Explain(h.Graph, "nope"));
    }

    [Fact]
    public void Step_TwoTasksOnTheSameServiceDirectory_SecondHeldWithWitnessThenAdmittedWhenFirstFinishes()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "write services/payments/**");
        h.Request("rb", "b", "write services/payments/api/**");
        HoldDecision hold = h.Single<HoldDecision>("rb");
        ClaimConflictHold reason = Assert.IsType<ClaimConflictHold>(Assert.Single(hold.Reasons));
        Assert.Equal(ReasonCode.ClaimConflict, reason.Code);
        Assert.Equal("ra", reason.BlockingRunId);
        Assert.NotNull(reason.Conflict);
        Assert.StartsWith("services/payments/api/", reason.Conflict!.Witness, StringComparison.Ordinal);
        Assert.False(hold.ReservesPlace);
        Assert.Equal(new BypassEvidence(0, 64, null), hold.Bypass);

        h.Succeed("ra", 1, "services/payments/x.cs");
        AdmitDecision admit = h.Single<AdmitDecision>("rb");
        Assert.Equal(1, admit.BaseVersion);
    }

    [Fact]
    public void Step_TaskDependingOnSchemaTask_HeldDependencyPendingUntilDone()
    {
        var h = new PolicyHarness();
        h.Item("schema");
        h.Item("api", "schema");
        h.Request("r-schema", "schema", "write db/schema.sql");
        h.Request("r-api", "api", "write src/api/**");
        HoldDecision hold = h.Single<HoldDecision>("r-api");
        DependencyPendingHold reason = Assert.IsType<DependencyPendingHold>(Assert.Single(hold.Reasons));
        Assert.Equal(ReasonCode.DependencyPending, reason.Code);
        Assert.Equal("schema", reason.WorkItemId);
        Assert.Equal("r-schema", reason.ActiveRunId);
        Assert.False(hold.ReservesPlace);

        h.Succeed("r-schema", 1, "db/schema.sql");
        h.Single<AdmitDecision>("r-api");
        Assert.Equal(WorkItemStatus.Done, h.Graph.WorkItems["schema"].Status);
    }

    [Fact]
    public void Step_BlockingRunFailsPermanently_ConflictingRunAdmittedDependentRunCancelled()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Item("c", "a");
        h.Request("ra", "a", "write src/**");
        h.Request("rb", "b", "write src/x/**");
        h.Request("rc", "c", "write docs/**");
        Assert.Equal(RunStatus.Held, h.Status("rb"));
        Assert.Equal(RunStatus.Held, h.Status("rc"));

        h.Fail("ra", transient: false);
        h.Single<AdmitDecision>("rb");
        CancelDecision cancel = h.Single<CancelDecision>("rc");
        Assert.Equal(ReasonCode.DependencyFailed, cancel.Reason);
        Assert.Equal("a", cancel.CauseWorkItemId);
        Assert.Equal(WorkItemStatus.Abandoned, h.Graph.WorkItems["a"].Status);
    }

    [Fact]
    public void Step_UpstreamChangesUnderRunningDependent_UpstreamChangedCancelAndRetry()
    {
        var h = new PolicyHarness();
        h.Item("schema");
        h.Item("api", "schema");
        h.Request("rs", "schema", "write db/**");
        h.Succeed("rs", 1, "db/schema.sql");
        h.Request("ra", "api", "write src/api/**");
        h.Single<AdmitDecision>("ra");

        h.Send(new WorkItemReopened(h.NextId(), h.Time, "schema"));
        CancelDecision cancel = h.Single<CancelDecision>("ra");
        Assert.Equal(ReasonCode.UpstreamChanged, cancel.Reason);
        Assert.Equal("schema", cancel.CauseWorkItemId);
        RetryDecision retry = h.Single<RetryDecision>("ra");
        Assert.Equal(ReasonCode.Restarted, retry.Reason);
        Assert.True(retry.ReuseWorkspace);
        HoldDecision hold = h.Single<HoldDecision>(retry.NewRunId);
        Assert.Equal(ReasonCode.DependencyPending, hold.Reasons[0].Code);
    }

    [Fact]
    public void Step_RestartWithDeadRuns_OrphanedRetriesReuseWorkspaces()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "write a/**");
        h.Request("rb", "b", "write b/**");
        string workspaceA = h.Graph.Runs["ra"].WorkspaceKey!;

        h.Time = 1_000;
        h.Send(new Recovered(h.NextId(), h.Time) { AliveRunIds = ["rb"] });
        RetryDecision retry = h.Single<RetryDecision>("ra");
        Assert.Equal(ReasonCode.Orphaned, retry.Reason);
        Assert.True(retry.ReuseWorkspace);
        Assert.Equal(workspaceA, retry.WorkspaceKey);
        Assert.Equal(2, retry.Attempt);
        Assert.True(retry.NotBefore >= h.Time + h.Options.BackoffBase);
        Assert.Equal(RunStatus.Active, h.Status("rb"));

        h.Time = retry.NotBefore;
        h.Send(new Tick(h.NextId(), h.Time));
        AdmitDecision admit = h.Single<AdmitDecision>(retry.NewRunId);
        Assert.True(admit.ReuseWorkspace);
        Assert.Equal(workspaceA, admit.WorkspaceKey);
    }

    [Fact]
    public void Step_NoHeartbeatWithinLease_LeaseExpiredCancelAndOrphanedRetry()
    {
        var h = new PolicyHarness(PolicyOptions.Default with { LeaseDuration = 100 });
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        h.Time = 50;
        h.Send(new RunHeartbeat(h.NextId(), h.Time, "ra", h.Token("ra")));
        Assert.Empty(h.Last);
        h.Time = 151;
        h.Send(new Tick(h.NextId(), h.Time));
        Assert.Equal(ReasonCode.LeaseExpired, h.Single<CancelDecision>("ra").Reason);
        Assert.Equal(ReasonCode.Orphaned, h.Single<RetryDecision>("ra").Reason);
    }

    [Fact]
    public void Step_BaseAdvancedUnderRunningTask_BaseStaleCancelOnlyForCoveringRuns()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "write src/billing/**");
        h.Request("rb", "b", "read docs/**");
        h.Send(new BaseAdvanced(h.NextId(), h.Time, 7) { ChangedPaths = ["src/billing/tax.cs"] });
        CancelDecision cancel = h.Single<CancelDecision>("ra");
        Assert.Equal(ReasonCode.BaseStale, cancel.Reason);
        Assert.Equal(new[] { "src/billing/tax.cs" }, cancel.Paths.ToArray());
        Assert.Equal(ReasonCode.Restarted, h.Single<RetryDecision>("ra").Reason);
        Assert.Equal(RunStatus.Active, h.Status("rb"));
        Assert.Equal(7, h.Graph.BaseVersion);
    }

    [Fact]
    public void Step_RunChangedFilesOutsideItsClaims_ClaimViolationMakesOverlappingRunsStale()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "write src/a/**");
        h.Request("rb", "b", "read src/b/**");
        h.Succeed("ra", 1, "src/a/x.cs", "src/b/y.cs");
        ClaimViolationDecision violation = h.Single<ClaimViolationDecision>("ra");
        Assert.Equal(new[] { "src/b/y.cs" }, violation.Paths.ToArray());
        CancelDecision cancel = h.Single<CancelDecision>("rb");
        Assert.Equal(ReasonCode.BaseStale, cancel.Reason);
        Assert.Equal("ra", cancel.CauseRunId);
    }

    [Fact]
    public void Step_RepeatedEventId_ChangesNothing()
    {
        var h = new PolicyHarness();
        h.Item("a");
        var e = new RunRequested("dup", 0, "ra", "a", ["write a/**"]);
        h.Send(e);
        WorkGraph before = h.Graph;
        Assert.Empty(h.Send(e));
        Assert.Same(before, h.Graph);
    }

    [Fact]
    public void Step_InvalidPattern_RejectedAndGraphUnchanged()
    {
        var h = new PolicyHarness();
        h.Item("a");
        WorkGraph before = h.Graph;
        h.Request("ra", "a", "write src/**.cs");
        RejectDecision reject = h.Single<RejectDecision>();
        Assert.Equal(ReasonCode.InvalidPattern, reject.Reason);
        Assert.Equal(before, h.Graph);
    }

    [Fact]
    public void Step_GraphAfterRetriesAndHistory_SnapshotRoundTripsAndPolicyContinuesEqually()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b", "a");
        h.Request("ra", "a", "write src/**");
        h.Request("rb", "b", "write docs/**");
        h.Fail("ra", transient: true);
        string json = WorkGraphSnapshot.Save(h.Graph);
        WorkGraph loaded = WorkGraphSnapshot.Load(json);
        Assert.Equal(h.Graph, loaded);
        Assert.Equal(1, loaded.Runs["a#2"].Failures);
        Assert.Equal("ra", loaded.Runs["a#2"].PreviousRunId);

        var tick = new Tick("later", 1_000_000);
        PolicyStepResult fromOriginal = ClaimPolicy.Step(h.Graph, [tick]);
        PolicyStepResult fromLoaded = ClaimPolicy.Step(loaded, [tick]);
        Assert.Equal(fromOriginal.Graph, fromLoaded.Graph);
        Assert.Equal(
            fromOriginal.Decisions.Select(PolicyJson.WriteDecision),
            fromLoaded.Decisions.Select(PolicyJson.WriteDecision));
    }
}
