using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace ClaimGraph.Policy;

/// <summary>
/// Something that happened, fed to <c>ClaimPolicy.Step</c>. Every event has an id (a repeated id changes
/// nothing) and a time in milliseconds on the orchestrator's clock (the policy never reads a clock). Events are
/// plain data: claims travel as text lines and are parsed by the policy, so a bad pattern is a <c>Reject</c>, not an exception.
/// </summary>
/// <param name="EventId">Unique id of the event; the policy ignores an id it has already applied.</param>
/// <param name="Time">Milliseconds on the orchestrator's clock; the policy treats time as never going backwards (an earlier time counts as the latest time seen).</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(WorkItemAdded), "workItemAdded")]
[JsonDerivedType(typeof(WorkItemChanged), "workItemChanged")]
[JsonDerivedType(typeof(WorkItemClosed), "workItemClosed")]
[JsonDerivedType(typeof(WorkItemReopened), "workItemReopened")]
[JsonDerivedType(typeof(DependencyAdded), "dependencyAdded")]
[JsonDerivedType(typeof(DependencyRemoved), "dependencyRemoved")]
[JsonDerivedType(typeof(RunRequested), "runRequested")]
[JsonDerivedType(typeof(RunHeartbeat), "runHeartbeat")]
[JsonDerivedType(typeof(RunSucceeded), "runSucceeded")]
[JsonDerivedType(typeof(RunFailed), "runFailed")]
[JsonDerivedType(typeof(RunCancelRequested), "runCancelRequested")]
[JsonDerivedType(typeof(ClaimsAmended), "claimsAmended")]
[JsonDerivedType(typeof(BaseAdvanced), "baseAdvanced")]
[JsonDerivedType(typeof(Tick), "tick")]
[JsonDerivedType(typeof(Recovered), "recovered")]
[JsonDerivedType(typeof(NamedBaseAdvanced), "namedBaseAdvanced")]
[JsonDerivedType(typeof(ResourceChanged), "resourceChanged")]
public abstract record PolicyEvent(string EventId, long Time)
{
    /// <summary>
    /// The latest time an event may carry: 2^53 − 1 ms (about 285,000 years after the epoch). An event outside
    /// [<see cref="MinTime"/>, <see cref="MaxTime"/>] is rejected (<c>InvalidEvent</c>) before the policy looks at it, so
    /// that <c>now</c> plus any duration the options allow (<see cref="PolicyOptions.MaxDuration"/>) never overflows.
    /// </summary>
    public const long MaxTime = 9_007_199_254_740_991;

    /// <summary>The earliest time an event may carry: −(2^53 − 1) ms. See <see cref="MaxTime"/>.</summary>
    public const long MinTime = -MaxTime;
}

/// <summary>A work item (issue) was added, open, with its dependencies.</summary>
public sealed record WorkItemAdded(string EventId, long Time, string WorkItemId) : PolicyEvent(EventId, Time)
{
    /// <summary>Work items this one depends on; they need not exist yet (a run then holds with <see cref="ReasonCode.DependencyUnknown"/>).</summary>
    public ImmutableArray<string> DependsOn { get; init => field = value.IsDefault ? [] : value; } = [];

    /// <summary>Labels, used for per-label concurrency limits.</summary>
    public ImmutableArray<string> Labels { get; init => field = value.IsDefault ? [] : value; } = [];

    /// <summary>Priority; higher is admitted first. Default 0.</summary>
    public int Priority { get; init; }
}

/// <summary>A work item's scope changed: its revision is bumped, its active run is stale (<see cref="ReasonCode.WorkItemChanged"/>) and so are its dependents' runs (<see cref="ReasonCode.UpstreamChanged"/>).</summary>
public sealed record WorkItemChanged(string EventId, long Time, string WorkItemId) : PolicyEvent(EventId, Time)
{
    /// <summary>New labels, or <see langword="null"/> to keep them.</summary>
    public ImmutableArray<string>? Labels { get; init; }

    /// <summary>New priority, or <see langword="null"/> to keep it.</summary>
    public int? Priority { get; init; }
}

/// <summary>A work item was closed as done or abandoned by the orchestrator.</summary>
public sealed record WorkItemClosed(string EventId, long Time, string WorkItemId, bool Abandoned) : PolicyEvent(EventId, Time);

/// <summary>A closed work item was reopened; runs admitted against it as done become stale.</summary>
public sealed record WorkItemReopened(string EventId, long Time, string WorkItemId) : PolicyEvent(EventId, Time);

/// <summary><paramref name="WorkItemId"/> now depends on <paramref name="DependsOn"/>. Rejected if it would close a cycle.</summary>
public sealed record DependencyAdded(string EventId, long Time, string WorkItemId, string DependsOn) : PolicyEvent(EventId, Time);

/// <summary>The dependency of <paramref name="WorkItemId"/> on <paramref name="DependsOn"/> was removed.</summary>
public sealed record DependencyRemoved(string EventId, long Time, string WorkItemId, string DependsOn) : PolicyEvent(EventId, Time);

/// <summary>
/// The orchestrator asks to run <paramref name="WorkItemId"/> as run <paramref name="RunId"/> with the given claims
/// (claim-set text lines, e.g. <c>write src/**</c>; an empty list declares no claims and makes the run a barrier).
/// </summary>
public sealed record RunRequested(string EventId, long Time, string RunId, string WorkItemId, ImmutableArray<string> Claims) : PolicyEvent(EventId, Time)
{
    /// <summary>The claim lines (a default array reads as empty).</summary>
    public ImmutableArray<string> Claims { get; init; } = Claims.IsDefault ? [] : Claims;

    /// <summary>Priority; higher is admitted first. Default 0.</summary>
    public int Priority { get; init; }

    /// <summary>Whether claim patterns compare ignoring case. Default false.</summary>
    public bool IgnoreCase { get; init; }

    /// <summary>
    /// The named base the run starts from (a branch such as <c>release/1.2</c>), or <see langword="null"/> (the default)
    /// for the default base, whose version the policy stamps at admission. A run on a named base is made stale only by
    /// <see cref="NamedBaseAdvanced"/> events of that base, not by <see cref="BaseAdvanced"/>. Requires <see cref="BaseRevision"/>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Base { get; init; }

    /// <summary>The revision of <see cref="Base"/> the run expects (a commit, compared ordinally); given exactly when <see cref="Base"/> is.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BaseRevision { get; init; }

    /// <summary>
    /// The resources the run assumes at a version, one per line <c>resource@version</c>: <c>schema:billing@v42</c>,
    /// <c>artifact:build/app.dll@sha256:9f2c</c> (the version is after the last <c>@</c>; the resource is a path in the
    /// text form of claims, <c>[namespace:]path</c>). A <see cref="ResourceChanged"/> to another version cancels the run
    /// with <see cref="ReasonCode.AssumptionBroken"/>. Default: none (a default array reads as empty and is not written).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ImmutableArray<string> Assumes { get; init; }
}

/// <summary>An active run is alive; its lease is extended.</summary>
public sealed record RunHeartbeat(string EventId, long Time, string RunId, long FencingToken) : PolicyEvent(EventId, Time);

/// <summary>
/// A run finished and its change merged as base version <paramref name="NewBaseVersion"/>. Its work item becomes
/// <c>Done</c> unless <see cref="WorkItemContinues"/>.
/// </summary>
public sealed record RunSucceeded(string EventId, long Time, string RunId, long FencingToken, long NewBaseVersion) : PolicyEvent(EventId, Time)
{
    /// <summary>
    /// The paths the run actually changed (renames as both paths), each <c>[namespace:]path</c> like a claim
    /// (<c>artifact:build/app.dll</c>); checked against its write and append claims of the same namespace.
    /// </summary>
    public ImmutableArray<string> ChangedPaths { get; init => field = value.IsDefault ? [] : value; } = [];

    /// <summary>Whether the work item stays open (more runs to come). Default false.</summary>
    public bool WorkItemContinues { get; init; }
}

/// <summary>A run failed: a transient failure is retried with backoff within the budget; a permanent one fails the work item.</summary>
public sealed record RunFailed(string EventId, long Time, string RunId, long FencingToken, bool Transient) : PolicyEvent(EventId, Time)
{
    /// <summary>What went wrong, for the record.</summary>
    public string? Message { get; init; }
}

/// <summary>The orchestrator asks to cancel a pending, held or active run.</summary>
public sealed record RunCancelRequested(string EventId, long Time, string RunId) : PolicyEvent(EventId, Time);

/// <summary>An active run asks for more claims (text lines). Granted (an <c>Admit</c> of the wider set) or denied (<c>AmendmentDenied</c>).</summary>
public sealed record ClaimsAmended(string EventId, long Time, string RunId, long FencingToken, ImmutableArray<string> AdditionalClaims) : PolicyEvent(EventId, Time)
{
    /// <summary>The claim lines to add (a default array reads as empty).</summary>
    public ImmutableArray<string> AdditionalClaims { get; init; } = AdditionalClaims.IsDefault ? [] : AdditionalClaims;
}

/// <summary>
/// An outside change moved the default base to <paramref name="NewBaseVersion"/>; active runs on the default base (those
/// without a <see cref="RunRequested.Base"/>) covering a changed path become stale.
/// </summary>
public sealed record BaseAdvanced(string EventId, long Time, long NewBaseVersion) : PolicyEvent(EventId, Time)
{
    /// <summary>The paths the outside change touched, each <c>[namespace:]path</c> (<c>artifact:build/app.dll</c> is in the namespace <c>artifact</c>).</summary>
    public ImmutableArray<string> ChangedPaths { get; init => field = value.IsDefault ? [] : value; } = [];
}

/// <summary>Time passes: leases expire and backoffs elapse.</summary>
public sealed record Tick(string EventId, long Time) : PolicyEvent(EventId, Time);

/// <summary>The orchestrator restarted; active runs not in <see cref="AliveRunIds"/> are orphaned and retried.</summary>
public sealed record Recovered(string EventId, long Time) : PolicyEvent(EventId, Time)
{
    /// <summary>The runs still alive after the restart.</summary>
    public ImmutableArray<string> AliveRunIds { get; init => field = value.IsDefault ? [] : value; } = [];
}

/// <summary>
/// A named base (<see cref="RunRequested.Base"/>) moved to <paramref name="Revision"/>. Every live run that assumes this
/// base at another revision and covers one of <see cref="ChangedPaths"/> (any claim mode) is cancelled with
/// <see cref="ReasonCode.AssumptionBroken"/> and restarted on the new revision. Runs on the default base or on other
/// named bases are not touched; the default base's version does not change.
/// </summary>
/// <param name="EventId">Unique id of the event.</param>
/// <param name="Time">Milliseconds on the orchestrator's clock.</param>
/// <param name="Base">The base's name (non-empty, ordinal).</param>
/// <param name="Revision">The revision it moved to (non-empty, ordinal).</param>
public sealed record NamedBaseAdvanced(string EventId, long Time, string Base, string Revision) : PolicyEvent(EventId, Time)
{
    /// <summary>The paths the change touched, each <c>[namespace:]path</c>.</summary>
    public ImmutableArray<string> ChangedPaths { get; init => field = value.IsDefault ? [] : value; } = [];
}

/// <summary>
/// A resource (<c>schema:billing</c>, <c>artifact:build/app.dll</c>) changed to <paramref name="Version"/>. Every live
/// run that assumes this resource (<see cref="RunRequested.Assumes"/>, the same text, ordinal) at another version is
/// cancelled with <see cref="ReasonCode.AssumptionBroken"/> and restarted assuming the new version. Runs that assume
/// nothing about the resource are not touched (claims on it are not assumptions: use a changed path for those).
/// </summary>
/// <param name="EventId">Unique id of the event.</param>
/// <param name="Time">Milliseconds on the orchestrator's clock.</param>
/// <param name="Resource">The resource, <c>[namespace:]path</c>.</param>
/// <param name="Version">Its new version (non-empty, ordinal).</param>
public sealed record ResourceChanged(string EventId, long Time, string Resource, string Version) : PolicyEvent(EventId, Time);
