using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Tests.Policy;

/// <summary>
/// <see cref="PolicyOptions"/>: typed problems, the documented backoff formula (docs/policy.md), the cap, and the
/// bounds on durations and event times that keep the policy's time arithmetic from overflowing (#13).
/// </summary>
public class PolicyOptionsTests
{
    private static readonly PolicyOptions NoJitter = PolicyOptions.Default with { JitterFraction = 0 };

    [Fact]
    public void Validate_EveryProblem_NamesItsMemberAndKey()
    {
        var options = new PolicyOptions
        {
            MaxActiveRuns = 0,
            MaxActivePerLabel = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, int>("ui", 0), new("db", 2)]),
            BackoffBase = -1,
            JitterFraction = 2,
            MaxAttempts = 0,
            LeaseDuration = 0,
            Reservation = (ReservationMode)9,
            BypassBudget = -1,
        };

        ImmutableArray<PolicyOptionsProblem> problems = options.Validate();

        Assert.Equal(
            ["MaxActiveRuns", "MaxActivePerLabel", "BackoffBase", "JitterFraction", "MaxAttempts", "LeaseDuration", "Reservation", "BypassBudget"],
            problems.Select(p => p.Member));
        Assert.Equal("ui", problems[1].Key);
        Assert.All(problems.Where(p => p.Member != "MaxActivePerLabel"), p => Assert.Null(p.Key));
        Assert.All(problems, p => Assert.StartsWith(p.Member, p.Message, StringComparison.Ordinal));
        Assert.Equal(problems.Select(p => p.Message), Assert.Throws<PolicyOptionsException>(() => options.EnsureValid()).Problems.Select(p => p.Message));
    }

    [Fact]
    public void Validate_LeaseDurationLongMaxValue_Refused()
    {
        // Was accepted, and the first admitted run got lease -9223372036854775808 (now + lease wrapped).
        PolicyOptionsProblem problem = Assert.Single((PolicyOptions.Default with { LeaseDuration = long.MaxValue }).Validate());

        Assert.Equal(nameof(PolicyOptions.LeaseDuration), problem.Member);
        Assert.Empty((PolicyOptions.Default with { LeaseDuration = PolicyOptions.MaxDuration }).Validate());
    }

    [Theory]
    [InlineData(PolicyOptions.MaxDuration + 1, 0, "BackoffBase")]
    [InlineData(long.MaxValue, 10_000, "BackoffCap")]
    public void Validate_BackoffBeyondMaxDuration_Refused(long cap, long baseDelay, string member)
    {
        var options = PolicyOptions.Default with { BackoffCap = cap, BackoffBase = baseDelay == 0 ? cap : baseDelay };

        Assert.Contains(options.Validate(), p => p.Member == member);
    }

    [Fact]
    public void BackoffDelay_FirstAttempt_Zero()
    {
        // docs/policy.md: the first attempt never waits (it was BackoffBase plus jitter, about 10.7 s).
        Assert.Equal(0, PolicyOptions.Default.BackoffDelay("a", 1));
        Assert.Equal(0, PolicyOptions.Default.BackoffDelay("a", 0));
        Assert.Equal(0, PolicyOptions.Default.BackoffDelay("a", int.MinValue));
    }

    [Fact]
    public void BackoffDelay_Defaults_AsDocumented()
    {
        // docs/policy.md: the first retry waits 10–11 s, the second 20–22 s, the sixth on exactly 300 s.
        foreach (string item in new[] { "a", "b", "issue-17", "docs", "billing" })
        {
            Assert.InRange(PolicyOptions.Default.BackoffDelay(item, 2), 10_000, 10_999);
            Assert.InRange(PolicyOptions.Default.BackoffDelay(item, 3), 20_000, 21_999);
            Assert.InRange(PolicyOptions.Default.BackoffDelay(item, 6), 160_000, 175_999);
            Assert.Equal(300_000, PolicyOptions.Default.BackoffDelay(item, 7));
        }
    }

    [Fact]
    public void BackoffDelay_FullJitter_NeverPastTheCap()
    {
        // The cap was not one: jitter went on top (326 s was observed with a 300 s cap).
        var options = PolicyOptions.Default with { JitterFraction = 1 };
        for (int attempt = 2; attempt < 70; attempt++)
        {
            foreach (string item in new[] { "a", "b", "c", "issue-17" })
            {
                Assert.InRange(options.BackoffDelay(item, attempt), 0, options.BackoffCap);
            }
        }

        Assert.Contains(Enumerable.Range(0, 50), i => options.BackoffDelay("item" + i, 6) > 160_000 && options.BackoffDelay("item" + i, 6) < 300_000);
    }

    [Fact]
    public void BackoffDelay_JitterIsTheFormulasFloor()
    {
        var options = PolicyOptions.Default with { JitterFraction = 0.5 };
        foreach (string item in new[] { "a", "b", "c" })
        {
            for (int attempt = 2; attempt <= 9; attempt++)
            {
                long d = Math.Min(10_000L << (attempt - 2), 300_000);
                long delay = options.BackoffDelay(item, attempt);
                Assert.InRange(delay, d, Math.Min(d + (d / 2) - 1, 300_000));
            }
        }
    }

    [Theory]
    [InlineData(55)]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(int.MaxValue)]
    public void BackoffDelay_HugeCap_SaturatesInsteadOfWrapping(int attempt)
    {
        // With BackoffCap = long.MaxValue it went negative at attempt 55 and was 0 from attempt 63.
        foreach (double jitter in new[] { 0.0, 0.1, 1.0 })
        {
            var options = PolicyOptions.Default with { BackoffCap = long.MaxValue, JitterFraction = jitter };

            long delay = options.BackoffDelay("a", attempt);

            Assert.True(delay >= options.BackoffDelay("a", 54), $"attempt {attempt}, jitter {jitter}: {delay}");
            Assert.True(delay >= 10_000L << 52, $"attempt {attempt}, jitter {jitter}: {delay}");
        }
    }

    [Fact]
    public void BackoffDelay_NeverDecreasesWithTheAttempt()
    {
        var options = NoJitter with { BackoffBase = 3, BackoffCap = PolicyOptions.MaxDuration };
        long previous = 0;
        for (int attempt = 1; attempt < 80; attempt++)
        {
            long delay = options.BackoffDelay("a", attempt);
            Assert.InRange(delay, previous, PolicyOptions.MaxDuration);
            previous = delay;
        }

        Assert.Equal(PolicyOptions.MaxDuration, previous);
    }

    [Fact]
    public void BackoffDelay_ZeroBase_ZeroAndFastForAnyAttempt()
    {
        Assert.Equal(0, (PolicyOptions.Default with { BackoffBase = 0 }).BackoffDelay("a", int.MaxValue));
    }

    [Theory]
    [InlineData(PolicyEvent.MaxTime + 1)]
    [InlineData(long.MaxValue - 1)]
    [InlineData(PolicyEvent.MinTime - 1)]
    [InlineData(long.MinValue)]
    public void Step_EventTimeOutsideTheBounds_InvalidEventAndNothingChanges(long time)
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("r", "a", "write a/**");
        WorkGraph before = h.Graph;

        RejectDecision reject = Assert.IsType<RejectDecision>(Assert.Single(h.Send(new Tick("late", time))));

        Assert.Equal((ReasonCode.InvalidEvent, (string?)null), (reject.Reason, reject.RunId));
        Assert.Same(before, h.Graph);
    }

    [Fact]
    public void Step_LatestTimeAndLongestLease_LeaseAfterNow()
    {
        // A time near long.MaxValue wrapped the lease of the run admitted at it; at the bounds it cannot.
        var h = new PolicyHarness(PolicyOptions.Default with { LeaseDuration = PolicyOptions.MaxDuration, BackoffBase = PolicyOptions.MaxDuration, BackoffCap = PolicyOptions.MaxDuration });
        h.Item("a");
        h.Time = PolicyEvent.MaxTime;
        h.Request("r", "a", "write a/**");

        AdmitDecision admit = h.Single<AdmitDecision>("r");
        Assert.Equal(PolicyEvent.MaxTime + PolicyOptions.MaxDuration, admit.LeaseExpiresAt);

        h.Fail("r", transient: true);
        Assert.Equal(PolicyEvent.MaxTime + PolicyOptions.MaxDuration, h.Single<RetryDecision>("r").NotBefore);
    }

    [Fact]
    public void Step_GraphTimeBeyondTheBounds_EveryEventRefused()
    {
        WorkGraph graph = WorkGraph.Empty.WithNow(long.MaxValue - 5);

        PolicyStepResult result = ClaimPolicy.Step(graph, [new WorkItemAdded("e", 0, "a")]);

        Assert.Equal(ReasonCode.InvalidEvent, Assert.IsType<RejectDecision>(Assert.Single(result.Decisions)).Reason);
    }
}
