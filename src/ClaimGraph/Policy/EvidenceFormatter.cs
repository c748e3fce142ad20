using System.Globalization;
using ClaimGraph.Claims;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>
/// The one place that says what each kind of evidence says, in two registers: <see cref="Message(Decision)"/>, a
/// sentence (<see cref="Decision.Message"/>, <see cref="HoldReason.Message"/>, the JSON <c>"message"</c>), and
/// <see cref="Evidence(Decision)"/>, a terse summary (<see cref="Decision.Evidence"/>, <see cref="HoldReason.Evidence"/>,
/// the evidence column of <c>claimgraph decide</c>). The typed evidence itself is written by the JSON writer; a hold's
/// headline (<see cref="HoldHeadline"/>) is built from the pieces here.
/// </summary>
internal static class EvidenceFormatter
{
    /// <summary>How a ClaimConflict reason's sentence and headline begin, before the blocking run's id and a quote.</summary>
    public const string ActiveBlockerLead = "claims conflict with active run '";

    /// <summary>How a QueuedBehind reason's sentence and headline begin, before the blocking run's id and a quote.</summary>
    public const string QueuedBlockerLead = "queued behind held run '";

    /// <summary>The lead of a claim reason's sentence: <see cref="ActiveBlockerLead"/> or <see cref="QueuedBlockerLead"/>.</summary>
    public static string ClaimBlockerLead(ReasonCode code) => code == ReasonCode.ClaimConflict ? ActiveBlockerLead : QueuedBlockerLead;

    // ------------------------------------------------------------------ sentences

    public static string Message(Decision decision) => decision switch
    {
        AdmitDecision a => a.Reason == ReasonCode.AmendmentGranted
            ? $"Run '{a.RunId}' may use its wider claim set."
            : a.NamedBase is { } named
                ? $"Run '{a.RunId}' starts on {named} at {a.BaseRevision} in workspace '{a.WorkspaceKey}' ({a.WorkspaceNote})."
                : $"Run '{a.RunId}' starts on base {a.BaseVersion} in workspace '{a.WorkspaceKey}' ({a.WorkspaceNote}).",
        HoldDecision h => HoldMessage(h),
        CancelDecision c => CancelMessage(c),
        RetryDecision r =>
            $"Run '{r.RunId}' is retried as '{r.NewRunId}' (attempt {r.Attempt}) not before {r.NotBefore}, in workspace '{r.WorkspaceKey}' ({r.WorkspaceNote}).",
        AmendmentDeniedDecision d =>
            $"Run '{d.RunId}' may not widen its claims: '{d.Conflict.Left}' and '{d.Conflict.Right}' of run '{d.BlockingRunId}' both cover '{d.Conflict.Witness}'.",
        ClaimViolationDecision v => $"Run '{v.RunId}' changed paths outside its claims: '{string.Join("', '", v.Paths)}'.",
        RejectDecision j => $"Event '{j.EventId}' is rejected ({j.Reason}): {j.Detail}",
        _ => $"{decision.Kind} ({decision.Reason})",
    };

    public static string Message(HoldReason reason) => reason switch
    {
        ClaimHold c => ClaimBlockerLead(c.Code) + c.BlockingRunId + "': " + $"'{c.Conflict.Left}' and '{c.Conflict.Right}' both cover '{c.Conflict.Witness}'",
        DependencyPendingHold d => d.ActiveRunId is null
            ? $"dependency '{d.WorkItemId}' is not done"
            : $"dependency '{d.WorkItemId}' is not done (its run '{d.ActiveRunId}' is in progress)",
        DependencyUnknownHold d => $"dependency '{d.WorkItemId}' is not in the graph",
        ConcurrencyLimitHold l => l.IsGlobal ? "the global concurrency limit is reached" : $"the concurrency limit of label '{l.Label}' is reached",
        BackoffPendingHold b => $"retry backoff until {b.NotBefore}",
        _ => reason.Code.ToString(),
    };

    public static string Message(BypassEvidence bypass)
    {
        string last = bypass.LastBypassedBy is null ? string.Empty : $", last by '{bypass.LastBypassedBy}'";
        string times = bypass.Left == 1 ? "time" : "times";
        return bypass.Exhausted ? $"it reserves its place (overtaken {bypass.Used} of {bypass.Budget} times{last})"
            : bypass.Used == 0 ? $"it may be overtaken {bypass.Left} {times} before it reserves its place"
            : $"it may be overtaken {bypass.Left} more {times} before it reserves its place (overtaken {bypass.Used} of {bypass.Budget}{last})";
    }

    private static string HoldMessage(HoldDecision h)
    {
        var parts = new string[h.Reasons.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = Message(h.Reasons[i]);
        }

        string more = h.MoreBlockers switch
        {
            0 => string.Empty,
            1 => "; and 1 more blocker",
            _ => $"; and {h.MoreBlockers} more blockers",
        };
        string bypass = h.Bypass is null ? string.Empty : "; " + Message(h.Bypass);
        return $"Run '{h.RunId}' waits: " + string.Join("; ", parts) + more + bypass + ".";
    }

    private static string CancelMessage(CancelDecision c) => c.Reason switch
    {
        ReasonCode.DependencyFailed => $"Run '{c.RunId}' is cancelled: upstream work item '{c.CauseWorkItemId}' failed or was abandoned.",
        ReasonCode.UpstreamChanged => $"Run '{c.RunId}' is cancelled: upstream work item '{c.CauseWorkItemId}' changed after the run was admitted.",
        ReasonCode.WorkItemChanged => $"Run '{c.RunId}' is cancelled: its work item '{c.CauseWorkItemId}' changed.",
        ReasonCode.WorkItemClosed => $"Run '{c.RunId}' is cancelled: its work item '{c.CauseWorkItemId}' was closed.",
        ReasonCode.BaseStale => $"Run '{c.RunId}' is cancelled: {(c.CauseRunId is null ? "an outside change" : $"run '{c.CauseRunId}'")} changed '{string.Join("', '", c.Paths)}', which it covers.",
        ReasonCode.LeaseExpired => $"Run '{c.RunId}' is cancelled: no heartbeat within its lease.",
        ReasonCode.RetryBudgetExhausted when c.LeaseExpired => $"Run '{c.RunId}' is cancelled: no heartbeat within its lease, and work item '{c.CauseWorkItemId}' used up its retry budget.",
        ReasonCode.RetryBudgetExhausted => $"Run '{c.RunId}' is cancelled: work item '{c.CauseWorkItemId}' used up its retry budget.",
        ReasonCode.Superseded => $"Run '{c.RunId}' is cancelled: superseded by run '{c.CauseRunId}'.",
        ReasonCode.CancelledByRequest => $"Run '{c.RunId}' is cancelled on request.",
        ReasonCode.AssumptionBroken when c.BrokenAssumption is { Kind: AssumptionKind.Base } b =>
            $"Run '{c.RunId}' is cancelled: it assumed base '{b.Subject}' at '{b.Version}'; event '{b.BrokenByEventId}' moved it to '{b.ActualVersion}' and changed '{string.Join("', '", c.Paths)}', which it covers.",
        ReasonCode.AssumptionBroken when c.BrokenAssumption is { } r =>
            $"Run '{c.RunId}' is cancelled: it assumed '{r.Subject}' at '{r.Version}'; event '{r.BrokenByEventId}' changed it to '{r.ActualVersion}'.",
        _ => $"Run '{c.RunId}' is cancelled ({c.Reason}).",
    };

    // ------------------------------------------------------------------ terse summaries

    public static string Evidence(Decision decision) => decision switch
    {
        AdmitDecision a when a.Reason == ReasonCode.AmendmentGranted => "wider claim set granted" + NamedBase(a),
        AdmitDecision a => Invariant($"base {a.BaseVersion}, token {a.FencingToken}, workspace {a.WorkspaceKey} ({a.WorkspaceNote})") + NamedBase(a),
        HoldDecision h => string.Join(" | ", h.Reasons.Select(Evidence)) + (h.MoreBlockers > 0 ? Invariant($" | {h.MoreBlockers} more") : string.Empty),
        CancelDecision c => Join(
            c.CauseWorkItemId is null ? null : $"item {c.CauseWorkItemId}",
            c.CauseRunId is null ? null : $"run {c.CauseRunId}",
            c.Paths.IsEmpty ? null : "paths " + string.Join(", ", c.Paths),
            c.LeaseExpired ? "lease expired" : null,
            c.BrokenAssumption is { } b ? $"assumed {(b.Kind == AssumptionKind.Base ? "base " : string.Empty)}{b.Subject} at {b.Version}, now {b.ActualVersion} (event {b.BrokenByEventId})" : null),
        RetryDecision r => Invariant($"new run {r.NewRunId}, attempt {r.Attempt}, not before {r.NotBefore}, workspace {r.WorkspaceKey} ({r.WorkspaceNote})"),
        AmendmentDeniedDecision d => Conflict(d.BlockingRunId, d.Conflict),
        ClaimViolationDecision v => "paths " + string.Join(", ", v.Paths),
        RejectDecision j => j.Detail,
        _ => decision.Message,
    };

    public static string Evidence(HoldReason reason) => reason switch
    {
        ClaimHold c => Conflict(c.BlockingRunId, c.Conflict),
        DependencyPendingHold d => Join($"item {d.WorkItemId}", d.ActiveRunId is null ? null : $"run {d.ActiveRunId}"),
        DependencyUnknownHold d => $"item {d.WorkItemId}",
        ConcurrencyLimitHold l => $"limit {l.Label ?? "*"}",
        BackoffPendingHold b => Invariant($"not before {b.NotBefore}"),
        _ => reason.Message,
    };

    /// <summary><c>, named base NAME@REVISION</c> for a run on a named base (its <c>base N</c> is the default base's version); empty otherwise.</summary>
    private static string NamedBase(AdmitDecision a) => a.NamedBase is { } named ? $", named base {named}@{a.BaseRevision}" : string.Empty;

    /// <summary><c>blocker RUN; ENTRY vs BLOCKING-ENTRY; witness PATH</c>.</summary>
    private static string Conflict(string blocker, ClaimConflict conflict) =>
        $"blocker {blocker}; {conflict.Left} vs {conflict.Right}; witness {conflict.Witness}";

    private static string Join(params string?[] parts)
    {
        string text = string.Join(", ", parts.Where(p => p is not null));
        return text.Length == 0 ? "-" : text;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
