using System.Globalization;
using ClaimGraph.Claims;
using ClaimGraph.Policy;

namespace ClaimGraph.Oracles.Policy;

/// <summary>
/// A decision reduced to what the oracle compares: kind, run, reason and the key evidence (blocking runs and items,
/// new run ids, attempts, not-before times, workspaces, tokens, leases, paths) as one readable string. Messages and
/// workspace notes are prose and are not compared.
/// </summary>
/// <remarks>
/// Claim-conflict evidence (the two entries and the witness) is compared too; it is also kept in
/// <see cref="Conflicts"/> so that a property can check that it proves a conflict.
/// </remarks>
public sealed record DecisionView(DecisionKind Kind, string? Run, ReasonCode Reason, string Evidence)
{
    /// <summary>The claim conflicts the decision names (blocking run, evidence), in order.</summary>
    public IReadOnlyList<(string Blocker, ClaimConflict Conflict)> Conflicts { get; init; } = [];

    public override string ToString() => $"{Kind} {Run ?? "-"} {Reason} {Evidence}";

    public bool Equals(DecisionView? other) =>
        other is not null && Kind == other.Kind && Run == other.Run && Reason == other.Reason && Evidence == other.Evidence;

    public override int GetHashCode() => HashCode.Combine(Kind, Run, Reason, Evidence);

    public static DecisionView Of(Decision d) => d switch
    {
        AdmitDecision a => Admit(a.RunId!, a.Reason, a.BaseVersion, a.WorkspaceKey, a.ReuseWorkspace, a.FencingToken, a.LeaseExpiresAt, a.NamedBase, a.BaseRevision),
        HoldDecision h => Hold(h.RunId!, h.Reasons.Select(Slots), h.Bypass is { } b ? (b.Used, b.Budget, b.LastBypassedBy) : null, h.MoreBlockers),
        CancelDecision c => Cancel(c.RunId!, c.Reason, c.CauseWorkItemId, c.CauseRunId, c.Paths, c.LeaseExpired, c.BrokenAssumption?.ToString()),
        RetryDecision r => Retry(r.RunId!, r.Reason, r.NewRunId, r.Attempt, r.NotBefore, r.WorkspaceKey, r.ReuseWorkspace),
        AmendmentDeniedDecision a => Denied(a.RunId!, a.BlockingRunId, a.Conflict),
        ClaimViolationDecision v => Violation(v.RunId!, v.Paths),
        RejectDecision r => Reject(r.RunId, r.Reason),
        _ => new DecisionView(d.Kind, d.RunId, d.Reason, "unknown decision type " + d.GetType().Name),
    };

    /// <summary>A hold reason's evidence in the slots the reference policy fills: blocking run and item, conflict, not-before, limit (<c>*</c>: global).</summary>
    private static (ReasonCode Code, string? Run, string? Item, ClaimConflict? Conflict, long? NotBefore, string? Limit) Slots(HoldReason r) => r switch
    {
        ClaimHold c => (c.Code, c.BlockingRunId, c.BlockingWorkItemId, c.Conflict, null, null),
        DependencyPendingHold d => (d.Code, d.ActiveRunId, d.WorkItemId, null, null, null),
        DependencyUnknownHold d => (d.Code, null, d.WorkItemId, null, null, null),
        BackoffPendingHold b => (b.Code, null, null, null, b.NotBefore, null),
        ConcurrencyLimitHold l => (l.Code, null, null, null, null, l.Label ?? "*"),
        _ => (r.Code, null, null, null, null, "unknown hold reason " + r.GetType().Name),
    };

    /// <summary>
    /// An admission: the default base's version, and the named base and revision the run starts from (both
    /// <see langword="null"/> for a run on the default base; each is shown on its own, so one missing is seen).
    /// </summary>
    public static DecisionView Admit(string run, ReasonCode reason, long baseVersion, string workspace, bool reuse, long token, long? lease, string? namedBase, string? baseRevision) =>
        new(DecisionKind.Admit, run, reason, Invariant($"base={baseVersion} named={namedBase ?? "-"} revision={baseRevision ?? "-"} ws={workspace} reuse={reuse} token={token} lease={lease?.ToString(CultureInfo.InvariantCulture) ?? "none"}"));

    /// <summary>A hold naming <paramref name="reasons"/> and counting <paramref name="more"/> blockers after them.</summary>
    public static DecisionView Hold(string run, IEnumerable<(ReasonCode Code, string? Run, string? Item, ClaimConflict? Conflict, long? NotBefore, string? Limit)> reasons, (int Used, int Budget, string? LastBy)? bypass, int more = 0) =>
        new(DecisionKind.Hold, run, reasons.FirstOrDefault().Code, string.Join("; ", reasons.Select(r =>
            Invariant($"{r.Code}(run={r.Run ?? "-"} item={r.Item ?? "-"} conflict={Describe(r.Conflict)} notBefore={r.NotBefore?.ToString(CultureInfo.InvariantCulture) ?? "-"} limit={r.Limit ?? "-"})")))
            + (more > 0 ? Invariant($"; more={more}") : string.Empty)
            + (bypass is { } b ? Invariant($"; bypass(used={b.Used} budget={b.Budget} last={b.LastBy ?? "-"})") : string.Empty))
        {
            Conflicts = [.. reasons.Where(r => r.Conflict is not null).Select(r => (r.Run!, r.Conflict!))],
        };

    public static DecisionView Cancel(string run, ReasonCode reason, string? causeItem, string? causeRun, IEnumerable<string> paths, bool leaseExpired = false, string? assumption = null) =>
        new(DecisionKind.Cancel, run, reason, $"item={causeItem ?? "-"} run={causeRun ?? "-"} paths=[{string.Join(", ", paths)}]" + (leaseExpired ? " leaseExpired" : string.Empty) + (assumption is null ? string.Empty : " assumption=" + assumption));

    public static DecisionView Retry(string run, ReasonCode reason, string newRun, int attempt, long notBefore, string workspace, bool reuse) =>
        new(DecisionKind.Retry, run, reason, Invariant($"new={newRun} attempt={attempt} notBefore={notBefore} ws={workspace} reuse={reuse}"));

    public static DecisionView Denied(string run, string blocker, ClaimConflict conflict) =>
        new(DecisionKind.AmendmentDenied, run, ReasonCode.AmendmentConflict, $"blocker={blocker} conflict={Describe(conflict)}") { Conflicts = [(blocker, conflict)] };

    public static DecisionView Violation(string run, IEnumerable<string> paths) =>
        new(DecisionKind.ClaimViolation, run, ReasonCode.ChangedOutsideClaims, $"paths=[{string.Join(", ", paths)}]");

    /// <summary>A rejection; an empty run id counts as none.</summary>
    public static DecisionView Reject(string? run, ReasonCode reason) =>
        new(DecisionKind.Reject, string.IsNullOrEmpty(run) ? null : run, reason, string.Empty);

    public static string Describe(ClaimConflict? c) => c is null ? "-" : $"{c.Left}|{c.Right}@{c.Witness}";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
