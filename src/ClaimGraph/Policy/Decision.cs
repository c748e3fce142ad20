using System.Collections.Immutable;
using ClaimGraph.Claims;

namespace ClaimGraph.Policy;

/// <summary>
/// A decision of the policy: a <see cref="DecisionKind"/>, a stable <see cref="ReasonCode"/>, typed evidence and a
/// message built from that evidence (never parse the message; read the evidence).
/// </summary>
public abstract class Decision : IEquatable<Decision>
{
    private protected Decision(string eventId, string? runId)
    {
        EventId = eventId;
        RunId = runId;
    }

    /// <summary>The id of the event whose processing produced this decision.</summary>
    public string EventId { get; }

    /// <summary>The run the decision is about (for <see cref="RejectDecision"/>: the run the event named, if any).</summary>
    public string? RunId { get; }

    /// <summary>The kind of decision.</summary>
    public abstract DecisionKind Kind { get; }

    /// <summary>The main reason.</summary>
    public abstract ReasonCode Reason { get; }

    /// <summary>A sentence built from the evidence (the JSON's <c>"message"</c>).</summary>
    public string Message => EvidenceFormatter.Message(this);

    /// <summary>
    /// The evidence in short, as <c>claimgraph decide</c> prints it: for example <c>blocker RUN; ENTRY vs BLOCKING-ENTRY;
    /// witness PATH</c>, or <c>base 3, token 2, workspace ws/r (new workspace)</c>. For a hold, its reasons' evidence
    /// separated by <c> | </c>. Built from the same typed evidence as <see cref="Message"/>; never parse it.
    /// </summary>
    public string Evidence => EvidenceFormatter.Evidence(this);

    /// <summary>Whether <paramref name="other"/> is a decision of the same type with the same evidence (strings ordinal).</summary>
    public abstract bool Equals(Decision? other);

    /// <inheritdoc/>
    public sealed override bool Equals(object? obj) => Equals(obj as Decision);

    /// <summary>A hash consistent with <see cref="Equals(Decision?)"/>.</summary>
    public abstract override int GetHashCode();

    /// <summary>The <see cref="Message"/>.</summary>
    public sealed override string ToString() => Message;

    /// <summary>Same type, event, run and reason.</summary>
    private protected bool SameHead(Decision other) =>
        GetType() == other.GetType() && string.Equals(EventId, other.EventId, StringComparison.Ordinal)
        && string.Equals(RunId, other.RunId, StringComparison.Ordinal) && Reason == other.Reason;

    private protected int HeadHash() => HashCode.Combine(GetType(), StringComparer.Ordinal.GetHashCode(EventId), Reason);
}

/// <summary>Start <see cref="Decision.RunId"/> now, on <see cref="BaseVersion"/>, in <see cref="WorkspaceKey"/>.</summary>
public sealed class AdmitDecision : Decision
{
    /// <summary>Creates the decision.</summary>
    public AdmitDecision(string eventId, string runId, ReasonCode reason, long baseVersion, string workspaceKey, bool reuseWorkspace, string workspaceNote, long fencingToken, long? leaseExpiresAt)
        : base(eventId, runId)
    {
        Reason = reason;
        BaseVersion = baseVersion;
        WorkspaceKey = workspaceKey;
        ReuseWorkspace = reuseWorkspace;
        WorkspaceNote = workspaceNote;
        FencingToken = fencingToken;
        LeaseExpiresAt = leaseExpiresAt;
    }

    /// <inheritdoc/>
    public override bool Equals(Decision? other) =>
        other is AdmitDecision a && SameHead(a) && BaseVersion == a.BaseVersion && NamedBase == a.NamedBase && BaseRevision == a.BaseRevision
        && WorkspaceKey == a.WorkspaceKey && ReuseWorkspace == a.ReuseWorkspace && WorkspaceNote == a.WorkspaceNote
        && FencingToken == a.FencingToken && LeaseExpiresAt == a.LeaseExpiresAt;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(HeadHash(), FencingToken);

    /// <inheritdoc/>
    public override DecisionKind Kind => DecisionKind.Admit;

    /// <inheritdoc/>
    public override ReasonCode Reason { get; }

    /// <summary>
    /// The default base's version. A run on a named base starts from <see cref="NamedBase"/> at
    /// <see cref="BaseRevision"/> instead; this version is then only the default base's at its admission.
    /// </summary>
    public long BaseVersion { get; }

    /// <summary>The named base the run starts from (<c>RunRequested.Base</c>), or <see langword="null"/> for the default base.</summary>
    public string? NamedBase { get; init; }

    /// <summary>The revision of <see cref="NamedBase"/> the run starts from, or <see langword="null"/> for the default base.</summary>
    public string? BaseRevision { get; init; }

    /// <summary>The workspace the run uses.</summary>
    public string WorkspaceKey { get; }

    /// <summary>Whether the workspace is the previous attempt's (see <see cref="WorkspaceNote"/> for why or why not).</summary>
    public bool ReuseWorkspace { get; }

    /// <summary>Why the workspace is reused or new.</summary>
    public string WorkspaceNote { get; }

    /// <summary>The fencing token the run must present in its heartbeats and results.</summary>
    public long FencingToken { get; }

    /// <summary>When the lease expires without a heartbeat, or <see langword="null"/> when leases are off.</summary>
    public long? LeaseExpiresAt { get; }

}

/// <summary>
/// The run waits; <see cref="Reasons"/> names its first blockers (at most <see cref="MaxReasons"/>), each with its
/// evidence, and <see cref="MoreBlockers"/> counts the rest (<see cref="HoldBlockers.Of"/> lists every one).
/// </summary>
/// <remarks>
/// A Hold is emitted when a run starts waiting and then only when its hold changes (docs/policy.md, "When a Hold is
/// emitted"): its non-claim reasons, whether it waits on claims at all, the claim blocker it named first, or whether it
/// reserves its place. Other claim blockers coming or going and a bypass count that grows do not emit it again.
/// </remarks>
public sealed class HoldDecision : Decision
{
    /// <summary>The most blockers a Hold names: 8. The rest are counted in <see cref="MoreBlockers"/>.</summary>
    public const int MaxReasons = 8;

    /// <summary>Creates the decision, without bypass evidence (strict reservation).</summary>
    public HoldDecision(string eventId, string runId, ImmutableArray<HoldReason> reasons)
        : this(eventId, runId, reasons, null)
    {
    }

    /// <summary>Creates the decision.</summary>
    /// <param name="eventId">The event being processed.</param>
    /// <param name="runId">The held run.</param>
    /// <param name="reasons">Every blocker, at least one.</param>
    /// <param name="bypass">With backfill, for a run that waits only on claims or limits: its bypass budget; else <see langword="null"/>.</param>
    public HoldDecision(string eventId, string runId, ImmutableArray<HoldReason> reasons, BypassEvidence? bypass)
        : this(eventId, runId, reasons, bypass, 0)
    {
    }

    /// <summary>Creates the decision that names the first blockers and counts the rest.</summary>
    /// <param name="eventId">The event being processed.</param>
    /// <param name="runId">The held run.</param>
    /// <param name="reasons">The blockers it names, at least one, in order (the policy names at most <see cref="MaxReasons"/>).</param>
    /// <param name="bypass">With backfill, for a run that waits only on claims or limits: its bypass budget; else <see langword="null"/>.</param>
    /// <param name="moreBlockers">How many blockers follow those named (0 or more).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="moreBlockers"/> is negative.</exception>
    public HoldDecision(string eventId, string runId, ImmutableArray<HoldReason> reasons, BypassEvidence? bypass, int moreBlockers)
        : base(eventId, runId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(moreBlockers);
        Reasons = reasons;
        Bypass = bypass;
        MoreBlockers = moreBlockers;
    }

    /// <inheritdoc/>
    public override DecisionKind Kind => DecisionKind.Hold;

    /// <summary>The first reason's code.</summary>
    public override ReasonCode Reason => Reasons.IsDefaultOrEmpty ? ReasonCode.None : Reasons[0].Code;

    /// <summary>
    /// The first blockers, at least one and at most <see cref="MaxReasons"/>, in the order of docs/policy.md (dependencies,
    /// backoff, limits, then claim conflicts with active runs and queue places, each by run id).
    /// </summary>
    public ImmutableArray<HoldReason> Reasons { get; }

    /// <summary>How many blockers follow <see cref="Reasons"/> (all of them claim blockers); 0 when it names every one.</summary>
    public int MoreBlockers { get; }

    /// <summary>
    /// With backfill, for a run that waits only on claims or concurrency limits: how far its bypass budget is used.
    /// <see langword="null"/> with strict reservation (budget 0) and for runs that wait on anything else.
    /// </summary>
    public BypassEvidence? Bypass { get; }

    /// <summary>
    /// Whether the run keeps its place in line: it waits only on claims or limits and, with backfill, its bypass budget
    /// is used up (<see cref="Bypass"/>). (The blockers past <see cref="Reasons"/> are claim blockers: reasons are in
    /// order, claims last, so the named ones decide this.)
    /// </summary>
    public bool ReservesPlace => WaitsOnlyOnClaimsOrLimits(Reasons) && (Bypass is null || Bypass.Exhausted);

    /// <summary>Whether every reason is a claim or a concurrency limit (the run would start if those cleared).</summary>
    internal static bool WaitsOnlyOnClaimsOrLimits(ImmutableArray<HoldReason> reasons)
    {
        foreach (HoldReason r in reasons)
        {
            if (r.Code is not (ReasonCode.ClaimConflict or ReasonCode.QueuedBehind or ReasonCode.ConcurrencyLimit))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Structural equality, including the reasons, the count of the rest and the bypass evidence.</summary>
    public override bool Equals(Decision? other) =>
        other is HoldDecision h && SameHead(h) && Reasons.SequenceEqual(h.Reasons)
        && MoreBlockers == h.MoreBlockers && Equals(Bypass, h.Bypass);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(HeadHash(), Reasons.Length, MoreBlockers, Bypass);
}

/// <summary>Stop the run. For an active run the orchestrator must stop it.</summary>
public sealed class CancelDecision : Decision
{
    /// <summary>Creates the decision.</summary>
    public CancelDecision(string eventId, string runId, ReasonCode reason, string? causeWorkItemId, string? causeRunId, ImmutableArray<string> paths)
        : base(eventId, runId)
    {
        Reason = reason;
        CauseWorkItemId = causeWorkItemId;
        CauseRunId = causeRunId;
        Paths = paths.IsDefault ? [] : paths;
    }

    /// <inheritdoc/>
    public override DecisionKind Kind => DecisionKind.Cancel;

    /// <inheritdoc/>
    public override ReasonCode Reason { get; }

    /// <summary>The work item that caused it (the upstream item, the run's own item), if any.</summary>
    public string? CauseWorkItemId { get; }

    /// <summary>The run that caused it (the superseding run, the violating run), if any.</summary>
    public string? CauseRunId { get; }

    /// <summary>For <see cref="ReasonCode.BaseStale"/>: the changed paths this run covers.</summary>
    public ImmutableArray<string> Paths { get; }

    /// <summary>
    /// For <see cref="ReasonCode.RetryBudgetExhausted"/>: <see langword="true"/> when the run's lease expired without a
    /// heartbeat and that last failed attempt used up the budget. One decision carries both facts (there is no separate
    /// <see cref="ReasonCode.LeaseExpired"/> cancel then). <see langword="false"/> by default and for every other reason.
    /// </summary>
    public bool LeaseExpired { get; init; }

    /// <summary>
    /// For <see cref="ReasonCode.AssumptionBroken"/>: the assumption that broke, with the version the run expected
    /// (<see cref="Graph.Assumption.Version"/>), the actual one (<see cref="Graph.Assumption.ActualVersion"/>) and the
    /// event that moved it (<see cref="Graph.Assumption.BrokenByEventId"/>); for a named base, <see cref="Paths"/> lists
    /// the changed paths the run covers. <see langword="null"/> for every other reason.
    /// </summary>
    public Graph.Assumption? BrokenAssumption { get; init; }

    /// <summary>Structural equality, including the paths.</summary>
    public override bool Equals(Decision? other) =>
        other is CancelDecision c && SameHead(c)
        && CauseWorkItemId == c.CauseWorkItemId && CauseRunId == c.CauseRunId && Paths.SequenceEqual(c.Paths)
        && LeaseExpired == c.LeaseExpired && Equals(BrokenAssumption, c.BrokenAssumption);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(HeadHash(), CauseWorkItemId, CauseRunId);
}

/// <summary>A new attempt of a work item: run <see cref="NewRunId"/> replaces <see cref="Decision.RunId"/>, not before <see cref="NotBefore"/>.</summary>
public sealed class RetryDecision : Decision
{
    /// <summary>Creates the decision.</summary>
    public RetryDecision(string eventId, string runId, ReasonCode reason, string newRunId, int attempt, long notBefore, string workspaceKey, bool reuseWorkspace, string workspaceNote)
        : base(eventId, runId)
    {
        Reason = reason;
        NewRunId = newRunId;
        Attempt = attempt;
        NotBefore = notBefore;
        WorkspaceKey = workspaceKey;
        ReuseWorkspace = reuseWorkspace;
        WorkspaceNote = workspaceNote;
    }

    /// <inheritdoc/>
    public override bool Equals(Decision? other) =>
        other is RetryDecision r && SameHead(r) && NewRunId == r.NewRunId && Attempt == r.Attempt && NotBefore == r.NotBefore
        && WorkspaceKey == r.WorkspaceKey && ReuseWorkspace == r.ReuseWorkspace && WorkspaceNote == r.WorkspaceNote;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(HeadHash(), Attempt, NotBefore);

    /// <inheritdoc/>
    public override DecisionKind Kind => DecisionKind.Retry;

    /// <inheritdoc/>
    public override ReasonCode Reason { get; }

    /// <summary>The id of the new run (derived deterministically from the work item and the attempt).</summary>
    public string NewRunId { get; }

    /// <summary>The new run's attempt number (1-based).</summary>
    public int Attempt { get; }

    /// <summary>The earliest time the new run may start (backoff with deterministic jitter).</summary>
    public long NotBefore { get; }

    /// <summary>The workspace the new run will use.</summary>
    public string WorkspaceKey { get; }

    /// <summary>Whether that is the previous attempt's workspace.</summary>
    public bool ReuseWorkspace { get; }

    /// <summary>Why the workspace is reused or not.</summary>
    public string WorkspaceNote { get; }

}

/// <summary>An active run's request for more claims conflicts with another run; it keeps the claims it had.</summary>
public sealed class AmendmentDeniedDecision : Decision
{
    /// <summary>Creates the decision.</summary>
    public AmendmentDeniedDecision(string eventId, string runId, string blockingRunId, ClaimConflict conflict)
        : base(eventId, runId)
    {
        BlockingRunId = blockingRunId;
        Conflict = conflict;
    }

    /// <inheritdoc/>
    public override bool Equals(Decision? other) =>
        other is AmendmentDeniedDecision d && SameHead(d) && BlockingRunId == d.BlockingRunId && Conflict.Equals(d.Conflict);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(HeadHash(), Conflict);

    /// <inheritdoc/>
    public override DecisionKind Kind => DecisionKind.AmendmentDenied;

    /// <inheritdoc/>
    public override ReasonCode Reason => ReasonCode.AmendmentConflict;

    /// <summary>The run whose claims the amendment would conflict with.</summary>
    public string BlockingRunId { get; }

    /// <summary>The two entries and a path both cover.</summary>
    public ClaimConflict Conflict { get; }

}

/// <summary>A succeeded run changed paths outside its write and append claims.</summary>
public sealed class ClaimViolationDecision : Decision
{
    /// <summary>Creates the decision.</summary>
    public ClaimViolationDecision(string eventId, string runId, ImmutableArray<string> paths)
        : base(eventId, runId) => Paths = paths;

    /// <inheritdoc/>
    public override DecisionKind Kind => DecisionKind.ClaimViolation;

    /// <inheritdoc/>
    public override ReasonCode Reason => ReasonCode.ChangedOutsideClaims;

    /// <summary>The changed paths no write or append claim covers.</summary>
    public ImmutableArray<string> Paths { get; }

    /// <summary>Structural equality, including the paths.</summary>
    public override bool Equals(Decision? other) =>
        other is ClaimViolationDecision v && SameHead(v) && Paths.SequenceEqual(v.Paths);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(HeadHash(), Paths.Length);
}

/// <summary>An invalid event; it changed nothing.</summary>
public sealed class RejectDecision : Decision
{
    /// <summary>Creates the decision.</summary>
    public RejectDecision(string eventId, string? runId, ReasonCode reason, string detail)
        : base(eventId, runId)
    {
        Reason = reason;
        Detail = detail;
    }

    /// <inheritdoc/>
    public override bool Equals(Decision? other) => other is RejectDecision j && SameHead(j) && Detail == j.Detail;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(HeadHash(), StringComparer.Ordinal.GetHashCode(Detail));

    /// <inheritdoc/>
    public override DecisionKind Kind => DecisionKind.Reject;

    /// <inheritdoc/>
    public override ReasonCode Reason { get; }

    /// <summary>What exactly is wrong (for example the pattern error, or the cycle's members).</summary>
    public string Detail { get; }
}
