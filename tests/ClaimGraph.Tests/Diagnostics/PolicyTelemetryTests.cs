using System.Diagnostics;
using System.Diagnostics.Metrics;
using ClaimGraph.Diagnostics;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Diagnostics;

/// <summary>
/// The meter and the activity source <c>ClaimGraph</c> on a known scenario. Other tests call the policy on other threads
/// at the same time, so the listeners keep only what this test's thread records (<see cref="ClaimPolicy.Step"/> records
/// on its caller's thread).
/// </summary>
public sealed class PolicyTelemetryTests
{
    private static readonly PolicyEvent[] Scenario =
    [
        new WorkItemAdded("e1", 0, "docs"),
        new WorkItemAdded("e2", 0, "api"),
        new RunRequested("e3", 10, "r1", "docs", ["write docs/**"]),                       // Admit, Admitted
        new RunRequested("e4", 10, "r2", "api", ["write src/api/**", "read docs/**"]),     // Hold, ClaimConflict
        new RunRequested("e5", 10, "r9", "ghost", ["write x"]),                            // Reject, UnknownWorkItem
        new RunRequested("e3", 10, "r1", "docs", ["write docs/**"]),                       // already applied
        new Tick("e6", 20),
    ];

    [Fact]
    public void Step_KnownScenario_CountsEventsDecisionsPassesAndRuns()
    {
        using var recorder = new Recorder();
        ClaimPolicy.Step(WorkGraph.Empty, Scenario);

        Assert.Equal(1, recorder.Sum("claimgraph.policy.steps"));
        Assert.Equal(2, recorder.Sum("claimgraph.policy.events", ("claimgraph.event.type", "WorkItemAdded"), ("claimgraph.event.outcome", "applied")));
        Assert.Equal(2, recorder.Sum("claimgraph.policy.events", ("claimgraph.event.type", "RunRequested"), ("claimgraph.event.outcome", "applied")));
        Assert.Equal(1, recorder.Sum("claimgraph.policy.events", ("claimgraph.event.type", "RunRequested"), ("claimgraph.event.outcome", "rejected")));
        Assert.Equal(1, recorder.Sum("claimgraph.policy.events", ("claimgraph.event.type", "RunRequested"), ("claimgraph.event.outcome", "duplicate")));
        Assert.Equal(1, recorder.Sum("claimgraph.policy.events", ("claimgraph.event.type", "Tick"), ("claimgraph.event.outcome", "applied")));
        Assert.Equal(7, recorder.Sum("claimgraph.policy.events"));

        Assert.Equal(1, recorder.Sum("claimgraph.policy.decisions", ("claimgraph.decision.kind", "Admit"), ("claimgraph.decision.reason", "Admitted")));
        Assert.Equal(1, recorder.Sum("claimgraph.policy.decisions", ("claimgraph.decision.kind", "Hold"), ("claimgraph.decision.reason", "ClaimConflict")));
        Assert.Equal(1, recorder.Sum("claimgraph.policy.decisions", ("claimgraph.decision.kind", "Reject"), ("claimgraph.decision.reason", "UnknownWorkItem")));
        Assert.Equal(3, recorder.Sum("claimgraph.policy.decisions"));

        // One admission pass per applied event; the queue it starts from: r1 (e3), r2 (e4), r2 held (e6).
        Assert.Equal(5, recorder.Sum("claimgraph.policy.admission_passes"));
        Assert.Equal([0, 0, 1, 1, 1], recorder.Values("claimgraph.policy.admission_pass.queue_length"));

        // What those passes examined: r1 when requested (e3), r2 when requested (e4), and nothing at the tick (e6): nothing
        // changed that could affect the held r2, so the incremental pass skips it although it waits.
        Assert.Equal([0, 0, 1, 1, 0], recorder.Values("claimgraph.policy.admission_pass.runs_examined"));
        Assert.Equal(2, recorder.Sum("claimgraph.policy.admission_pass.runs_examined"));
        Assert.Equal([1], recorder.Values("claimgraph.runs.held"));
        Assert.Equal([1], recorder.Values("claimgraph.runs.active"));

        Activity step = Assert.Single(recorder.Activities);
        Assert.Equal("claimgraph.policy.step", step.OperationName);
        Assert.Equal(ClaimGraphDiagnostics.ActivitySourceName, step.Source.Name);
        Assert.Equal((7, 3, 1, 1), ((int)step.GetTagItem("claimgraph.events")!, (int)step.GetTagItem("claimgraph.decisions")!, (int)step.GetTagItem("claimgraph.runs.held")!, (int)step.GetTagItem("claimgraph.runs.active")!));
        Assert.NotEqual(default, step.Duration);
    }

    [Fact]
    public void Step_ListenedToOrNot_GivesTheSameBytes()
    {
        PolicyStepResult quiet = ClaimPolicy.Step(WorkGraph.Empty, Scenario);
        PolicyStepResult listened;
        using (var recorder = new Recorder())
        {
            listened = ClaimPolicy.Step(WorkGraph.Empty, Scenario);
            Assert.NotEmpty(recorder.Activities);
        }

        Assert.Equal(quiet.Decisions.Select(PolicyJson.WriteDecision), listened.Decisions.Select(PolicyJson.WriteDecision));
        Assert.Equal(WorkGraphSnapshot.Save(quiet.Graph), WorkGraphSnapshot.Save(listened.Graph));
    }

    /// <summary>Listens to every ClaimGraph instrument and span, keeping what the creating thread records.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly int _thread = Environment.CurrentManagedThreadId;
        private readonly MeterListener _meters = new();
        private readonly ActivityListener _activities;
        private readonly List<(string Name, long Value, KeyValuePair<string, object?>[] Tags)> _measurements = [];

        public Recorder()
        {
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ClaimGraphDiagnostics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                if (Environment.CurrentManagedThreadId == _thread)
                {
                    _measurements.Add((instrument.Name, value, tags.ToArray()));
                }
            });
            _meters.Start();
            _activities = new ActivityListener
            {
                ShouldListenTo = source => source.Name == ClaimGraphDiagnostics.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (Environment.CurrentManagedThreadId == _thread)
                    {
                        Activities.Add(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_activities);
        }

        public List<Activity> Activities { get; } = [];

        public long Sum(string instrument, params (string Key, string Value)[] tags) =>
            _measurements.Where(m => m.Name == instrument && tags.All(t => m.Tags.Any(x => x.Key == t.Key && Equals(x.Value, t.Value)))).Sum(m => m.Value);

        public List<long> Values(string instrument) => _measurements.Where(m => m.Name == instrument).Select(m => m.Value).ToList();

        public void Dispose()
        {
            _meters.Dispose();
            _activities.Dispose();
        }
    }
}
