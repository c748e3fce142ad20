using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Tests.Policy;

/// <summary>
/// The admission pass evaluates only the waiting runs an event may affect, carrying to the next step the runs a change
/// late in the pass affects: it must decide exactly as a full pass (a graph rebuilt from the same content has no note
/// of the previous step and gets one).
/// </summary>
public class ClaimPolicyRecheckTests
{
    private static readonly PolicyOptions NoJitter = PolicyOptions.Default with { JitterFraction = 0 };

    private static void AssertSameAsFullPass(WorkGraph before, PolicyEvent e, PolicyOptions options, PolicyStepResult incremental)
    {
        Assert.NotNull(AdmissionState.Of(before));
        PolicyStepResult full = ClaimPolicy.Step(before.ToBuilder().ToGraph(), [e], options);
        Assert.Equal<Decision>(full.Decisions, incremental.Decisions);
        Assert.Equal(full.Graph, incremental.Graph);
    }

    [Fact]
    public void Step_RunAdmittedAfterAnEarlierHeldRunItConflictsWith_EarlierRunHeldAgainNextStep()
    {
        var h = new PolicyHarness(NoJitter);
        h.Item("dep");
        h.Item("a", "dep");
        h.Item("b");
        h.Request("ra", "a", "write src/**");
        Assert.Equal(ReasonCode.DependencyPending, h.Single<HoldDecision>("ra").Reason);

        // ra waits on a dependency, so it does not reserve its place: rb, later in line, starts beside it.
        h.Time = 1;
        h.Request("rb", "b", "write src/x/**");
        Assert.Equal(ReasonCode.Admitted, h.Single<AdmitDecision>("rb").Reason);
        Assert.DoesNotContain(h.Last, d => d.RunId == "ra");

        // A full pass would now see rb active when it reaches ra: the note carries ra to this step.
        WorkGraph before = h.Graph;
        var tick = new Tick(h.NextId(), 2);
        ImmutableArray<Decision> decisions = h.Send(tick);
        HoldDecision hold = h.Single<HoldDecision>("ra");
        Assert.Equal([ReasonCode.DependencyPending, ReasonCode.ClaimConflict], hold.Reasons.Select(r => r.Code));
        Assert.Equal("rb", Assert.IsAssignableFrom<ClaimHold>(hold.Reasons[1]).BlockingRunId);
        AssertSameAsFullPass(before, tick, NoJitter, new PolicyStepResult(h.Graph, decisions));

        // Nothing changed since: no new hold.
        Assert.Empty(h.Send(new Tick(h.NextId(), 3)));
    }

    [Fact]
    public void Step_BackoffEnds_RetryAdmittedByTheFirstEventAtOrAfterItsNotBefore()
    {
        var h = new PolicyHarness(NoJitter);
        h.Item("a");
        h.Request("r1", "a", "write src/**");
        h.Fail("r1", transient: true);
        RetryDecision retry = h.Single<RetryDecision>("r1");
        long notBefore = retry.NotBefore;

        Assert.Empty(h.Send(new Tick(h.NextId(), notBefore - 1)));

        WorkGraph before = h.Graph;
        var tick = new Tick(h.NextId(), notBefore);
        ImmutableArray<Decision> decisions = h.Send(tick);
        Assert.Equal(retry.NewRunId, h.Single<AdmitDecision>().RunId);
        AssertSameAsFullPass(before, tick, NoJitter, new PolicyStepResult(h.Graph, decisions));
    }

    [Fact]
    public void Step_SlotFreesUnderGlobalLimit_EveryWaitingRunReconsidered()
    {
        PolicyOptions options = NoJitter with { MaxActiveRuns = 1 };
        var h = new PolicyHarness(options);
        h.Item("a");
        h.Item("b");
        h.Item("c");
        h.Request("ra", "a", "write a/**");
        h.Request("rb", "b", "write b/**");
        h.Request("rc", "c", "write c/**");
        Assert.Equal(ReasonCode.ConcurrencyLimit, h.Single<HoldDecision>("rc").Reason);

        WorkGraph before = h.Graph;
        h.Time = 1;
        var success = new RunSucceeded(h.NextId(), 1, "ra", h.Token("ra"), 1);
        ImmutableArray<Decision> decisions = h.Send(success);
        Assert.Equal("rb", h.Single<AdmitDecision>().RunId);
        Assert.Equal(RunStatus.Held, h.Status("rc"));
        AssertSameAsFullPass(before, success, options, new PolicyStepResult(h.Graph, decisions));
    }
}
