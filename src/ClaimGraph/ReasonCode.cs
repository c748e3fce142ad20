namespace ClaimGraph;

/// <summary>
/// Why a decision was made. The numbers are part of the public contract: they never change, and a new reason gets
/// a new number. Decades group reasons by the <see cref="DecisionKind"/> they go with.
/// </summary>
public enum ReasonCode
{
    /// <summary>No reason (the default value; never produced by the policy).</summary>
    None = 0,

    /// <summary>Admit: the run's work item is open, its dependencies are done, limits allow and its claims conflict with nothing active or reserved.</summary>
    Admitted = 1,

    /// <summary>Admit: an active run's request for more claims was granted.</summary>
    AmendmentGranted = 2,

    /// <summary>Hold: the run's claims conflict with an active run's claims.</summary>
    ClaimConflict = 10,

    /// <summary>Hold: the run's claims conflict with a held run ahead of it that reserves its place (see <see cref="Policy.PolicyOptions.Reservation"/>).</summary>
    QueuedBehind = 11,

    /// <summary>Hold: a work item this run depends on is not done yet.</summary>
    DependencyPending = 12,

    /// <summary>Hold: a work item this run depends on is not in the graph.</summary>
    DependencyUnknown = 13,

    /// <summary>Hold: a global or per-label concurrency limit is reached.</summary>
    ConcurrencyLimit = 14,

    /// <summary>Hold: the run is a retry whose backoff has not elapsed.</summary>
    BackoffPending = 15,

    /// <summary>Cancel: an upstream work item was abandoned or failed for good.</summary>
    DependencyFailed = 20,

    /// <summary>Cancel: an upstream work item's revision changed, or it was reopened, after this run was admitted.</summary>
    UpstreamChanged = 21,

    /// <summary>Cancel: the run's own work item changed scope after the run was admitted.</summary>
    WorkItemChanged = 22,

    /// <summary>Cancel: the run's work item was closed.</summary>
    WorkItemClosed = 23,

    /// <summary>Cancel: an outside change or a claim violation touched paths this run covers after its base.</summary>
    BaseStale = 24,

    /// <summary>Cancel: no heartbeat arrived within the lease.</summary>
    LeaseExpired = 25,

    /// <summary>Cancel: the work item used up its retry budget.</summary>
    RetryBudgetExhausted = 26,

    /// <summary>Cancel: a newer request for the same work item replaced this pending run.</summary>
    Superseded = 27,

    /// <summary>Cancel: the orchestrator asked for the run to be cancelled.</summary>
    CancelledByRequest = 28,

    /// <summary>
    /// Cancel: state the run declared it assumes moved under it: a resource it assumed at one version changed to another,
    /// or the named base it assumed moved and changed a path it covers. The evidence names the assumption, the version
    /// expected and the actual one, and the event (<c>CancelDecision.BrokenAssumption</c>).
    /// </summary>
    AssumptionBroken = 29,

    /// <summary>Retry: the run failed with a transient error.</summary>
    TransientFailure = 30,

    /// <summary>Retry: the run was not alive after a restart, or its lease expired.</summary>
    Orphaned = 31,

    /// <summary>Retry: the run was cancelled as stale and its work item is still open.</summary>
    Restarted = 32,

    /// <summary>AmendmentDenied: the claims an active run asked to add conflict with another run.</summary>
    AmendmentConflict = 40,

    /// <summary>ClaimViolation: a succeeded run changed paths outside its write and append claims.</summary>
    ChangedOutsideClaims = 50,

    /// <summary>Reject: a claim pattern in the event does not parse.</summary>
    InvalidPattern = 60,

    /// <summary>Reject: the event names a run that is not in the graph.</summary>
    UnknownRun = 61,

    /// <summary>Reject: the event names a work item that is not in the graph.</summary>
    UnknownWorkItem = 62,

    /// <summary>Reject: the event would create something whose id is already taken.</summary>
    DuplicateId = 63,

    /// <summary>Reject: the dependency would close a cycle.</summary>
    DependencyCycle = 64,

    /// <summary>Reject: the event is not valid in the current state (e.g. a request while the item's run is active).</summary>
    InvalidTransition = 65,

    /// <summary>Reject: the event carries a fencing token older than the run's current one.</summary>
    StaleFencingToken = 66,

    /// <summary>Reject: the event is malformed (a missing or out-of-range field).</summary>
    InvalidEvent = 67,
}
