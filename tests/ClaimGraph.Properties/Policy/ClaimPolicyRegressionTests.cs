using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Properties.Policy;

/// <summary>Counterexamples the policy properties found, shrunk, each with the outcome docs/policy.md asks for.</summary>
public class ClaimPolicyRegressionTests
{
    private static PolicyStepResult Run(PolicyOptions options, params PolicyEvent?[] events) =>
        ClaimPolicy.Step(WorkGraph.Empty, events, options);

    private static string Show(IEnumerable<Decision> decisions) => string.Join(" | ", decisions.Select(d => d.Message));

    /// <summary>
    /// Found by Step_EventsBackInTime_DecisionsEqualReference: docs/policy.md step 3 says <c>now = max(graph.Now,
    /// e.Time)</c>, but the policy takes the event's own time, so a late event moves the clock back.
    /// </summary>
    [Fact]
    public void Step_RequestStampedBeforeLatestTime_LeaseCountsFromLatestTime()
    {
        PolicyStepResult result = Run(
            PolicyOptions.Default,
            new WorkItemAdded("e1", 0, "b"),
            new RunRequested("e2", -5_000, "r4", "b", []));
        AdmitDecision admit = Assert.IsType<AdmitDecision>(Assert.Single(result.Decisions));
        Assert.Equal(60_000, admit.LeaseExpiresAt);
    }

    /// <summary>The same defect through a heartbeat that arrives late: it must not shorten the lease.</summary>
    [Fact]
    public void RunHeartbeat_StampedBeforeLatestTime_LeaseNotShortened()
    {
        var options = PolicyOptions.Default with { LeaseDuration = 1_000 };
        PolicyStepResult result = Run(
            options,
            new WorkItemAdded("e1", 0, "a"),
            new RunRequested("e2", 0, "r", "a", ["write a/**"]),
            new RunHeartbeat("e3", 900, "r", 1),
            new RunHeartbeat("e4", 100, "r", 1),
            new Tick("e5", 1_500));
        Assert.True(result.Graph.Runs["r"].Status == RunStatus.Active, Show(result.Decisions));
        Assert.Equal(1_900, result.Graph.Runs["r"].LeaseExpiresAt);
    }

    /// <summary>The same defect through a retry: its backoff counts from the latest time seen, not from a late failure report.</summary>
    [Fact]
    public void RunFailed_StampedBeforeLatestTime_BackoffCountsFromLatestTime()
    {
        var options = PolicyOptions.Default with { JitterFraction = 0 };
        PolicyStepResult result = Run(
            options,
            new WorkItemAdded("e1", 0, "a"),
            new RunRequested("e2", 0, "r", "a", ["write a/**"]),
            new Tick("e3", 50_000),
            new RunFailed("e4", 20_000, "r", 1, Transient: true));
        RetryDecision retry = Assert.Single(result.Decisions.OfType<RetryDecision>());
        Assert.Equal(60_000, retry.NotBefore);
    }

    /// <summary>
    /// Found by Step_RandomEvents_DecisionsEqualReference: an empty dependency id escaped as an
    /// <see cref="ArgumentException"/> from the graph instead of a <c>Reject(InvalidEvent)</c>; Step must never throw on an event.
    /// </summary>
    [Fact]
    public void WorkItemAdded_EmptyDependencyId_RejectedInvalidEventWithoutThrowing()
    {
        PolicyStepResult result = Run(PolicyOptions.Default, new WorkItemAdded("e1", 0, "a") { DependsOn = [string.Empty] });
        RejectDecision reject = Assert.IsType<RejectDecision>(Assert.Single(result.Decisions));
        Assert.Equal(ReasonCode.InvalidEvent, reject.Reason);
        Assert.Equal(0, result.Graph.WorkItemCount);
    }

    /// <summary>
    /// Found by Step_RandomEvents_DecisionsEqualReference: two active runs lose their leases in the same event, the first
    /// (upstream, budget used up) abandons its item, which cancels the second (a transitive dependent) with
    /// <c>DependencyFailed</c>. The second must then be left alone; the policy cancelled it again with
    /// <c>LeaseExpired</c>, retried or abandoned it, and so failed an item for a failure that was not its own.
    /// </summary>
    [Fact]
    public void Tick_UpstreamAndDependentLeasesExpireTogether_DependentCancelledOnceItemNotAbandoned()
    {
        PolicyStepResult result = ClaimPolicy.Step(Chain(), [new Tick("e9", 60_001)], PolicyOptions.Default with { MaxAttempts = 1 });
        Assert.Equal(
            new[] { "r1 RetryBudgetExhausted", "r2 DependencyFailed" },
            result.Decisions.Select(d => $"{d.RunId} {d.Reason}").ToArray());
        Assert.Equal(WorkItemStatus.Open, result.Graph.WorkItems["a"].Status);
        Assert.Equal(RunStatus.Cancelled, result.Graph.Runs["r2"].Status);
    }

    /// <summary>The same defect through a restart where both runs are gone.</summary>
    [Fact]
    public void Recovered_UpstreamAndDependentBothGone_DependentCancelledOnceItemNotAbandoned()
    {
        PolicyStepResult result = ClaimPolicy.Step(Chain(), [new Recovered("e9", 10)], PolicyOptions.Default with { MaxAttempts = 1 });
        Assert.Equal(
            new[] { "r1 RetryBudgetExhausted", "r2 DependencyFailed" },
            result.Decisions.Select(d => $"{d.RunId} {d.Reason}").ToArray());
        Assert.Equal(WorkItemStatus.Open, result.Graph.WorkItems["a"].Status);
    }

    /// <summary>
    /// The same defect where the dependent is alive: the policy tried to renew the lease of the run it had just
    /// cancelled, the graph refused, and the whole (valid) restart event was rejected with <c>InvalidTransition</c>.
    /// </summary>
    [Fact]
    public void Recovered_UpstreamGoneDependentAlive_AcceptedDependentCancelledDependencyFailed()
    {
        PolicyStepResult result = ClaimPolicy.Step(Chain(), [new Recovered("e9", 10) { AliveRunIds = ["r2"] }], PolicyOptions.Default with { MaxAttempts = 1 });
        Assert.Equal(
            new[] { "r1 RetryBudgetExhausted", "r2 DependencyFailed" },
            result.Decisions.Select(d => $"{d.RunId} {d.Reason}").ToArray());
        Assert.True(result.Graph.IsEventProcessed("e9"));
    }

    /// <summary>
    /// Found by the replay property: <see cref="PolicyJson.WriteEvent"/> threw <see cref="NullReferenceException"/> on
    /// events whose list properties are <c>default</c> (which the policy itself reads as empty).
    /// </summary>
    [Fact]
    public void WriteEvent_DefaultLists_WritesWithoutThrowing()
    {
        PolicyEvent[] events =
        [
            new BaseAdvanced("e1", 0, 1) { ChangedPaths = default },
            new ClaimsAmended("e2", 0, "r", 1, default),
            new RunRequested("e3", 0, "r", "a", default),
            new WorkItemAdded("e4", 0, "a") { DependsOn = default, Labels = default },
        ];
        foreach (PolicyEvent e in events)
        {
            string json = PolicyJson.WriteEvent(e);
            Assert.Equal(e.EventId, EventJson.Read(json).EventId);
        }
    }

    /// <summary>Three items i &lt;- b &lt;- a, b closed as done while i is open, and runs of i (r1) and a (r2) both active.</summary>
    private static WorkGraph Chain()
    {
        PolicyStepResult setup = Run(
            PolicyOptions.Default,
            new WorkItemAdded("e1", 0, "i"),
            new WorkItemAdded("e2", 0, "b") { DependsOn = ["i"] },
            new WorkItemAdded("e3", 0, "a") { DependsOn = ["b"] },
            new WorkItemClosed("e4", 0, "b", Abandoned: false),
            new RunRequested("e5", 0, "r1", "i", ["write src/**"]),
            new RunRequested("e6", 0, "r2", "a", ["write docs/**"]));
        Assert.Equal(2, setup.Graph.ActiveRunCount);
        return setup.Graph;
    }
}
