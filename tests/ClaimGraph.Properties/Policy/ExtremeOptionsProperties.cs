using System.Collections.Immutable;
using System.Globalization;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Policy;

/// <summary>What an event does in <see cref="ExtremeOptionsProperties"/>: resolved against the graph when it is sent.</summary>
internal enum ExtremeOp
{
    Request,
    Heartbeat,
    FailTransient,
    FailPermanent,
    Succeed,
    Tick,
}

/// <summary>Options with every member at or around an extreme, and events at extreme times.</summary>
internal sealed record ExtremeCase(PolicyOptions Options, (ExtremeOp Op, long Time)[] Steps)
{
    public override string ToString() =>
        Options.ToString() + "\n  " + string.Join("\n  ", Steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Op} at {s.Time}")));
}

/// <summary>
/// The policy's arithmetic at the extremes (#13): every option and every event time driven to 0, 1, the documented
/// maxima (<see cref="PolicyOptions.MaxDuration"/>, <see cref="PolicyEvent.MinTime"/>, <see cref="PolicyEvent.MaxTime"/>),
/// <see cref="long.MaxValue"/> and ±1 around them. Options are accepted or refused with typed problems; with accepted
/// options the policy never throws, every lease is exactly <c>now + LeaseDuration</c> (never wrapped, never before now),
/// and every backoff lies in [0, BackoffCap].
/// </summary>
public class ExtremeOptionsProperties
{
    private static readonly long[] Durations =
        [0, 1, 2, 10_000, PolicyOptions.MaxDuration - 1, PolicyOptions.MaxDuration, PolicyOptions.MaxDuration + 1, long.MaxValue - 1, long.MaxValue, -1, long.MinValue];

    private static readonly int[] Counts = [0, 1, 2, 3, 64, int.MaxValue - 1, int.MaxValue, -1, int.MinValue];

    private static readonly double[] Fractions = [0, double.Epsilon, 0.1, 0.5, 1, 1 + 1e-9, -1e-9, double.NaN, double.PositiveInfinity, double.NegativeInfinity];

    private static readonly long[] Times =
    [
        0, 1, -1,
        PolicyEvent.MinTime - 1, PolicyEvent.MinTime, PolicyEvent.MinTime + 1,
        PolicyEvent.MaxTime - 1, PolicyEvent.MaxTime, PolicyEvent.MaxTime + 1,
        PolicyOptions.MaxDuration / 2, long.MaxValue - 1, long.MaxValue, long.MinValue,
    ];

    private static readonly int[] Attempts = [int.MinValue, -1, 0, 1, 2, 3, 54, 55, 56, 62, 63, 64, 65, 1000, int.MaxValue];

    private static readonly HashSet<string> Members = [.. typeof(PolicyOptions).GetProperties().Select(p => p.Name)];

    private static Gen<T> Pick<T>(T[] values, T usual) => Gen.Frequency((1, Gen.Constant(usual)), (3, Gen.Elements(values)));

    private static Gen<PolicyOptions> OptionsGen =>
        from maxActive in Gen.Frequency((2, Gen.Constant((int?)null)), (3, Gen.Elements(Counts).Select(c => (int?)c)))
        from label in Pick(Counts, 1)
        from backoffBase in Pick(Durations, 10_000)
        from backoffCap in Pick(Durations, 300_000)
        from jitter in Pick(Fractions, 0.1)
        from attempts in Pick(Counts, 3)
        from lease in Gen.Frequency((1, Gen.Constant((long?)null)), (4, Pick(Durations, 60_000).Select(d => (long?)d)))
        from reservation in Gen.Elements(ReservationMode.Strict, ReservationMode.Backfill, (ReservationMode)7)
        from budget in Pick(Counts, 64)
        select PolicyOptions.Default with
        {
            MaxActiveRuns = maxActive,
            MaxActivePerLabel = PolicyOptions.Default.MaxActivePerLabel.Add("ui", label),
            BackoffBase = backoffBase,
            BackoffCap = backoffCap,
            JitterFraction = jitter,
            MaxAttempts = attempts,
            LeaseDuration = lease,
            Reservation = reservation,
            BypassBudget = budget,
        };

    private static Gen<ExtremeCase> CaseGen =>
        from options in OptionsGen
        from n in Gen.Choose(1, 14)
        from steps in Gen.Zip(Gen.Elements(Enum.GetValues<ExtremeOp>()), Gen.Elements(Times)).ArrayOf(n)
        select new ExtremeCase(options, steps);

    private static IEnumerable<ExtremeCase> Shrink(ExtremeCase c)
    {
        for (int i = 0; i < c.Steps.Length; i++)
        {
            yield return c with { Steps = [.. c.Steps[..i], .. c.Steps[(i + 1)..]] };
        }
    }

    [Property(MaxTest = 2000)]
    public Property Validate_ExtremeOptions_AcceptedOrTypedProblemsThatStepThrows() =>
        Prop.ForAll(Arb.From(OptionsGen), options =>
        {
            ImmutableArray<PolicyOptionsProblem> problems = options.Validate();
            Assert.All(problems, p => Assert.Contains(p.Member, Members));
            if (problems.IsEmpty)
            {
                Assert.Empty(ClaimPolicy.Step(WorkGraph.Empty, [new Tick("t", 0)], options).Decisions);
                Assert.Matches("^sha256:[0-9a-f]{64}$", options.Fingerprint);
            }
            else
            {
                PolicyOptionsException ex = Assert.Throws<PolicyOptionsException>(() => ClaimPolicy.Step(WorkGraph.Empty, [], options));
                Assert.Equal(problems.Select(p => p.Member), ex.Problems.Select(p => p.Member));
            }
        });

    [Property(MaxTest = 2000)]
    public Property BackoffDelay_ExtremeOptionsAndAttempts_BetweenZeroAndCap() =>
        Prop.ForAll(Arb.From(OptionsGen), options =>
        {
            foreach (int attempt in Attempts)
            {
                long delay = options.BackoffDelay("item", attempt);
                Assert.InRange(delay, 0, Math.Max(0, options.BackoffCap));
                if (attempt < 2)
                {
                    Assert.Equal(0, delay);
                }
            }
        });

    [Property(MaxTest = 1500)]
    public Property Step_ExtremeOptionsAndTimes_NeverThrowsLeasesExactBackoffsWithinCap() =>
        Prop.ForAll(Arb.From(CaseGen, Shrink), c =>
        {
            PolicyOptions options = c.Options;
            if (!options.Validate().IsEmpty)
            {
                return;
            }

            WorkGraph graph = ClaimPolicy.Step(WorkGraph.Empty, [new WorkItemAdded("i1", 0, "a"), new WorkItemAdded("i2", 0, "b"), new WorkItemAdded("i3", 0, "c")], options).Graph;
            int sent = 0;
            foreach ((ExtremeOp op, long time) in c.Steps)
            {
                string id = "e" + (++sent).ToString(CultureInfo.InvariantCulture);
                PolicyEvent e = Make(graph, op, id, time);
                PolicyStepResult result = ClaimPolicy.Step(graph, [e], options);
                bool inBounds = time is >= PolicyEvent.MinTime and <= PolicyEvent.MaxTime;
                if (!inBounds)
                {
                    Assert.Equal(ReasonCode.InvalidEvent, Assert.IsType<RejectDecision>(Assert.Single(result.Decisions)).Reason);
                    Assert.Same(graph, result.Graph);
                    continue;
                }

                long now = result.Graph.Now;
                if (!result.Decisions.Any(d => d is RejectDecision))
                {
                    Assert.Equal(Math.Max(graph.Now, time), now); // a rejected event changes nothing, its time included
                }
                foreach (Decision d in result.Decisions)
                {
                    if (d is AdmitDecision admit)
                    {
                        // In 128 bits, so that a wrapped lease cannot equal a wrapped expectation.
                        Assert.Equal(options.LeaseDuration is long lease ? (Int128)now + lease : null, (Int128?)admit.LeaseExpiresAt);
                    }
                    else if (d is RetryDecision retry)
                    {
                        Assert.InRange((Int128)retry.NotBefore - now, 0, Math.Max(0, options.BackoffCap));
                    }
                }

                foreach (Run run in result.Graph.Runs.Values)
                {
                    if (run.Status == RunStatus.Active && run.LeaseExpiresAt is long expires)
                    {
                        Assert.True(expires >= now, $"run {run.Id} is active with lease {expires} before now {now}");
                    }
                }

                graph = result.Graph;
            }
        });

    /// <summary>The event for <paramref name="op"/> against <paramref name="graph"/>: the first active run, or a free item.</summary>
    private static PolicyEvent Make(WorkGraph graph, ExtremeOp op, string id, long time)
    {
        Run? active = graph.Runs.Values.FirstOrDefault(r => r.Status == RunStatus.Active);
        if (op == ExtremeOp.Request || (active is null && op != ExtremeOp.Tick))
        {
            string item = new[] { "a", "b", "c" }.FirstOrDefault(i => !graph.Runs.Values.Any(r => r.WorkItemId == i && !r.Status.IsTerminal())) ?? "a";
            return new RunRequested(id, time, "r" + id, item, ["write src/**"]);
        }

        return op switch
        {
            ExtremeOp.Heartbeat => new RunHeartbeat(id, time, active!.Id, active.FencingToken),
            ExtremeOp.FailTransient => new RunFailed(id, time, active!.Id, active.FencingToken, Transient: true),
            ExtremeOp.FailPermanent => new RunFailed(id, time, active!.Id, active.FencingToken, Transient: false),
            ExtremeOp.Succeed => new RunSucceeded(id, time, active!.Id, active.FencingToken, graph.BaseVersion + 1) { WorkItemContinues = true },
            _ => new Tick(id, time),
        };
    }
}
