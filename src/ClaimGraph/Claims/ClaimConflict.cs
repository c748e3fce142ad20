namespace ClaimGraph.Claims;

/// <summary>
/// Evidence of a conflict between two claim sets: the entry of each side and a path covered by both. Immutable.
/// </summary>
public sealed class ClaimConflict : IEquatable<ClaimConflict>
{
    internal ClaimConflict(ClaimEntry left, ClaimEntry right, string witness, bool leftIsBarrier, bool rightIsBarrier)
    {
        Left = left;
        Right = right;
        Witness = witness;
        LeftIsBarrier = leftIsBarrier;
        RightIsBarrier = rightIsBarrier;
    }

    /// <summary>
    /// The entry of the left claim set. When the left set is a barrier, the entry it stands for:
    /// <c>write **</c> in the namespace of <see cref="Right"/>.
    /// </summary>
    public ClaimEntry Left { get; }

    /// <summary>The entry of the right claim set (or, for a barrier, <c>write **</c> in the namespace of <see cref="Left"/>).</summary>
    public ClaimEntry Right { get; }

    /// <summary>
    /// A path covered by both entries. For an exact conflict it is covered by no exclusion of either set (it proves
    /// the conflict). For a conservative conflict it is covered by both entries, but the search could not rule out
    /// that exclusions cover it and every other shared path.
    /// </summary>
    public string Witness { get; }

    /// <summary>Whether the left claim set is a barrier (declared no claims).</summary>
    public bool LeftIsBarrier { get; }

    /// <summary>Whether the right claim set is a barrier (declared no claims).</summary>
    public bool RightIsBarrier { get; }

    /// <summary>The same evidence with the left side marked as a barrier.</summary>
    internal ClaimConflict AsBarrierLeft() => new(Left, Right, Witness, leftIsBarrier: true, RightIsBarrier);

    /// <summary>The same evidence seen from the other side.</summary>
    public ClaimConflict Mirror() => new(Right, Left, Witness, RightIsBarrier, LeftIsBarrier);

    /// <summary>A one-line description: <c>write src/** vs read src/a.cs at src/a.cs</c>.</summary>
    public override string ToString() => $"{Left} vs {Right} at {Witness}";

    /// <inheritdoc/>
    public bool Equals(ClaimConflict? other) =>
        other is not null
        && Left.Equals(other.Left)
        && Right.Equals(other.Right)
        && string.Equals(Witness, other.Witness, StringComparison.Ordinal)
        && LeftIsBarrier == other.LeftIsBarrier
        && RightIsBarrier == other.RightIsBarrier;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ClaimConflict);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Left, Right, StringComparer.Ordinal.GetHashCode(Witness), LeftIsBarrier, RightIsBarrier);
}

/// <summary>
/// The answer of <see cref="ClaimSet.Conflicts(ClaimSet, ClaimSet)"/>: whether the sets conflict, whether that
/// answer is exact, and the evidence. Immutable.
/// </summary>
public sealed class ClaimConflictResult : IEquatable<ClaimConflictResult>
{
    private ClaimConflictResult(ClaimConflict? conflict, bool conservative)
    {
        Conflict = conflict;
        IsConservative = conservative;
    }

    /// <summary>The result for claim sets that do not conflict (always exact).</summary>
    public static ClaimConflictResult None { get; } = new(null, false);

    /// <summary>Whether the sets conflict (exactly, or conservatively: see <see cref="IsConservative"/>).</summary>
    [MemberNotNullWhen(true, nameof(Conflict))]
    public bool IsConflict => Conflict is not null;

    /// <summary>
    /// Whether the conflict is reported because the exclusion search ran out of budget rather than because a
    /// shared path was found. Always false when <see cref="IsConflict"/> is false (a "no conflict" answer is exact).
    /// </summary>
    public bool IsConservative { get; }

    /// <summary>The evidence, or <see langword="null"/> when there is no conflict.</summary>
    public ClaimConflict? Conflict { get; }

    internal static ClaimConflictResult Found(ClaimConflict conflict, bool conservative) => new(conflict, conservative);

    /// <summary>The same result with the evidence seen from the other side.</summary>
    public ClaimConflictResult Mirror() => Conflict is null ? this : new(Conflict.Mirror(), IsConservative);

    /// <summary><c>no conflict</c>, or the evidence (prefixed with <c>conservative:</c> when not exact).</summary>
    public override string ToString() =>
        Conflict is null ? "no conflict" : (IsConservative ? "conservative: " : string.Empty) + Conflict;

    /// <inheritdoc/>
    public bool Equals(ClaimConflictResult? other) =>
        other is not null && IsConservative == other.IsConservative && Equals(Conflict, other.Conflict);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ClaimConflictResult);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Conflict, IsConservative);
}
