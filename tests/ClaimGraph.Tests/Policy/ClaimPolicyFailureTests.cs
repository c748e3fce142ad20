using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Policy;

/// <summary>
/// How a run's end is decided when two facts meet in one event: a lease that expires on the last attempt, a failure
/// report that arrives after the lease ran out, and changed paths that name a namespace.
/// </summary>
public class ClaimPolicyFailureTests
{
    private static readonly PolicyOptions Leased = PolicyOptions.Default with { LeaseDuration = 100, JitterFraction = 0 };

    /// <summary>Work item <c>a</c> with its run <c>ra</c> admitted at time 0 (lease until 100).</summary>
    private static PolicyHarness ActiveRun(PolicyOptions options)
    {
        var h = new PolicyHarness(options);
        h.Item("a");
        h.Request("ra", "a", "write a/**");
        return h;
    }

    [Fact]
    public void Tick_LeaseExpiresOnLastAttempt_OneCancelWithBothFacts()
    {
        PolicyHarness h = ActiveRun(Leased with { MaxAttempts = 1 });
        h.Time = 101;
        h.Send(new Tick(h.NextId(), h.Time));
        CancelDecision cancel = Assert.IsType<CancelDecision>(Assert.Single(h.Last, d => d.RunId == "ra"));
        Assert.Equal(ReasonCode.RetryBudgetExhausted, cancel.Reason);
        Assert.True(cancel.LeaseExpired);
        Assert.Contains("no heartbeat within its lease", cancel.Message, StringComparison.Ordinal);
        Assert.Contains("\"leaseExpired\":true", PolicyJson.WriteDecision(cancel), StringComparison.Ordinal);
        Assert.Equal(WorkItemStatus.Abandoned, h.Graph.WorkItems["a"].Status);
        Assert.Single(h.Graph.Runs["ra"].History, e => e.Kind == DecisionKind.Cancel);
    }

    [Fact]
    public void Tick_LeaseExpiresWithBudgetLeft_CancelLeaseExpiredThenRetry()
    {
        PolicyHarness h = ActiveRun(Leased with { MaxAttempts = 2 });
        h.Time = 101;
        h.Send(new Tick(h.NextId(), h.Time));
        CancelDecision cancel = h.Single<CancelDecision>("ra");
        Assert.Equal(ReasonCode.LeaseExpired, cancel.Reason);
        Assert.False(cancel.LeaseExpired);
        Assert.Equal(ReasonCode.Orphaned, h.Single<RetryDecision>("ra").Reason);
    }

    [Fact]
    public void RunFailed_AfterLeaseEnd_RetriedForItsFailureNotCancelled()
    {
        PolicyHarness h = ActiveRun(Leased);
        h.Time = 500;
        h.Fail("ra", transient: true);
        Decision only = Assert.Single(h.Last, d => d.RunId == "ra");
        Assert.Equal(ReasonCode.TransientFailure, Assert.IsType<RetryDecision>(only).Reason);
        Assert.Equal(RunStatus.Failed, h.Status("ra"));
    }

    [Fact]
    public void RunFailed_AfterLeaseEndOnLastAttempt_OneFinalDecision()
    {
        PolicyHarness h = ActiveRun(Leased with { MaxAttempts = 1 });
        h.Time = 500;
        h.Fail("ra", transient: true);
        CancelDecision final = Assert.IsType<CancelDecision>(Assert.Single(h.Last, d => d.RunId == "ra"));
        Assert.Equal(ReasonCode.RetryBudgetExhausted, final.Reason);
        Assert.False(final.LeaseExpired);
        Assert.Equal(RunStatus.Failed, h.Status("ra"));
    }

    [Fact]
    public void RunSucceeded_NamespacedChangedPathInsideClaims_NoViolation()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("ra", "a", "write artifact:build/**");
        h.Succeed("ra", 1, "artifact:build/app.dll");
        Assert.Empty(h.Last.OfType<ClaimViolationDecision>());
    }

    [Fact]
    public void RunSucceeded_NamespacedChangedPathOutsideClaims_ViolationNamesIt()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("ra", "a", "write build/**");
        h.Succeed("ra", 1, "artifact:build/app.dll");
        Assert.Equal(["artifact:build/app.dll"], h.Single<ClaimViolationDecision>("ra").Paths.ToArray());
    }

    [Fact]
    public void BaseAdvanced_NamespacedChangedPath_StalesReaderOfThatNamespaceOnly()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Request("ra", "a", "read artifact:build/**");
        h.Request("rb", "b", "write build/**");
        h.Send(new BaseAdvanced(h.NextId(), h.Time, 1) { ChangedPaths = ["artifact:build/app.dll"] });
        CancelDecision stale = h.Single<CancelDecision>("ra");
        Assert.Equal(ReasonCode.BaseStale, stale.Reason);
        Assert.Equal(["artifact:build/app.dll"], stale.Paths.ToArray());
        Assert.Equal(RunStatus.Active, h.Status("rb"));
    }
}
