using ClaimGraph.Claims;

namespace ClaimGraph.Policy;

/// <summary>
/// One thing a held run waits for. A closed set of types, each with exactly its evidence:
/// <see cref="ClaimConflictHold"/>, <see cref="QueuedBehindHold"/> (both <see cref="ClaimHold"/>),
/// <see cref="DependencyPendingHold"/>, <see cref="DependencyUnknownHold"/>, <see cref="ConcurrencyLimitHold"/> and
/// <see cref="BackoffPendingHold"/>. Immutable; equality is structural (same type, same evidence, ordinal).
/// </summary>
public abstract class HoldReason : IEquatable<HoldReason>
{
    private protected HoldReason()
    {
    }

    /// <summary>The reason code: the same for every value of a type.</summary>
    public abstract ReasonCode Code { get; }

    /// <summary>A sentence built from the evidence (the JSON's <c>"message"</c>).</summary>
    public string Message => EvidenceFormatter.Message(this);

    /// <summary>
    /// The evidence in short, as <c>claimgraph decide</c> prints it: for example <c>blocker RUN; ENTRY vs BLOCKING-ENTRY;
    /// witness PATH</c>, <c>item ID, run ID</c>, <c>limit LABEL</c> (<c>*</c>: the global limit) or <c>not before TIME</c>.
    /// </summary>
    public string Evidence => EvidenceFormatter.Evidence(this);

    /// <summary>Whether <paramref name="other"/> is a reason of the same type with the same evidence.</summary>
    public abstract bool Equals(HoldReason? other);

    /// <inheritdoc/>
    public sealed override bool Equals(object? obj) => Equals(obj as HoldReason);

    /// <summary>A hash consistent with <see cref="Equals(HoldReason?)"/>.</summary>
    public abstract override int GetHashCode();

    /// <summary>The <see cref="Message"/>.</summary>
    public sealed override string ToString() => Message;
}

/// <summary>The held run's claims conflict with another run's: <see cref="ClaimConflictHold"/> or <see cref="QueuedBehindHold"/>.</summary>
public abstract class ClaimHold : HoldReason
{
    private protected ClaimHold(string blockingRunId, string blockingWorkItemId, ClaimConflict conflict)
    {
        ArgumentNullException.ThrowIfNull(blockingRunId);
        ArgumentNullException.ThrowIfNull(blockingWorkItemId);
        ArgumentNullException.ThrowIfNull(conflict);
        BlockingRunId = blockingRunId;
        BlockingWorkItemId = blockingWorkItemId;
        Conflict = conflict;
    }

    /// <summary>The run whose claims block the held run.</summary>
    public string BlockingRunId { get; }

    /// <summary>The work item of <see cref="BlockingRunId"/>.</summary>
    public string BlockingWorkItemId { get; }

    /// <summary>The held run's entry (<see cref="ClaimConflict.Left"/>), the blocking run's (<see cref="ClaimConflict.Right"/>) and a path both cover.</summary>
    public ClaimConflict Conflict { get; }

    /// <inheritdoc/>
    public sealed override bool Equals(HoldReason? other) =>
        other is ClaimHold c && c.GetType() == GetType() && string.Equals(BlockingRunId, c.BlockingRunId, StringComparison.Ordinal)
        && string.Equals(BlockingWorkItemId, c.BlockingWorkItemId, StringComparison.Ordinal) && Conflict.Equals(c.Conflict);

    /// <inheritdoc/>
    public sealed override int GetHashCode() => HashCode.Combine(Code, StringComparer.Ordinal.GetHashCode(BlockingRunId), Conflict);
}

/// <summary><see cref="ReasonCode.ClaimConflict"/>: the claims conflict with an active run's.</summary>
public sealed class ClaimConflictHold : ClaimHold
{
    /// <summary>Creates the reason.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ClaimConflictHold(string blockingRunId, string blockingWorkItemId, ClaimConflict conflict)
        : base(blockingRunId, blockingWorkItemId, conflict)
    {
    }

    /// <inheritdoc/>
    public override ReasonCode Code => ReasonCode.ClaimConflict;

}

/// <summary><see cref="ReasonCode.QueuedBehind"/>: the claims conflict with a held run that reserves its place ahead of it.</summary>
public sealed class QueuedBehindHold : ClaimHold
{
    /// <summary>Creates the reason.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public QueuedBehindHold(string blockingRunId, string blockingWorkItemId, ClaimConflict conflict)
        : base(blockingRunId, blockingWorkItemId, conflict)
    {
    }

    /// <inheritdoc/>
    public override ReasonCode Code => ReasonCode.QueuedBehind;

}

/// <summary><see cref="ReasonCode.DependencyPending"/>: a dependency of the run's work item is not done.</summary>
public sealed class DependencyPendingHold : HoldReason
{
    /// <summary>Creates the reason.</summary>
    /// <param name="workItemId">The dependency.</param>
    /// <param name="activeRunId">Its active run, or <see langword="null"/> when none is active.</param>
    /// <exception cref="ArgumentNullException"><paramref name="workItemId"/> is null.</exception>
    public DependencyPendingHold(string workItemId, string? activeRunId)
    {
        ArgumentNullException.ThrowIfNull(workItemId);
        WorkItemId = workItemId;
        ActiveRunId = activeRunId;
    }

    /// <inheritdoc/>
    public override ReasonCode Code => ReasonCode.DependencyPending;

    /// <summary>The dependency that is not done.</summary>
    public string WorkItemId { get; }

    /// <summary>The dependency's active run, or <see langword="null"/> when none is active.</summary>
    public string? ActiveRunId { get; }


    /// <inheritdoc/>
    public override bool Equals(HoldReason? other) =>
        other is DependencyPendingHold d && string.Equals(WorkItemId, d.WorkItemId, StringComparison.Ordinal)
        && string.Equals(ActiveRunId, d.ActiveRunId, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Code, StringComparer.Ordinal.GetHashCode(WorkItemId));
}

/// <summary><see cref="ReasonCode.DependencyUnknown"/>: a dependency of the run's work item is not in the graph.</summary>
public sealed class DependencyUnknownHold : HoldReason
{
    /// <summary>Creates the reason.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="workItemId"/> is null.</exception>
    public DependencyUnknownHold(string workItemId)
    {
        ArgumentNullException.ThrowIfNull(workItemId);
        WorkItemId = workItemId;
    }

    /// <inheritdoc/>
    public override ReasonCode Code => ReasonCode.DependencyUnknown;

    /// <summary>The dependency that is not in the graph.</summary>
    public string WorkItemId { get; }


    /// <inheritdoc/>
    public override bool Equals(HoldReason? other) =>
        other is DependencyUnknownHold d && string.Equals(WorkItemId, d.WorkItemId, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Code, StringComparer.Ordinal.GetHashCode(WorkItemId));
}

/// <summary><see cref="ReasonCode.ConcurrencyLimit"/>: the global limit or a label's limit is reached.</summary>
public sealed class ConcurrencyLimitHold : HoldReason
{
    /// <summary>Creates the reason.</summary>
    /// <param name="label">The label whose limit is reached (<see cref="PolicyOptions.MaxActivePerLabel"/>), or <see langword="null"/> for the global limit (<see cref="PolicyOptions.MaxActiveRuns"/>).</param>
    public ConcurrencyLimitHold(string? label) => Label = label;

    /// <summary>The global limit (<see cref="PolicyOptions.MaxActiveRuns"/>).</summary>
    public static ConcurrencyLimitHold Global { get; } = new(null);

    /// <inheritdoc/>
    public override ReasonCode Code => ReasonCode.ConcurrencyLimit;

    /// <summary>The label whose limit is reached, or <see langword="null"/> for the global limit.</summary>
    public string? Label { get; }

    /// <summary>Whether it is the global limit.</summary>
    public bool IsGlobal => Label is null;


    /// <inheritdoc/>
    public override bool Equals(HoldReason? other) =>
        other is ConcurrencyLimitHold l && string.Equals(Label, l.Label, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Code, Label is null ? 0 : StringComparer.Ordinal.GetHashCode(Label));
}

/// <summary><see cref="ReasonCode.BackoffPending"/>: the run is a retry whose backoff has not ended.</summary>
public sealed class BackoffPendingHold : HoldReason
{
    /// <summary>Creates the reason.</summary>
    /// <param name="notBefore">When the backoff ends.</param>
    public BackoffPendingHold(long notBefore) => NotBefore = notBefore;

    /// <inheritdoc/>
    public override ReasonCode Code => ReasonCode.BackoffPending;

    /// <summary>When the backoff ends.</summary>
    public long NotBefore { get; }


    /// <inheritdoc/>
    public override bool Equals(HoldReason? other) => other is BackoffPendingHold b && NotBefore == b.NotBefore;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Code, NotBefore);
}
