using System.Collections.Immutable;
using System.Diagnostics;
using ClaimGraph.Diagnostics;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>The outcome of <see cref="ClaimPolicy.Step"/>: the next graph and the decisions, in order. Immutable.</summary>
public sealed class PolicyStepResult
{
    /// <summary>Creates the result.</summary>
    /// <param name="graph">The graph after every event.</param>
    /// <param name="decisions">Every decision, in the order made.</param>
    public PolicyStepResult(WorkGraph graph, ImmutableArray<Decision> decisions)
    {
        Graph = graph;
        Decisions = decisions;
    }

    /// <summary>The graph after every event.</summary>
    public WorkGraph Graph { get; }

    /// <summary>Every decision, in the order made.</summary>
    public ImmutableArray<Decision> Decisions { get; }
}

/// <summary>
/// The admission policy (docs/policy.md) as a pure function: same graph, events and options give the same graph and
/// the same decisions. No clock (time comes in events), no randomness (jitter is a stable hash), no I/O. It never
/// throws on an event: an invalid event gets a <see cref="RejectDecision"/> and changes nothing. The full contract
/// is in <c>docs/policy.md</c>.
/// </summary>
public static class ClaimPolicy
{
    /// <summary>
    /// Applies <paramref name="events"/> to <paramref name="graph"/>, one at a time, and returns the next graph and the
    /// decisions. Thread-safe (the graph is immutable).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> or <paramref name="events"/> is null.</exception>
    /// <exception cref="PolicyOptionsException"><paramref name="options"/> are invalid (every problem listed).</exception>
    public static PolicyStepResult Step(WorkGraph graph, IEnumerable<PolicyEvent?> events, PolicyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(events);
        options ??= PolicyOptions.Default;
        options.EnsureValid();
        var decisions = ImmutableArray.CreateBuilder<Decision>();
        WorkGraph g = graph;
        Activity? activity = PolicyTelemetry.StartStep();
        int count = 0;
        foreach (PolicyEvent? e in events)
        {
            WorkGraph before = g;
            int first = decisions.Count;
            g = Apply(g, e, options, decisions);
            count++;
            if (PolicyTelemetry.EventsObserved)
            {
                PolicyTelemetry.EventDone(e, before, g, decisions, first);
            }
        }

        var result = new PolicyStepResult(g, decisions.ToImmutable());
        PolicyTelemetry.StepDone(activity, count, result);
        return result;
    }

    private static WorkGraph Apply(WorkGraph g, PolicyEvent? e, PolicyOptions options, ImmutableArray<Decision>.Builder output)
    {
        if (e is null)
        {
            output.Add(new RejectDecision(string.Empty, null, ReasonCode.InvalidEvent, "the event is null"));
            return g;
        }

        if (string.IsNullOrEmpty(e.EventId))
        {
            output.Add(new RejectDecision(string.Empty, null, ReasonCode.InvalidEvent, "the event has no id"));
            return g;
        }

        if (g.IsEventProcessed(e.EventId))
        {
            return g;
        }

        if (EventIntake.Check(g, e) is { } refused)
        {
            output.Add(refused);
            return g;
        }

        var step = new PolicyStep(g, e, options);
        try
        {
            step.ExpireLeases();
            RejectDecision? reject = step.ApplyEvent();
            if (reject is not null)
            {
                output.Add(reject);
                return g;
            }

            PolicyTelemetry.AdmissionPassStarting(step.Graph);
            step.AdmissionPass();
            PolicyTelemetry.AdmissionPassDone(step.AdmissionPassExamined);
        }
        catch (GraphOperationException ex)
        {
            // A graph refusal the validation did not foresee: reject the event rather than corrupt anything.
            output.Add(new RejectDecision(e.EventId, null, ex.Error.RejectReason(), ex.Error.Message));
            return g;
        }

        output.AddRange(step.Decisions);
        WorkGraph next = step.Graph.MarkEventProcessed(e.EventId).WithNow(step.Time);
        AdmissionState.Attach(next, step.Settle());
        return next;
    }
}
