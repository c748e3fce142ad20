using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Diagnostics;

/// <summary>
/// The policy's instruments (names in docs/telemetry.md) and the hooks <see cref="ClaimPolicy.Step"/> calls. Each hook
/// first checks that someone listens, so an unobserved step pays a few field reads. Nothing here feeds back into a
/// decision.
/// </summary>
internal static class PolicyTelemetry
{
    public const string StepActivityName = "claimgraph.policy.step";

    private static readonly string? Version = typeof(ClaimPolicy).Assembly.GetName().Version?.ToString();
    private static readonly Meter Meter = new(ClaimGraphDiagnostics.MeterName, Version);
    private static readonly ActivitySource Source = new(ClaimGraphDiagnostics.ActivitySourceName, Version);

    private static readonly Counter<long> Steps = Meter.CreateCounter<long>("claimgraph.policy.steps", "{step}", "Calls of ClaimPolicy.Step.");
    private static readonly Counter<long> Events = Meter.CreateCounter<long>("claimgraph.policy.events", "{event}", "Events given to the policy, by type and outcome (applied, rejected, duplicate).");
    private static readonly Counter<long> Decisions = Meter.CreateCounter<long>("claimgraph.policy.decisions", "{decision}", "Decisions made, by kind and reason code.");
    private static readonly Counter<long> AdmissionPasses = Meter.CreateCounter<long>("claimgraph.policy.admission_passes", "{pass}", "Admission passes run (one per applied event).");
    private static readonly Histogram<long> AdmissionQueue = Meter.CreateHistogram<long>("claimgraph.policy.admission_pass.queue_length", "{run}", "Runs waiting for admission when an admission pass starts: the most runs that pass may examine.");
    private static readonly Counter<long> AdmissionExamined = Meter.CreateCounter<long>("claimgraph.policy.admission_pass.runs_examined", "{run}", "Evaluations of waiting runs by admission passes: the runs each pass actually examined (incremental pass), a run evaluated again after an overtake counted again.");
    private static readonly Gauge<long> HeldRuns = Meter.CreateGauge<long>("claimgraph.runs.held", "{run}", "Runs waiting for admission (held, or pending a first decision) after the latest step.");
    private static readonly Gauge<long> ActiveRuns = Meter.CreateGauge<long>("claimgraph.runs.active", "{run}", "Active runs after the latest step.");

    private static readonly string[] KindNames = Names<DecisionKind>();
    private static readonly string[] ReasonNames = Names<ReasonCode>();

    /// <summary>Whether anything listens to the per-event instruments (the step loop skips its bookkeeping otherwise).</summary>
    public static bool EventsObserved => Events.Enabled || Decisions.Enabled;

    /// <summary>Starts the step's span when a listener samples it; null otherwise.</summary>
    public static Activity? StartStep() => Source.HasListeners() ? Source.StartActivity(StepActivityName, ActivityKind.Internal) : null;

    /// <summary>Records one event's outcome and the decisions it produced (<paramref name="output"/> from <paramref name="firstDecision"/> on).</summary>
    public static void EventDone(PolicyEvent? e, WorkGraph before, WorkGraph after, ImmutableArray<Decision>.Builder output, int firstDecision)
    {
        bool rejected = false;
        for (int i = firstDecision; i < output.Count; i++)
        {
            Decision d = output[i];
            rejected |= d.Kind == DecisionKind.Reject;
            if (Decisions.Enabled)
            {
                Decisions.Add(1, new KeyValuePair<string, object?>("claimgraph.decision.kind", Name(KindNames, (int)d.Kind)), new KeyValuePair<string, object?>("claimgraph.decision.reason", Name(ReasonNames, (int)d.Reason)));
            }
        }

        if (Events.Enabled)
        {
            // Apply returns the graph it was given exactly when the event changed nothing: rejected, or already applied.
            string outcome = !ReferenceEquals(before, after) ? "applied" : rejected ? "rejected" : "duplicate";
            Events.Add(1, new KeyValuePair<string, object?>("claimgraph.event.type", e?.GetType().Name ?? "null"), new KeyValuePair<string, object?>("claimgraph.event.outcome", outcome));
        }
    }

    /// <summary>Called just before an admission pass over <paramref name="graph"/>.</summary>
    public static void AdmissionPassStarting(WorkGraph graph)
    {
        if (AdmissionPasses.Enabled)
        {
            AdmissionPasses.Add(1);
        }

        if (AdmissionQueue.Enabled)
        {
            AdmissionQueue.Record(graph.AdmissionQueue.Count);
        }
    }

    /// <summary>Called after an admission pass that evaluated waiting runs <paramref name="examined"/> times.</summary>
    public static void AdmissionPassDone(int examined)
    {
        if (AdmissionExamined.Enabled)
        {
            AdmissionExamined.Add(examined);
        }
    }

    /// <summary>Records the step's totals and ends its span.</summary>
    public static void StepDone(Activity? activity, int events, PolicyStepResult result)
    {
        if (Steps.Enabled)
        {
            Steps.Add(1);
        }

        if (HeldRuns.Enabled)
        {
            HeldRuns.Record(result.Graph.AdmissionQueue.Count);
        }

        if (ActiveRuns.Enabled)
        {
            ActiveRuns.Record(result.Graph.ActiveRunCount);
        }

        if (activity is not null)
        {
            activity.SetTag("claimgraph.events", events);
            activity.SetTag("claimgraph.decisions", result.Decisions.Length);
            activity.SetTag("claimgraph.runs.held", result.Graph.AdmissionQueue.Count);
            activity.SetTag("claimgraph.runs.active", result.Graph.ActiveRunCount);
            activity.Dispose();
        }
    }

    private static string Name(string[] names, int value) => (uint)value < (uint)names.Length && names[value] is { } name ? name : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string[] Names<TEnum>()
        where TEnum : struct, Enum
    {
        TEnum[] values = Enum.GetValues<TEnum>();
        int max = 0;
        foreach (TEnum v in values)
        {
            max = Math.Max(max, Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture));
        }

        string[] names = new string[max + 1];
        foreach (TEnum v in values)
        {
            names[Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)] = v.ToString();
        }

        return names;
    }
}
