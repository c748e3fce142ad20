using System.Collections.Immutable;
using System.Text;
using ClaimGraph.Claims;

namespace ClaimGraph.Graph;

/// <summary>
/// One attempt at a work item: its claims, priority and request time, its status, what it was admitted against, its
/// workspace, lease and fencing token, and the history of decisions about it. Immutable; change it with a
/// <c>with</c> expression and store it with <see cref="WorkGraph.WithRun(Run)"/>. Equality is structural.
/// </summary>
/// <remarks>Times are milliseconds on the orchestrator's clock, given by events; nothing here reads a clock.</remarks>
public sealed record Run
{
    /// <summary>Creates a pending first attempt with priority 0, requested at 0, fencing token 0 and no history.</summary>
    /// <param name="id">The run's id (non-empty, ordinal).</param>
    /// <param name="workItemId">The work item it works on (non-empty, ordinal).</param>
    /// <param name="claims">What it declares it will write, append or read.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An id is empty.</exception>
    public Run(string id, string workItemId, ClaimSet claims)
    {
        Id = id;
        WorkItemId = workItemId;
        Claims = claims;
    }

    /// <summary>The run's id: non-empty, compared ordinally.</summary>
    /// <exception cref="ArgumentException">Set to null or empty.</exception>
    public string Id
    {
        get;
        init => field = GraphIds.Require(value, nameof(Id));
    }

    /// <summary>The work item this run works on.</summary>
    /// <exception cref="ArgumentException">Set to null or empty.</exception>
    public string WorkItemId
    {
        get;
        init => field = GraphIds.Require(value, nameof(WorkItemId));
    }

    /// <summary>The attempt number, 1-based; 1 by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1.</exception>
    public int Attempt
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Attempt));
            field = value;
        }
    } = 1;

    /// <summary>The claims the run declares. <see cref="ClaimSet.Barrier"/> for a run that declares nothing.</summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public ClaimSet Claims
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Claims));
    }

    /// <summary>The run's priority; higher is admitted first. 0 by default.</summary>
    public int Priority { get; init; }

    /// <summary>When the run was requested; earlier is admitted first among equal priorities.</summary>
    public long RequestedAt { get; init; }

    /// <summary>The run's status; <see cref="RunStatus.Pending"/> by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to an undefined value.</exception>
    public RunStatus Status
    {
        get;
        init => field = value is >= RunStatus.Pending and <= RunStatus.Cancelled
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Status), value, "Not a defined run status.");
    }

    /// <summary>The earliest time the run may be admitted (a retry's backoff), or <see langword="null"/> for no limit.</summary>
    public long? NotBefore { get; init; }

    /// <summary>
    /// Whether a held run reserves its place: it waits only on claims or concurrency limits, so its claims stay in the
    /// overlap index and later conflicting runs queue behind it. Ignored unless <see cref="Status"/> is
    /// <see cref="RunStatus.Held"/>.
    /// </summary>
    public bool ReservesPlace { get; init; }

    /// <summary>
    /// How many times this run was overtaken while it waited ready (held only by claims or concurrency limits): a
    /// conflicting run that did not reserve its place was admitted ahead of it although it was requested later or has a
    /// lower priority. Counted by the backfill policy against its bypass budget; 0 by default.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative number.</exception>
    public int Bypasses
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(Bypasses));
            field = value;
        }
    }

    /// <summary>The run that overtook this one last (see <see cref="Bypasses"/>), or <see langword="null"/>.</summary>
    public string? LastBypassedBy { get; init; }

    /// <summary>The base version the run was admitted against, or <see langword="null"/> before admission.</summary>
    public long? AdmittedBase { get; init; }

    /// <summary>
    /// The revisions of the upstream work items (its transitive dependencies) and of its own work item when the run was
    /// admitted, by item id (ordinal; any comparer given is replaced). Empty by default.
    /// </summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public ImmutableSortedDictionary<string, long> AdmittedUpstreamRevisions
    {
        get;
        init => field = (value ?? throw new ArgumentNullException(nameof(AdmittedUpstreamRevisions))).WithComparers(StringComparer.Ordinal);
    } = Structural.NoRevisions;

    /// <summary>
    /// The state the run declared it assumes beside its claims, in the order declared: at most one named base (first), then
    /// resources. Empty by default: the run then works on the default base (<see cref="WorkGraph.BaseVersion"/>) and
    /// assumes nothing else. Each assumption says whether it still holds and, if not, which event broke it.
    /// </summary>
    public ImmutableArray<Assumption> Assumptions
    {
        get;
        init => field = value.IsDefault ? [] : value;
    } = [];

    /// <summary>The named base the run assumes (see <see cref="Assumptions"/>), or <see langword="null"/> for the default base.</summary>
    public Assumption? AssumedBase => !Assumptions.IsEmpty && Assumptions[0].Kind == AssumptionKind.Base ? Assumptions[0] : null;

    /// <summary>The workspace the run uses, or <see langword="null"/> before one is assigned.</summary>
    public string? WorkspaceKey { get; init; }

    /// <summary>Failed attempts of this work item so far, carried over to retries (the retry budget counts them). Default 0.</summary>
    public int Failures
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(Failures));
            field = value;
        }
    }

    /// <summary>The run this one retries or follows (its workspace may be reused), or <see langword="null"/>.</summary>
    public string? PreviousRunId { get; init; }

    /// <summary>When the run's lease expires unless a heartbeat renews it, or <see langword="null"/> for none.</summary>
    public long? LeaseExpiresAt { get; init; }

    /// <summary>The fencing token issued at admission (0 before). Events carrying an older token are stale.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative number.</exception>
    public long FencingToken
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(FencingToken));
            field = value;
        }
    }

    /// <summary>The decisions about this run, oldest first. Empty by default.</summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public ImmutableList<RunHistoryEntry> History
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(History));
    } = [];

    /// <summary>
    /// Whether the run's claims are in the graph's overlap index: it is <see cref="RunStatus.Active"/>, or
    /// <see cref="RunStatus.Held"/> and <see cref="ReservesPlace"/>.
    /// </summary>
    public bool IsInOverlapIndex => Status == RunStatus.Active || (Status == RunStatus.Held && ReservesPlace);

    /// <summary>This run with <paramref name="entry"/> appended to its <see cref="History"/>. O(log h).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is null.</exception>
    public Run AppendHistory(RunHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return this with { History = History.Add(entry) };
    }

    /// <summary>Structural equality over every property (the history compared entry by entry).</summary>
    public bool Equals(Run? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return string.Equals(Id, other.Id, StringComparison.Ordinal)
            && string.Equals(WorkItemId, other.WorkItemId, StringComparison.Ordinal)
            && Attempt == other.Attempt
            && Priority == other.Priority
            && RequestedAt == other.RequestedAt
            && Status == other.Status
            && NotBefore == other.NotBefore
            && ReservesPlace == other.ReservesPlace
            && Bypasses == other.Bypasses
            && string.Equals(LastBypassedBy, other.LastBypassedBy, StringComparison.Ordinal)
            && AdmittedBase == other.AdmittedBase
            && string.Equals(WorkspaceKey, other.WorkspaceKey, StringComparison.Ordinal)
            && Failures == other.Failures
            && string.Equals(PreviousRunId, other.PreviousRunId, StringComparison.Ordinal)
            && LeaseExpiresAt == other.LeaseExpiresAt
            && FencingToken == other.FencingToken
            && Claims.Equals(other.Claims)
            && Structural.MapEqual(AdmittedUpstreamRevisions, other.AdmittedUpstreamRevisions, EqualityComparer<long>.Default)
            && Assumptions.SequenceEqual(other.Assumptions)
            && History.Count == other.History.Count
            && History.SequenceEqual(other.History);
    }

    /// <summary>A hash consistent with <see cref="Equals(Run?)"/>.</summary>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Id, StringComparer.Ordinal);
        h.Add(WorkItemId, StringComparer.Ordinal);
        h.Add(Attempt);
        h.Add(Priority);
        h.Add(RequestedAt);
        h.Add(Status);
        h.Add(NotBefore);
        h.Add(ReservesPlace);
        h.Add(Bypasses);
        h.Add(LastBypassedBy is null ? 0 : StringComparer.Ordinal.GetHashCode(LastBypassedBy));
        h.Add(AdmittedBase);
        h.Add(WorkspaceKey is null ? 0 : StringComparer.Ordinal.GetHashCode(WorkspaceKey));
        h.Add(LeaseExpiresAt);
        h.Add(Failures);
        h.Add(PreviousRunId is null ? 0 : StringComparer.Ordinal.GetHashCode(PreviousRunId));
        h.Add(FencingToken);
        h.Add(Claims);
        h.Add(AdmittedUpstreamRevisions.Count);
        h.Add(Assumptions.Length);
        h.Add(History.Count);
        if (!History.IsEmpty)
        {
            h.Add(History[^1]);
        }

        return h.ToHashCode();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id)
            .Append(", WorkItemId = ").Append(WorkItemId)
            .Append(", Attempt = ").Append(Attempt)
            .Append(", Status = ").Append(Status)
            .Append(", Priority = ").Append(Priority)
            .Append(", RequestedAt = ").Append(RequestedAt)
            .Append(", Claims = [").Append(Claims.ToString().TrimEnd('\n').Replace('\n', ';')).Append(']')
            .Append(", History = ").Append(History.Count).Append(" entries");
        return true;
    }
}
