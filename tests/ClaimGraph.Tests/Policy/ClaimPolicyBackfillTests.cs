using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Policy;

/// <summary>Backfill reservation with a bypass budget (docs/policy.md, "Backfill").</summary>
public class ClaimPolicyBackfillTests
{
    private static PolicyOptions Backfill(int budget) => PolicyOptions.Default with { Reservation = ReservationMode.Backfill, BypassBudget = budget };

    private static PolicyOptions Strict => PolicyOptions.Default with { Reservation = ReservationMode.Strict };

    /// <summary>ra active on docs; rb waits on it and wants src/a too; rc wants only src/a/x.cs.</summary>
    private static PolicyHarness HeadOfLine(PolicyOptions options)
    {
        var h = new PolicyHarness(options);
        h.Item("a");
        h.Item("b");
        h.Item("c");
        h.Request("ra", "a", "write docs/**");
        h.Request("rb", "b", "write docs/**", "write src/a/**");
        h.Request("rc", "c", "write src/a/x.cs");
        return h;
    }

    [Fact]
    public void Step_Strict_RunBlockedOnlyByWaitingRun_QueuesBehindIt()
    {
        PolicyHarness h = HeadOfLine(Strict);
        HoldDecision hold = h.Single<HoldDecision>("rc");
        Assert.Equal(ReasonCode.QueuedBehind, Assert.Single(hold.Reasons).Code);
        Assert.Null(hold.Bypass);
    }

    [Fact]
    public void Step_Backfill_RunBlockedOnlyByWaitingRun_AdmittedAndOvertakenRunCounts()
    {
        PolicyHarness h = HeadOfLine(Backfill(2));

        // rb still waits on ra, the blocker its Hold named, and does not reserve yet: a bypass count alone emits nothing.
        Assert.Equal("rc", Assert.IsType<AdmitDecision>(Assert.Single(h.Last)).RunId);
        Assert.Equal(1, h.Graph.Runs["rb"].Bypasses);
        Assert.Equal("rc", h.Graph.Runs["rb"].LastBypassedBy);
        Assert.False(h.Graph.Runs["rb"].ReservesPlace);
        Assert.Equal(["ra", "rc"], HoldBlockers.Of(h.Graph, "rb", h.Options).Select(r => ((ClaimHold)r).BlockingRunId).ToArray());
        RunHistoryEntry hold = Assert.Single(h.Graph.Runs["rb"].History, e => e.Kind == DecisionKind.Hold);
        Assert.Equal("Run 'rb' waits: claims conflict with active run 'ra'.", hold.Message);
    }

    [Fact]
    public void Step_Backfill_BudgetUsedUp_RunReservesAndLaterRunQueuesBehind()
    {
        PolicyHarness h = HeadOfLine(Backfill(1));
        HoldDecision hold = h.Single<HoldDecision>("rb");
        Assert.Equal(new BypassEvidence(1, 1, "rc"), hold.Bypass);
        Assert.True(hold.ReservesPlace);
        Assert.Contains("it reserves its place (overtaken 1 of 1 times, last by 'rc')", hold.Message, StringComparison.Ordinal);
        Assert.True(h.Graph.Runs["rb"].ReservesPlace);

        h.Item("d");
        h.Request("rd", "d", "write src/a/y.cs");
        QueuedBehindHold queued = Assert.IsType<QueuedBehindHold>(Assert.Single(h.Single<HoldDecision>("rd").Reasons));
        Assert.Equal(ReasonCode.QueuedBehind, queued.Code);
        Assert.Equal("rb", queued.BlockingRunId);
    }

    [Fact]
    public void Step_Backfill_RunWaitingOnDependency_NotCountedAsOvertaken()
    {
        var h = new PolicyHarness(Backfill(1));
        h.Item("a", "z");
        h.Item("b");
        h.Request("ra", "a", "write src/**");
        Assert.Null(h.Single<HoldDecision>("ra").Bypass);
        h.Request("rb", "b", "write src/a/**");
        h.Single<AdmitDecision>("rb");
        Assert.Single(h.Last);
        Assert.Equal(0, h.Graph.Runs["ra"].Bypasses);
    }

    /// <summary>
    /// A broad low-priority run and a stream of higher-priority runs that each conflict with it: strict reservation lets
    /// every one of them go first; backfill counts them against the budget, then the broad run reserves its place against
    /// later runs whatever their priority.
    /// </summary>
    [Theory]
    [InlineData(ReservationMode.Strict, 0, 5)]
    [InlineData(ReservationMode.Backfill, 2, 2)]
    [InlineData(ReservationMode.Backfill, 4, 4)]
    public void Step_StreamOfHigherPriorityRuns_OvertakeBroadRunAtMostBudgetTimes(ReservationMode mode, int budget, int expectedFirst)
    {
        var h = new PolicyHarness(PolicyOptions.Default with { Reservation = mode, BypassBudget = budget });
        h.Item("blocker");
        h.Request("blocker-1", "blocker", "write docs/**");
        h.Item("broad");
        h.Request("broad-1", "broad", "write docs/**", "write src/**");
        int first = 0;
        for (int i = 0; i < 5; i++)
        {
            string item = "hot" + i;
            h.Item(item);
            h.Send(new RunRequested(h.NextId(), h.Time, item + "-1", item, ["write src/" + i + "/**"]) { Priority = 10 });
            if (h.Status(item + "-1") == RunStatus.Active)
            {
                first++;
            }
            else
            {
                Assert.Equal(ReasonCode.QueuedBehind, h.Single<HoldDecision>(item + "-1").Reason);
            }
        }

        Assert.Equal(expectedFirst, first);
        Assert.Equal(mode == ReservationMode.Strict ? 0 : budget, h.Graph.Runs["broad-1"].Bypasses);

        // The blocker finishes and the hot runs that went first finish: the broad run starts before the queued ones.
        h.Succeed("blocker-1", 1);
        for (int i = 0; i < first; i++)
        {
            h.Succeed("hot" + i + "-1", 2 + i);
        }

        Assert.Equal(RunStatus.Active, h.Status("broad-1"));
        Assert.Equal(first < 5 ? RunStatus.Held : RunStatus.Succeeded, h.Status("hot4-1"));
    }

    /// <summary>
    /// A run whose own budget is used up starts ahead of an earlier-requested run it conflicts with: that is an overtake
    /// too (docs/policy.md, "The wait bound", 3). Found by the simulator: uncounted, such runs passed an earlier run
    /// more than K times.
    /// </summary>
    [Fact]
    public void Step_Backfill_RunWithBudgetUsedUpStartsAheadOfEarlierRun_CountsAsOvertake()
    {
        var h = new PolicyHarness(Backfill(1));
        foreach (string item in new[] { "a", "b", "x", "y", "z" })
        {
            h.Item(item);
        }

        h.Request("ra", "a", "write docs/**");
        h.Request("rz", "z", "write lib/**");
        h.Request("rb", "b", "write docs/**", "write src/a/**");
        h.Request("rx", "x", "write src/a/x.cs", "write lib/**", "write tools/**");
        h.Request("ry", "y", "write tools/t.sh");
        Assert.Equal(1, h.Graph.Runs["rx"].Bypasses);
        Assert.Equal(0, h.Graph.Runs["rb"].Bypasses);
        h.Succeed("ry", 1);

        // rz ends: rx, whose budget is used up, comes first in pass order and starts ahead of rb, requested before it.
        h.Succeed("rz", 2);

        Assert.Equal(RunStatus.Active, h.Status("rx"));
        HoldDecision hold = h.Single<HoldDecision>("rb");
        Assert.Equal(new BypassEvidence(1, 1, "rx"), hold.Bypass);
        Assert.True(hold.ReservesPlace);
        Assert.Equal(1, h.Graph.Runs["rb"].Bypasses);

        // rb now reserves its place: a later conflicting run queues behind it instead of passing it a second time.
        h.Item("w");
        h.Request("rw", "w", "write src/a/w.cs");
        Assert.Equal(ReasonCode.QueuedBehind, h.Single<HoldDecision>("rw").Reason);
    }

    [Fact]
    public void Validate_NegativeBypassBudget_Problem()
    {
        PolicyOptions options = PolicyOptions.Default with { BypassBudget = -1, Reservation = (ReservationMode)7 };
        Assert.Equal(2, options.Validate().Length);
        Assert.Contains(options.Validate(), p => p.Member == "BypassBudget");
        Assert.Contains(options.Validate(), p => p.Member == "Reservation");
    }

    [Fact]
    public void Snapshot_RunWithBypasses_RoundTripsEqual()
    {
        PolicyHarness h = HeadOfLine(Backfill(3));
        string json = WorkGraphSnapshot.Save(h.Graph);
        Assert.Contains("\"bypasses\":1", json, StringComparison.Ordinal);
        WorkGraph back = WorkGraphSnapshot.Load(json);
        Assert.True(h.Graph.Equals(back));
        Assert.False(back.Equals(back.WithRun(back.Runs["rb"] with { Bypasses = 2 }).Value));
    }
}
