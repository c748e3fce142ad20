namespace ClaimGraph.Serialization;

/// <summary>
/// What <see cref="WorkGraphSnapshot.TryLoad(ReadOnlySpan{byte}, SnapshotLoadOptions, out Graph.WorkGraph?, out SnapshotError?)"/>
/// checks beyond the document's shape and values. Immutable. The default checks the invariants and no options.
/// </summary>
public sealed class SnapshotLoadOptions
{
    /// <summary>Invariants checked, no options fingerprint expected.</summary>
    public static SnapshotLoadOptions Default { get; } = new();

    /// <summary>
    /// Whether to refuse a graph that breaks an invariant the policy keeps: two active runs whose claims conflict
    /// (<see cref="SnapshotErrorCode.ConflictingActiveRuns"/>, found with the overlap index: about one index query per
    /// active run), two active runs with one fencing token (<see cref="SnapshotErrorCode.DuplicateFencingToken"/>).
    /// Default <see langword="true"/>; turn it off only for graphs built by hand that never meet the policy.
    /// </summary>
    public bool CheckInvariants { get; init; } = true;

    /// <summary>
    /// The fingerprint of the policy options the caller keeps the graph under (<c>PolicyOptions.Fingerprint</c>), or
    /// <see langword="null"/> (the default) to accept any. When set, a snapshot that recorded another fingerprint, or
    /// none, is refused with <see cref="SnapshotErrorCode.OptionsMismatch"/> unless <see cref="OptionsChanging"/>.
    /// </summary>
    public string? ExpectedOptionsFingerprint { get; init; }

    /// <summary>
    /// Whether the caller is changing the policy options on purpose: the recorded fingerprint may then differ from
    /// <see cref="ExpectedOptionsFingerprint"/>, and the next save records the new one. Default <see langword="false"/>.
    /// </summary>
    public bool OptionsChanging { get; init; }
}
