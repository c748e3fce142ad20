using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Policy;

/// <summary>When a Hold is emitted and what it names (docs/policy.md, "When a Hold is emitted"; issue #16).</summary>
public class ClaimPolicyHoldTests
{
    private static PolicyOptions Strict => PolicyOptions.Default with { Reservation = ReservationMode.Strict };

    /// <summary>
    /// An active run on <c>src/**</c>, then <paramref name="n"/> runs that conflict with each other (on
    /// <c>src/shared.txt</c>), each with a higher priority than the one before, so each lands ahead of every held run.
    /// </summary>
    private static (PolicyHarness Harness, List<ImmutableArray<Decision>> Steps) LandingAhead(int n)
    {
        var h = new PolicyHarness(Strict);
        h.Item("a");
        h.Request("a-1", "a", "write src/**");
        var steps = new List<ImmutableArray<Decision>>();
        for (int i = 0; i < n; i++)
        {
            string item = $"w{i:D2}";
            h.Item(item);
            steps.Add(h.Send(new RunRequested(h.NextId(), 0, $"r{i:D2}", item, [$"write src/m{i:D2}/**", "write src/shared.txt"]) { Priority = i }));
        }

        return (h, steps);
    }

    [Fact]
    public void Step_RunLandsAheadOfHeldRuns_OnlyTheNewRunIsHeld()
    {
        (_, List<ImmutableArray<Decision>> steps) = LandingAhead(20);
        for (int i = 0; i < steps.Count; i++)
        {
            Decision hold = Assert.Single(steps[i]);
            Assert.Equal($"r{i:D2}", Assert.IsType<HoldDecision>(hold).RunId);
        }
    }

    [Fact]
    public void Step_ManyBlockers_HoldNamesTheFirstEightAndCountsTheRest()
    {
        (PolicyHarness h, _) = LandingAhead(12);
        h.Item("z");
        h.Send(new RunRequested(h.NextId(), 0, "rz", "z", ["write src/shared.txt"]) { Priority = -1 });
        HoldDecision hold = h.Single<HoldDecision>("rz");
        Assert.Equal(HoldDecision.MaxReasons, hold.Reasons.Length);
        Assert.Equal(13 - HoldDecision.MaxReasons, hold.MoreBlockers);
        Assert.Equal(["a-1", "r00", "r01", "r02", "r03", "r04", "r05", "r06"], hold.Reasons.Select(r => ((ClaimHold)r).BlockingRunId).ToArray());
        Assert.EndsWith("queued behind held run 'r06': 'write src/shared.txt' and 'write src/shared.txt' both cover 'src/shared.txt'; and 5 more blockers.", hold.Message, StringComparison.Ordinal);
        Assert.Contains("\"moreBlockers\":5,", PolicyJson.WriteDecision(hold), StringComparison.Ordinal);

        ImmutableArray<HoldReason> all = HoldBlockers.Of(h.Graph, "rz", h.Options);
        Assert.Equal(13, all.Length);
        Assert.Equal(hold.Reasons.ToArray(), all[..HoldDecision.MaxReasons].ToArray());
        Assert.Equal(["r07", "r08", "r09", "r10", "r11"], all[HoldDecision.MaxReasons..].Select(r => Assert.IsAssignableFrom<ClaimHold>(r).BlockingRunId).ToArray());
    }

    [Fact]
    public void Step_FewBlockers_JsonHasNoMoreBlockers()
    {
        (PolicyHarness h, List<ImmutableArray<Decision>> steps) = LandingAhead(2);
        HoldDecision hold = Assert.IsType<HoldDecision>(Assert.Single(steps[1]));
        Assert.Equal(0, hold.MoreBlockers);
        Assert.DoesNotContain("moreBlockers", PolicyJson.WriteDecision(hold), StringComparison.Ordinal);
        Assert.DoesNotContain("more blocker", hold.Message, StringComparison.Ordinal);
        Assert.Equal(2, HoldBlockers.Of(h.Graph, "r00", h.Options).Length);
    }

    [Fact]
    public void Step_NamedBlockerEnds_HoldEmittedAgainNamingTheNext()
    {
        (PolicyHarness h, _) = LandingAhead(3);
        ImmutableArray<Decision> done = h.Succeed("a-1", 1);

        // r02 (highest priority) starts; r01 now waits on it as active, not queued; r00 too, and its named blocker a-1 ended.
        Assert.Equal("r02", Assert.IsType<AdmitDecision>(done[0]).RunId);
        HoldDecision r01 = h.Single<HoldDecision>("r01");
        Assert.Equal([(ReasonCode.ClaimConflict, "r02")], r01.Reasons.Select(r => (r.Code, ((ClaimHold)r).BlockingRunId)).ToArray());
        HoldDecision r00 = h.Single<HoldDecision>("r00");
        Assert.Equal([(ReasonCode.ClaimConflict, "r02"), (ReasonCode.QueuedBehind, "r01")], r00.Reasons.Select(r => (r.Code, ((ClaimHold)r).BlockingRunId)).ToArray());
        Assert.Equal(3, done.Length);
    }

    [Fact]
    public void Step_OtherClaimBlockerEnds_HoldNotEmittedAgain()
    {
        var h = new PolicyHarness(Strict);
        h.Item("a");
        h.Item("b");
        h.Item("c");
        h.Request("ra", "a", "write src/a/**");
        h.Request("rb", "b", "write src/b/**");
        h.Request("rc", "c", "write src/**");
        HoldDecision first = h.Single<HoldDecision>("rc");
        Assert.Equal(["ra", "rb"], first.Reasons.Select(r => ((ClaimHold)r).BlockingRunId).ToArray());

        // rb ends: rc still waits on ra, the blocker its Hold named first.
        Assert.Empty(h.Succeed("rb", 1));
        Assert.Equal("Run 'rc' waits: claims conflict with active run 'ra'; it reserves its place.", h.Graph.Runs["rc"].History[^1].Message);
        Assert.Equal([ReasonCode.ClaimConflict], HoldBlockers.Of(h.Graph, "rc", h.Options).Select(r => r.Code).ToArray());

        // ra ends too: rc starts.
        Assert.Equal("rc", Assert.IsType<AdmitDecision>(Assert.Single(h.Succeed("ra", 2))).RunId);
    }

    [Fact]
    public void Step_NonClaimReasonAppears_HoldEmittedAgain()
    {
        var h = new PolicyHarness(Strict);
        h.Item("a");
        h.Item("b");
        h.Item("d");
        h.Request("ra", "a", "write src/**");
        h.Request("rb", "b", "write src/**");
        h.Send(new DependencyAdded(h.NextId(), 0, "b", "d"));
        HoldDecision hold = h.Single<HoldDecision>("rb");
        Assert.Equal([ReasonCode.DependencyPending, ReasonCode.ClaimConflict], hold.Reasons.Select(r => r.Code).ToArray());
        Assert.False(hold.ReservesPlace);
    }

    [Fact]
    public void Of_UnknownOrActiveRun_Empty()
    {
        (PolicyHarness h, _) = LandingAhead(1);
        Assert.Empty(HoldBlockers.Of(h.Graph, "nope"));
        Assert.Empty(HoldBlockers.Of(h.Graph, "a-1"));
        Assert.Throws<ArgumentNullException>(() => HoldBlockers.Of(h.Graph, null!));
    }
}
