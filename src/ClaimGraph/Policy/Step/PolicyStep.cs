using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>
/// The work of one event: a private, short-lived mutable context around an immutable graph. Its parts each do one
/// thing with it: <see cref="EventHandlers"/> validate the event first and apply it after (the caller discards
/// everything when the event is rejected), <see cref="Rechecks"/> notes which waiting runs a change may affect, and the
/// <see cref="AdmissionPass"/> evaluates them. Failures, retries and cascading cancels are here
/// (PolicyStep.Outcomes.cs), shared by the handlers and the pass.
/// </summary>
internal sealed partial class PolicyStep
{
    private readonly long _sequence;
    private readonly List<Decision> _decisions = [];
    private readonly EventHandlers _handlers;

    public PolicyStep(WorkGraph graph, PolicyEvent e, PolicyOptions options)
    {
        Graph = graph;
        Event = e;
        Options = options;
        _sequence = graph.ProcessedEventIds.Count;
        Now = Math.Max(graph.Now, e.Time);
        Budget = options.EffectiveBypassBudget;
        Order = ReservationOrder.For(Budget);
        Rechecks = new Rechecks(this, graph);
        Admission = new AdmissionPass(this);
        _handlers = new EventHandlers(this);
    }

    /// <summary>The graph as this step has changed it so far.</summary>
    public WorkGraph Graph { get; set; }

    /// <summary>The step's time: max(graph.Now, event time).</summary>
    public long Time => Now;

    public IReadOnlyList<Decision> Decisions => _decisions;

    /// <summary>max(graph.Now, event time): time never goes backwards.</summary>
    internal long Now { get; }

    internal PolicyEvent Event { get; }

    internal string EventId => Event.EventId;

    internal PolicyOptions Options { get; }

    /// <summary>The bypass budget in force (0: strict reservation).</summary>
    internal int Budget { get; }

    /// <summary>The order of the admission pass and of reservations (<see cref="ReservationOrder"/>).</summary>
    internal IComparer<Run> Order { get; }

    /// <summary>Which waiting runs the admission pass evaluates.</summary>
    internal Rechecks Rechecks { get; }

    /// <summary>The admission pass.</summary>
    internal AdmissionPass Admission { get; }

    // ------------------------------------------------------------------ the step's phases (ClaimPolicy calls them in order)

    /// <summary>Validates and applies the event; returns a rejection (and the caller discards this step) or null.</summary>
    public RejectDecision? ApplyEvent() => _handlers.Apply();

    /// <inheritdoc cref="Policy.AdmissionPass.Evaluate"/>
    public void AdmissionPass() => Admission.Evaluate();

    /// <summary>How many times the admission pass evaluated a waiting run (telemetry: the pass's work).</summary>
    public int AdmissionPassExamined => Admission.Examined;

    /// <summary>The state to leave beside the graph this step settles.</summary>
    public AdmissionState Settle() => Rechecks.Settle();

    /// <summary>Every blocker of a waiting run, in the order of docs/policy.md (admission pass, step 3).</summary>
    internal ImmutableArray<HoldReason> Blockers(Run run) => Admission.Blockers(run);

    // ------------------------------------------------------------------ plumbing

    internal static WorkGraph Ok(GraphResult result) => result.Value;

    internal Run GetRun(string id) => Graph.Runs[id];

    internal RejectDecision Reject(ReasonCode reason, string detail, string? runId = null) => new(EventId, runId, reason, detail);

    /// <summary>Records the decision and appends it to the history of the run it is about.</summary>
    internal void Emit(Decision decision, ImmutableArray<string> related = default, string? witness = null) =>
        Emit(null, decision, related, witness);

    /// <summary>
    /// Records the decision and puts <paramref name="update"/> (a new version of the run the decision is about) with the
    /// decision appended to its history, in one graph update; with no update, appends to the run as it is. The history
    /// entry keeps <paramref name="historyMessage"/> when given (a Hold keeps its headline), else the decision's message.
    /// </summary>
    internal void Emit(Run? update, Decision decision, ImmutableArray<string> related = default, string? witness = null, string? historyMessage = null)
    {
        _decisions.Add(decision);
        Run? run = update;
        if (run is not null || (decision.RunId is not null && Graph.TryGetRun(decision.RunId, out run)))
        {
            var entry = new RunHistoryEntry(EventId, Now, decision.Kind, decision.Reason, historyMessage ?? decision.Message)
            {
                RelatedRunIds = related.IsDefault ? [] : related,
                WitnessPath = witness,
                Sequence = _sequence,
            };
            Put(run.AppendHistory(entry));
        }
    }

    /// <summary>Appends a lifecycle note (not a decision) to a run's history: it succeeded, failed or was lost.</summary>
    internal void Note(string runId, string message)
    {
        Run run = GetRun(runId);
        Put(run.AppendHistory(new RunHistoryEntry(EventId, Now, DecisionKind.None, ReasonCode.None, message) { Sequence = _sequence }));
    }

    /// <summary>Puts a run in the graph and notes which waiting runs the change may affect.</summary>
    internal void Put(Run run)
    {
        Run old = GetRun(run.Id);
        Graph = Ok(Graph.WithRun(run));
        Rechecks.RunChanged(old, run);
    }

    /// <summary>Adds a new run to the graph; it is evaluated in this step's pass.</summary>
    internal void AddRun(Run run)
    {
        Graph = Ok(Graph.AddRun(run));
        Rechecks.RunAdded(run);
    }

    /// <summary>Replaces a work item and notes the waiting runs of it and of its transitive dependents.</summary>
    internal void SetWorkItem(WorkItem item)
    {
        Graph = Ok(Graph.WithWorkItem(item));
        Rechecks.WorkItemChanged(item.Id);
    }
}
