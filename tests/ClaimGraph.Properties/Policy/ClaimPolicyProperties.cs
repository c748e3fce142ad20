using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Oracles.Policy;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Policy;

/// <summary>
/// <see cref="ClaimPolicy.Step"/> on random event sequences over a small universe (four items, six run ids, a few
/// overlapping patterns, modes, times and fencing tokens mostly taken from the current state): the naive
/// <see cref="ReferencePolicy"/> is the oracle, and the invariants of docs/policy.md, replay, idempotency, robustness and
/// fairness are checked on the graphs.
/// </summary>
public class ClaimPolicyProperties
{
    [Property(MaxTest = 3000)]
    public Property Step_RandomEvents_DecisionsEqualReference() =>
        Prop.ForAll(PolicyScript.Arbitrary(), script =>
        {
            List<TraceStep> trace = PolicyTrace.Run(script);
            AssertAgrees(trace);
        });

    /// <summary>docs/policy.md step 3: <c>now = max(graph.Now, e.Time)</c>; an event from the past happens at the latest time seen.</summary>
    [Property(MaxTest = 1000)]
    public Property Step_EventsBackInTime_DecisionsEqualReference() =>
        Prop.ForAll(PolicyScript.Arbitrary(backInTime: true), script =>
        {
            List<TraceStep> trace = PolicyTrace.Run(script);
            AssertAgrees(trace);
        });

    /// <summary>
    /// The pass re-checks only the waiting runs an event may affect, using the note the previous step left on the graph;
    /// a graph rebuilt from the same content has no note and gets a full pass. Both must decide alike, decision for
    /// decision (evidence included), and give equal graphs.
    /// </summary>
    [Property(MaxTest = 1000)]
    public Property Step_IncrementalPass_EqualsFullPass() =>
        Prop.ForAll(PolicyScript.Arbitrary(), script =>
        {
            List<TraceStep> trace = PolicyTrace.Run(script);
            for (int i = 0; i < trace.Count; i++)
            {
                TraceStep step = trace[i];
                WorkGraph rebuilt = step.Before.ToBuilder().ToGraph();
                Assert.Null(AdmissionState.Of(rebuilt));
                PolicyStepResult full = ClaimPolicy.Step(rebuilt, [step.Event], script.PolicyOptions);
                if (!full.Decisions.SequenceEqual(step.Actual) || !full.Graph.Equals(step.After))
                {
                    string expected = string.Join("\n", full.Decisions.Select(d => "  " + d.Kind + " " + d.RunId + ": " + d.Message));
                    string actual = string.Join("\n", step.Actual.Select(d => "  " + d.Kind + " " + d.RunId + ": " + d.Message));
                    Assert.Fail($"step {i + 1}: the incremental pass differs from a full pass\nFULL:\n{expected}\nINCREMENTAL:\n{actual}\n{PolicyTrace.Describe(trace.Take(i + 1))}");
                }
            }
        });

    [Property(MaxTest = 1000)]
    public Property Step_RandomEvents_KeepsDesignInvariants() =>
        Prop.ForAll(PolicyScript.Arbitrary(), script =>
        {
            List<TraceStep> trace = PolicyTrace.Run(script);
            var lastHold = new Dictionary<string, HoldDecision>(StringComparer.Ordinal);
            for (int i = 0; i < trace.Count; i++)
            {
                TraceStep step = trace[i];
                foreach (HoldDecision hold in step.Actual.OfType<HoldDecision>())
                {
                    lastHold[hold.RunId!] = hold;
                }

                List<string> problems = PolicyInvariants.Violations(step.After, script.PolicyOptions, step.Now, lastHold);
                if (problems.Count > 0)
                {
                    Assert.Fail($"after step {i + 1}: {string.Join("; ", problems)}\n{PolicyTrace.Describe(trace.Take(i + 1))}");
                }

                AssertOldestHeldAdmittedOnceBackoffEnds(step, script.PolicyOptions, trace.Take(i + 1));
            }
        });

    [Property(MaxTest = 1000)]
    public Property Step_EventLogReplayedFromEmpty_EqualGraphAndIdenticalDecisions() =>
        Prop.ForAll(PolicyScript.Arbitrary(), script =>
        {
            List<TraceStep> trace = PolicyTrace.Run(script);
            List<PolicyEvent?> log = PolicyTrace.Events(trace);
            PolicyOptions options = script.PolicyOptions;
            WorkGraph stepped = trace[^1].After;
            List<string> steppedJson = [.. trace.SelectMany(t => t.Actual).Select(PolicyJson.WriteDecision)];

            PolicyStepResult once = ClaimPolicy.Step(WorkGraph.Empty, log, options);
            PolicyStepResult again = ClaimPolicy.Step(WorkGraph.Empty, log, options);
            Assert.True(stepped.Equals(once.Graph), "one Step over the whole log differs from stepping event by event");
            Assert.Equal(steppedJson, once.Decisions.Select(PolicyJson.WriteDecision));
            Assert.Equal(steppedJson, again.Decisions.Select(PolicyJson.WriteDecision));
            Assert.True(once.Graph.Equals(again.Graph) && once.Graph.GetHashCode() == again.Graph.GetHashCode(), "two replays differ");

            int split = log.Count / 2;
            PolicyStepResult first = ClaimPolicy.Step(WorkGraph.Empty, log.Take(split), options);
            PolicyStepResult rest = ClaimPolicy.Step(first.Graph, log.Skip(split), options);
            Assert.True(stepped.Equals(rest.Graph), $"Step(Step(g, e[..{split}]), e[{split}..]) differs from Step(g, e)");
            Assert.Equal(steppedJson, first.Decisions.Concat(rest.Decisions).Select(PolicyJson.WriteDecision));

            // The log as an orchestrator keeps it: JSON lines read back.
            List<PolicyEvent?> fromJson = [.. log.Select(RoundTrip)];
            PolicyStepResult replayed = ClaimPolicy.Step(WorkGraph.Empty, fromJson, options);
            Assert.True(stepped.Equals(replayed.Graph), "replaying the JSON log gives another graph");
        });

    [Property(MaxTest = 1000)]
    public Property Step_RepeatedOrInvalidEvent_ChangesNothing() =>
        Prop.ForAll(PolicyScript.Arbitrary(), script =>
        {
            List<TraceStep> trace = PolicyTrace.Run(script);
            for (int i = 0; i < trace.Count; i++)
            {
                TraceStep step = trace[i];
                void Check(bool ok, string what)
                {
                    if (!ok)
                    {
                        Assert.Fail($"{what} at step {i + 1}:\n{PolicyTrace.Describe(trace.Take(i + 1))}");
                    }
                }

                if (step.Actual.Length == 1 && step.Actual[0] is RejectDecision)
                {
                    Check(step.Before.Equals(step.After), "a rejected event changed the graph");
                }

                PolicyStepResult repeated = ClaimPolicy.Step(step.After, [step.Event], script.PolicyOptions);
                Check(step.After.Equals(repeated.Graph), "repeating the event changed the graph");
                bool applied = step.Event is { EventId.Length: > 0 } e && step.After.IsEventProcessed(e.EventId);
                if (applied)
                {
                    Check(repeated.Decisions.IsEmpty, "repeating an applied event made decisions");
                }
                else
                {
                    Check(
                        repeated.Decisions.Length == 1 && repeated.Decisions[0] is RejectDecision r && r.Reason == step.Actual.Single().Reason,
                        "repeating a rejected event did not give the same rejection");
                }
            }
        });

    [Property(MaxTest = 1000)]
    public Property Step_GarbageEventsAndAbsurdTimes_NeverThrows() =>
        Prop.ForAll(PolicyScript.Arbitrary(maxSteps: 30, garbageWeight: 12, backInTime: true), script =>
        {
            var reference = new ReferencePolicy(script.PolicyOptions);
            var materializer = new PolicyScript.Materializer(script, reference, extremeTimes: true);
            WorkGraph g = WorkGraph.Empty;
            var log = new List<PolicyEvent?>();
            for (int i = 0; i < script.Steps.Length; i++)
            {
                PolicyEvent? e = materializer.Next(i);
                log.Add(e);
                reference.Apply(e);
                try
                {
                    g = ClaimPolicy.Step(g, [e], script.PolicyOptions).Graph;
                }
                catch (Exception ex)
                {
                    Assert.Fail($"Step threw {ex.GetType().Name}: {ex.Message}\non {PolicyTrace.Describe(e)}\nafter:\n{string.Join("\n", log.SkipLast(1).Select(PolicyTrace.Describe))}");
                }
            }
        });

    [Property(MaxTest = 1000)]
    public Property Step_StrictFairness_EveryWaitingRunEventuallyAdmittedOrCancelled() =>
        Prop.ForAll(PolicyScript.Arbitrary(), script =>
        {
            List<TraceStep> trace = PolicyTrace.Run(script);
            PolicyOptions options = script.PolicyOptions;
            WorkGraph g = trace[^1].After;
            long time = trace[^1].Now;
            var waiting = g.AdmissionQueue.Select(r => r.Id).ToList();
            int budget = (3 * (g.RunCount + g.WorkItemCount)) + 10;
            int next = 0;
            var driven = new List<PolicyEvent>();
            PolicyStepResult Send(PolicyEvent e)
            {
                driven.Add(e);
                return ClaimPolicy.Step(g, [e], options);
            }

            for (int round = 0; round < budget && !g.AdmissionQueue.IsEmpty; round++)
            {
                // The orchestrator plays fair: every active run finishes inside its claims ...
                foreach (Run run in g.Runs.Values.Where(r => r.Status == RunStatus.Active).ToList())
                {
                    g = Send(new RunSucceeded($"fair{++next}", time, run.Id, run.FencingToken, g.BaseVersion + 1)).Graph;
                }

                // ... every dependency someone waits for gets done when nobody works on it ...
                foreach (Run held in g.AdmissionQueue.ToList())
                {
                    foreach (string dep in g.DependenciesOf(held.WorkItemId))
                    {
                        if (!g.ContainsWorkItem(dep))
                        {
                            g = Send(new WorkItemAdded($"fair{++next}", time, dep)).Graph;
                        }

                        if (g.WorkItems[dep].Status != WorkItemStatus.Done && !g.RunsOf(dep).Any(r => g.Runs[r.Id].Status is RunStatus.Active or RunStatus.Held or RunStatus.Pending))
                        {
                            g = Send(new WorkItemClosed($"fair{++next}", time, dep, Abandoned: false)).Graph;
                        }
                    }
                }

                // ... and time passes beyond every backoff.
                time += options.BackoffCap * 2;
                g = Send(new Tick($"fair{++next}", time)).Graph;
            }

            List<string> stuck = [.. waiting.Where(id => g.Runs[id].Status.IsWaiting())];
            Assert.True(
                stuck.Count == 0,
                $"runs never admitted nor cancelled under strict fairness: {string.Join(", ", stuck)}\nscript:\n{PolicyTrace.Describe(trace)}\ndriven:\n{string.Join("\n", driven.Select(PolicyTrace.Describe))}");
        });

    private static void AssertAgrees(List<TraceStep> trace)
    {
        int bad = trace.FindIndex(t => !t.Agrees);
        if (bad >= 0)
        {
            Assert.Fail($"step {bad + 1} differs from the reference policy:\n{PolicyTrace.Describe(trace.Take(bad + 1))}");
        }
    }

    /// <summary>When only its backoff keeps the oldest held run waiting, a tick at its not-before time admits it.</summary>
    private static void AssertOldestHeldAdmittedOnceBackoffEnds(TraceStep step, PolicyOptions options, IEnumerable<TraceStep> context)
    {
        WorkGraph g = step.After;
        Run? oldest = g.AdmissionQueue.Where(r => r.Status == RunStatus.Held).Order(ReservationOrder.For(options.EffectiveBypassBudget)).FirstOrDefault();
        if (oldest?.NotBefore is not long notBefore || notBefore <= step.Now)
        {
            return;
        }

        bool leaseEnds = g.Runs.Values.Any(r => r.Status == RunStatus.Active && r.LeaseExpiresAt < notBefore);
        if (leaseEnds || PolicyInvariants.Blockers(g, options, notBefore, oldest).Count != 0)
        {
            return;
        }

        PolicyStepResult tick = ClaimPolicy.Step(g, [new Tick("probe-tick", notBefore)], options);
        if (!tick.Decisions.OfType<AdmitDecision>().Any(a => a.RunId == oldest.Id))
        {
            Assert.Fail($"the oldest held run '{oldest.Id}' was not admitted when its backoff ended at {notBefore}:\n{PolicyTrace.Describe(context)}");
        }
    }

    private static bool HasDefaultArray(PolicyEvent e) => e switch
    {
        WorkItemAdded x => x.DependsOn.IsDefault || x.Labels.IsDefault,
        WorkItemChanged x => x.Labels is { IsDefault: true },
        RunRequested x => x.Claims.IsDefault,
        RunSucceeded x => x.ChangedPaths.IsDefault,
        ClaimsAmended x => x.AdditionalClaims.IsDefault,
        BaseAdvanced x => x.ChangedPaths.IsDefault,
        Recovered x => x.AliveRunIds.IsDefault,
        _ => false,
    };

    private static PolicyEvent? RoundTrip(PolicyEvent? e)
    {
        // Garbage (no id, an unknown type, default arrays) is not what an orchestrator writes; it stays as it is.
        // (PolicyJson.WriteEvent throws NullReferenceException on default arrays: pinned in ClaimPolicyRegressionTests.)
        if (e is null or BogusEvent || string.IsNullOrEmpty(e.EventId) || HasDefaultArray(e))
        {
            return e;
        }

        try
        {
            return EventJson.Read(PolicyJson.WriteEvent(e));
        }
        catch (JsonReadException)
        {
            return e; // Null ids: JSON refuses them at the edge, the policy never sees them.
        }
    }
}
