using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;

namespace ClaimGraph.Index;

/// <summary>
/// One stored entry of an <see cref="OverlapIndex{TOwner}"/>: its owner, the claim entry, the exclusions of the
/// claim set it came from, and the insertion sequence number that orders an owner's entries. Immutable.
/// </summary>
/// <typeparam name="TOwner">The owner type (for example a run id).</typeparam>
public sealed class IndexedEntry<TOwner>
    where TOwner : notnull
{
    internal IndexedEntry(TOwner owner, ClaimEntry entry, ImmutableArray<Glob> exclusions, long sequence)
    {
        Owner = owner;
        Entry = entry;
        Exclusions = exclusions;
        Sequence = sequence;
    }

    /// <summary>The owner.</summary>
    public TOwner Owner { get; }

    /// <summary>The claim entry.</summary>
    public ClaimEntry Entry { get; }

    /// <summary>The exclusions that apply to <see cref="Entry"/> (those of the claim set it was added with; empty for a lone entry).</summary>
    public ImmutableArray<Glob> Exclusions { get; }

    /// <summary>
    /// The insertion sequence number within the index's history: later additions have larger numbers. Results are
    /// ordered by owner, then by this number.
    /// </summary>
    public long Sequence { get; }

    /// <summary><c>owner: entry</c>, with the exclusions when there are any.</summary>
    public override string ToString() =>
        Exclusions.IsEmpty ? $"{Owner}: {Entry}" : $"{Owner}: {Entry} (except {string.Join(", ", Exclusions)})";

    internal bool SameClaim(ClaimEntry entry, ImmutableArray<Glob> exclusions) =>
        Entry.Equals(entry) && Exclusions.AsSpan().SequenceEqual(exclusions.AsSpan());
}

/// <summary>
/// A stored entry that overlaps a queried pattern, with a witness path covered by both. Immutable: the witness is
/// computed on first access (the same string every time) and the instance is safe to share between threads.
/// </summary>
/// <typeparam name="TOwner">The owner type.</typeparam>
public sealed class IndexMatch<TOwner>
    where TOwner : notnull
{
    private readonly Glob _query;
    private string? _witness;

    internal IndexMatch(IndexedEntry<TOwner> stored, Glob query)
    {
        Stored = stored;
        _query = query;
    }

    /// <summary>The stored entry.</summary>
    public IndexedEntry<TOwner> Stored { get; }

    /// <summary>The owner of the stored entry.</summary>
    public TOwner Owner => Stored.Owner;

    /// <summary>The stored claim entry.</summary>
    public ClaimEntry Entry => Stored.Entry;

    /// <summary>
    /// A shortest path covered by both the stored pattern and the queried one
    /// (<see cref="Glob.TryGetWitness(Glob, Glob, out string?)"/>). Computed on first access, O(|a|·|b|), then cached.
    /// </summary>
    public string Witness
    {
        get
        {
            if (_witness is null)
            {
                Glob.TryGetWitness(Stored.Entry.Pattern, _query, out string? witness);

                // Deterministic, so a race only computes the same string twice.
                _witness = witness!;
            }

            return _witness;
        }
    }

    /// <summary><c>owner: entry at witness</c>.</summary>
    public override string ToString() => $"{Stored} at {Witness}";
}

/// <summary>
/// An owner whose stored claims conflict with a queried claim set, with the evidence. Immutable.
/// </summary>
/// <typeparam name="TOwner">The owner type.</typeparam>
public sealed class IndexConflict<TOwner>
    where TOwner : notnull
{
    internal IndexConflict(TOwner owner, ClaimConflict conflict, bool isConservative, long sequence)
    {
        Owner = owner;
        Conflict = conflict;
        IsConservative = isConservative;
        Sequence = sequence;
    }

    /// <summary>The conflicting owner.</summary>
    public TOwner Owner { get; }

    /// <summary>
    /// The evidence: <see cref="ClaimConflict.Left"/> is the entry of the queried claim set,
    /// <see cref="ClaimConflict.Right"/> the stored entry (for barriers see <see cref="ClaimConflict.LeftIsBarrier"/>
    /// and <see cref="ClaimConflict.RightIsBarrier"/>).
    /// </summary>
    public ClaimConflict Conflict { get; }

    /// <summary>Whether the conflict is conservative (the exclusion search ran out of budget); see <see cref="ClaimConflictResult.IsConservative"/>.</summary>
    public bool IsConservative { get; }

    /// <summary>The sequence number of the stored entry in the evidence (-1 when the owner is a barrier).</summary>
    public long Sequence { get; }

    /// <summary><c>owner: evidence</c>.</summary>
    public override string ToString() => $"{Owner}: {(IsConservative ? "conservative: " : string.Empty)}{Conflict}";
}
