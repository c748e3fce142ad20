using System.Collections.Immutable;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>
/// A part of a <see cref="PolicyStep"/> (its event handlers, its admission pass, its rechecks): reads and changes the
/// step's graph and records decisions through the step, so the parts share one state and each keeps its own.
/// </summary>
internal abstract class StepPart(PolicyStep step)
{
    protected PolicyStep Step { get; } = step;

    protected WorkGraph Graph
    {
        get => Step.Graph;
        set => Step.Graph = value;
    }

    protected long Now => Step.Now;

    protected string EventId => Step.EventId;

    protected PolicyOptions Options => Step.Options;

    protected Rechecks Rechecks => Step.Rechecks;

    protected Run GetRun(string id) => Step.GetRun(id);

    protected void Put(Run run) => Step.Put(run);

    protected RejectDecision Reject(ReasonCode reason, string detail, string? runId = null) => Step.Reject(reason, detail, runId);

    protected void Emit(Decision decision, ImmutableArray<string> related = default, string? witness = null) =>
        Step.Emit(decision, related, witness);

    protected void Emit(Run? update, Decision decision, ImmutableArray<string> related = default, string? witness = null, string? historyMessage = null) =>
        Step.Emit(update, decision, related, witness, historyMessage);

    protected void CancelRun(Run run, ReasonCode reason, string? causeItem, string? causeRun, ImmutableArray<string> paths) =>
        Step.CancelRun(run, reason, causeItem, causeRun, paths);
}
