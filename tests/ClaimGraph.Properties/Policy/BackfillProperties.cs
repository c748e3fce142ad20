using ClaimGraph.Claims;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Policy;

/// <summary>
/// The bypass budget of backfill reservation (docs/policy.md, "Backfill"), checked from the decisions alone: overtakes
/// are counted here, independently of <see cref="Run.Bypasses"/>, and strict reservation is backfill with K = 0.
/// </summary>
public class BackfillProperties
{
    /// <summary>
    /// An overtake: a run is admitted (whatever its own budget) while a ready waiting run that conflicts with it was
    /// requested before it or has a higher priority. No run is overtaken more than K times, the graph's counter agrees
    /// with this count, and once a run's budget is used up only runs whose budget is used up too and that come first in
    /// admission order start past it (docs/policy.md, "The wait bound"). Together: with equal priorities a run waits
    /// for at most K conflicting runs requested after it, including runs that used up their own budget first.
    /// </summary>
    [Property(MaxTest = 1500)]
    public Property Step_Backfill_NoRunOvertakenMoreThanBudget() =>
        Prop.ForAll(PolicyScript.Arbitrary(maxSteps: 60, optionsGen: Gen.Frequency((1, Gen.Choose(0, PolicyScript.Options.Length - 1)), (3, PolicyScript.SmallBudgetOptions))), script =>
        {
            PolicyOptions options = script.PolicyOptions;
            int budget = options.Reservation == ReservationMode.Backfill ? options.BypassBudget : 0;
            List<TraceStep> trace = PolicyTrace.Run(script);
            var overtakes = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < trace.Count; i++)
            {
                TraceStep step = trace[i];
                var decided = new HashSet<string>(StringComparer.Ordinal);
                foreach (Decision d in step.Actual)
                {
                    if (d is AdmitDecision { Reason: ReasonCode.Admitted } admit)
                    {
                        Run admitted = step.After.Runs[admit.RunId!];
                        bool admittedReserved = Count(overtakes, admitted.Id) >= budget;
                        foreach (Run r in WaitingDuringPass(step, decided))
                        {
                            if (r.Id == admitted.Id || !Ready(step, r) || !ClaimSet.Conflicts(r.Claims, admitted.Claims).IsConflict)
                            {
                                continue;
                            }

                            if (Count(overtakes, r.Id) >= budget)
                            {
                                // The bound, part 2: while a run whose budget is used up waits ready, a conflicting run is
                                // admitted only if its budget is used up too and it comes first in admission order.
                                if (!(admittedReserved && RunOrder.Admission.Compare(admitted, r) < 0))
                                {
                                    Assert.Fail($"step {i + 1}: '{admitted.Id}' was admitted past '{r.Id}', whose budget {budget} is used up\n{PolicyTrace.Describe(trace.Take(i + 1))}");
                                }
                            }
                            else if (Ahead(r, admitted))
                            {
                                // Part 1: counted up to K here, whatever the admitted run's own budget; the graph's counter
                                // must agree (below), so an overtake the policy misses or adds fails.
                                overtakes[r.Id] = Count(overtakes, r.Id) + 1;
                            }
                        }
                    }

                    if (d is AdmitDecision or CancelDecision && d.RunId is not null)
                    {
                        decided.Add(d.RunId);
                    }
                }

                foreach (Run run in step.After.Runs.Values)
                {
                    Assert.True(
                        run.Bypasses == Count(overtakes, run.Id),
                        $"step {i + 1}: run '{run.Id}' counts {run.Bypasses} bypasses, the decisions show {Count(overtakes, run.Id)}\n{PolicyTrace.Describe(trace.Take(i + 1))}");
                }
            }
        });

    /// <summary>Backfill with K = 0 decides exactly as strict reservation: same decisions (JSON bytes), equal graphs.</summary>
    [Property(MaxTest = 1000)]
    public Property Step_BackfillWithBudgetZero_EqualsStrict() =>
        Prop.ForAll(PolicyScript.Arbitrary(), script =>
        {
            List<PolicyEvent?> log = PolicyTrace.Events(PolicyTrace.Run(script));
            PolicyOptions strict = script.PolicyOptions with { Reservation = ReservationMode.Strict };
            PolicyOptions backfill = script.PolicyOptions with { Reservation = ReservationMode.Backfill, BypassBudget = 0 };
            WorkGraph g1 = WorkGraph.Empty;
            WorkGraph g2 = WorkGraph.Empty;
            for (int i = 0; i < log.Count; i++)
            {
                PolicyStepResult a = ClaimPolicy.Step(g1, [log[i]], strict);
                PolicyStepResult b = ClaimPolicy.Step(g2, [log[i]], backfill);
                Assert.Equal(a.Decisions.Select(PolicyJson.WriteDecision), b.Decisions.Select(PolicyJson.WriteDecision));
                Assert.True(a.Graph.Equals(b.Graph), $"event {i + 1}: the graphs differ");
                (g1, g2) = (a.Graph, b.Graph);
            }
        });

    private static int Count(Dictionary<string, int> counts, string id) => counts.TryGetValue(id, out int n) ? n : 0;

    /// <summary>Whether <paramref name="r"/> is ahead of <paramref name="a"/> in the queue: higher priority, or requested earlier (then: smaller id).</summary>
    private static bool Ahead(Run r, Run a) =>
        r.Priority > a.Priority
        || r.RequestedAt < a.RequestedAt
        || (r.RequestedAt == a.RequestedAt && string.CompareOrdinal(r.Id, a.Id) < 0);

    /// <summary>The runs waiting at this point of the step's pass: waiting before it or new in it, and not yet admitted or cancelled in it.</summary>
    private static IEnumerable<Run> WaitingDuringPass(TraceStep step, HashSet<string> decided)
    {
        foreach (Run run in step.After.Runs.Values)
        {
            if (decided.Contains(run.Id))
            {
                continue;
            }

            bool waitingBefore = step.Before.Runs.TryGetValue(run.Id, out Run? before) ? before.Status.IsWaiting() : true;
            if (waitingBefore && (run.Status.IsWaiting() || run.Status is RunStatus.Active or RunStatus.Cancelled))
            {
                yield return run;
            }
        }
    }

    /// <summary>Ready: item open, every dependency done, nothing upstream abandoned, backoff over (read off the graph after the step).</summary>
    private static bool Ready(TraceStep step, Run run)
    {
        WorkGraph g = step.After;
        return g.WorkItems[run.WorkItemId].Status == WorkItemStatus.Open
            && !(run.NotBefore > step.Now)
            && g.DependenciesOf(run.WorkItemId).All(d => g.WorkItems.TryGetValue(d, out WorkItem? w) && w.Status == WorkItemStatus.Done)
            && !g.TransitiveDependencies(run.WorkItemId).Any(d => g.WorkItems.TryGetValue(d, out WorkItem? w) && w.Status == WorkItemStatus.Abandoned);
    }
}
