using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;

namespace ClaimGraph.Index;

/// <summary>Creates empty <see cref="OverlapIndex{TOwner}"/> instances.</summary>
public static class OverlapIndex
{
    /// <summary>An empty index ordering and identifying owners with <see cref="Comparer{T}.Default"/>.</summary>
    public static OverlapIndex<TOwner> Create<TOwner>()
        where TOwner : notnull =>
        OverlapIndex<TOwner>.CreateEmpty(Comparer<TOwner>.Default);

    /// <summary>An empty index ordering and identifying owners with <paramref name="ownerComparer"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="ownerComparer"/> is null.</exception>
    public static OverlapIndex<TOwner> Create<TOwner>(IComparer<TOwner> ownerComparer)
        where TOwner : notnull
    {
        ArgumentNullException.ThrowIfNull(ownerComparer);
        return OverlapIndex<TOwner>.CreateEmpty(ownerComparer);
    }
}

/// <summary>
/// An immutable, persistent index from claim entries to their owners that answers "which stored entries overlap
/// this pattern" and "which owners conflict with this claim set" without scanning every entry.
/// </summary>
/// <typeparam name="TOwner">
/// The owner type (for example a run id). Owners are compared with the index's <see cref="OwnerComparer"/>, given to
/// <see cref="OverlapIndex.Create{TOwner}(IComparer{TOwner})"/> (by default <see cref="Comparer{T}.Default"/>, so <typeparamref name="TOwner"/> should implement
/// <see cref="IComparable{T}"/>): two owners are the same when it returns 0, and results are sorted by it. It must be
/// a total order and must not change while the index is in use.
/// </typeparam>
/// <remarks>
/// <para>
/// <b>Values.</b> Every update (<see cref="Add(TOwner, ClaimEntry)"/>, <see cref="Remove(TOwner, ClaimEntry)"/>, …)
/// returns a new index and leaves this one unchanged; the two share structure, so an update costs
/// O(depth · log n), not a copy. Every instance is safe to read from many threads.
/// </para>
/// <para>
/// <b>What is stored.</b> A stored entry is an owner, a <see cref="ClaimEntry"/> and the exclusions of the claim set
/// it came with. Adding an identical one again (same owner, entry and exclusions) changes nothing; removing an absent
/// one changes nothing (both return this instance). An owner added with <see cref="ClaimSet.Barrier"/> is a barrier
/// owner: it conflicts with every claim set that covers a path.
/// </para>
/// <para>
/// <b>How it finds overlaps.</b> Per namespace, a trie keyed by leading literal segments holds each entry at the
/// node of the literal segments all its brace alternatives start with (wildcard-led entries sit at the root; entries
/// with <see cref="GlobOptions.IgnoreCase"/> in a second trie keyed by upper-case folded segments). A query walks
/// the trie with its own cover automaton: a literal query segment follows one child, a wildcard visits the children
/// it may match, a globstar or a fully matched query visits the whole subtree. Entries that are a literal path, a
/// literal path with <c>/**</c>, or a literal path followed by a globstar (<c>src/app.py</c>,
/// <c>src/billing/**</c>, <c>src/**/*.md</c>, <c>**/*.md</c>) are decided by the walk alone: the O(depth) path of a
/// multi-granularity lock table. Every other entry met on the way gets the exact check (a cheap decision for
/// literal, <c>*</c>, <c>prefix*</c> and <c>*suffix</c> segments, otherwise <see cref="Glob.Overlaps(Glob, Glob)"/>),
/// so the result always equals a linear scan with <see cref="Glob.Overlaps(Glob, Glob)"/>. Queries with more than 64
/// automaton positions (very long or heavily braced patterns) fall back to checking every entry of the namespace.
/// </para>
/// <para>
/// <b>Cost.</b> <c>Add</c> and <c>Remove</c>: O(depth · log children + log owners + entries of the owner).
/// <c>Query</c>: the trie nodes the query can reach, the entries on them that need a check, and the results (sorted,
/// O(r log r)); witnesses are computed only when read. <c>Conflicts</c>: one such search per entry of the claim set
/// (for <see cref="ClaimMode.Read"/> and <see cref="ClaimMode.Append"/> entries, stored entries that are not
/// <see cref="ClaimMode.Write"/> are dropped before any check), the exact check per candidate, and O(barrier owners),
/// not O(owners). Memory: about 180–450 bytes per stored entry on top of the parsed <see cref="ClaimEntry"/>
/// (measured on the corpus workload of the benchmarks: 180 bytes at 100,000 entries).
/// </para>
/// <para>
/// <b>Order.</b> Results are sorted by owner, then by insertion sequence number; nothing depends on hash order.
/// </para>
/// </remarks>
public sealed partial class OverlapIndex<TOwner>
    where TOwner : notnull
{
    private readonly ImmutableSortedDictionary<string, IndexPartition<TOwner>> _partitions;
    private readonly ImmutableSortedDictionary<TOwner, OwnerRecord<TOwner>> _owners;
    private readonly ImmutableSortedSet<TOwner> _barriers;
    private readonly long _nextSequence;
    private readonly EntryOrder<TOwner> _entryOrder;

    private OverlapIndex(
        EntryOrder<TOwner> order,
        ImmutableSortedDictionary<string, IndexPartition<TOwner>> partitions,
        ImmutableSortedDictionary<TOwner, OwnerRecord<TOwner>> owners,
        ImmutableSortedSet<TOwner> barriers,
        long nextSequence,
        int count)
    {
        _entryOrder = order;
        OwnerComparer = order.Owners;
        _partitions = partitions;
        _owners = owners;
        _barriers = barriers;
        _nextSequence = nextSequence;
        Count = count;
    }

    /// <summary>The order (and identity) of owners.</summary>
    public IComparer<TOwner> OwnerComparer { get; }

    /// <summary>The number of stored entries (barrier owners not counted).</summary>
    public int Count { get; }

    /// <summary>The owners with stored entries or a barrier, in <see cref="OwnerComparer"/> order. O(owners).</summary>
    public ImmutableArray<TOwner> Owners => [.. _owners.Keys];

    /// <summary>
    /// The barrier owners (added with <see cref="ClaimSet.Barrier"/>), in <see cref="OwnerComparer"/> order. Kept
    /// apart from the other owners by every update, so reading it is O(barriers), not O(owners).
    /// </summary>
    public ImmutableArray<TOwner> BarrierOwners => [.. _barriers];

    /// <summary>Every stored entry, by owner then sequence number. O(n).</summary>
    public ImmutableArray<IndexedEntry<TOwner>> Entries
    {
        get
        {
            var result = ImmutableArray.CreateBuilder<IndexedEntry<TOwner>>(Count);
            foreach (KeyValuePair<TOwner, OwnerRecord<TOwner>> pair in _owners)
            {
                result.AddRange(pair.Value.Items);
            }

            return result.MoveToImmutable();
        }
    }

    internal static OverlapIndex<TOwner> CreateEmpty(IComparer<TOwner> ownerComparer) =>
        new(
            new EntryOrder<TOwner>(ownerComparer),
            ImmutableSortedDictionary.Create<string, IndexPartition<TOwner>>(StringComparer.Ordinal),
            ImmutableSortedDictionary.Create<TOwner, OwnerRecord<TOwner>>(ownerComparer),
            ImmutableSortedSet.Create(ownerComparer),
            0,
            0);

    /// <summary>The entries stored for <paramref name="owner"/>, by sequence number (empty when none).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is null.</exception>
    public ImmutableArray<IndexedEntry<TOwner>> EntriesOf(TOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return _owners.TryGetValue(owner, out OwnerRecord<TOwner>? record) ? record.Items : ImmutableArray<IndexedEntry<TOwner>>.Empty;
    }

    /// <summary>Whether <paramref name="owner"/> was added with <see cref="ClaimSet.Barrier"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is null.</exception>
    public bool IsBarrier(TOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return _owners.TryGetValue(owner, out OwnerRecord<TOwner>? record) && record.IsBarrier;
    }

    /// <summary>Whether <paramref name="owner"/> holds <paramref name="entry"/> without exclusions.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public bool Contains(TOwner owner, ClaimEntry entry)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(entry);
        return Find(owner, entry, ImmutableArray<Glob>.Empty) is not null;
    }

    /// <summary>Stores <paramref name="entry"/> for <paramref name="owner"/>, without exclusions. O(depth · log n).</summary>
    /// <returns>The new index, or this one when the same entry is already stored for the owner.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public OverlapIndex<TOwner> Add(TOwner owner, ClaimEntry entry)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(entry);
        return AddItem(owner, entry, ImmutableArray<Glob>.Empty);
    }

    /// <summary>
    /// Stores every entry of <paramref name="claims"/> for <paramref name="owner"/>, each with the set's exclusions;
    /// for <see cref="ClaimSet.Barrier"/> marks the owner as a barrier.
    /// </summary>
    /// <returns>The new index (this one when nothing changed).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public OverlapIndex<TOwner> Add(TOwner owner, ClaimSet claims)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(claims);
        OwnerRecord<TOwner> record = _owners.TryGetValue(owner, out OwnerRecord<TOwner>? found) ? found : OwnerRecord<TOwner>.Empty;
        if (claims.IsBarrier)
        {
            return record.IsBarrier ? this : With(_partitions, _owners.SetItem(owner, record.WithBarrier(true)), _barriers.Add(owner), _nextSequence, Count);
        }

        if (claims.Entries.Length == 1)
        {
            return AddItem(owner, claims.Entries[0], claims.Exclusions);
        }

        // One update for the whole set: a large claim set (a commit's exact files) costs one trie insertion per entry,
        // not also a copy of the owner's growing entry list and a scan of it per entry.
        var known = new HashSet<ClaimEntry>();
        foreach (IndexedEntry<TOwner> item in record.Items)
        {
            if (item.Exclusions.AsSpan().SequenceEqual(claims.Exclusions.AsSpan()))
            {
                known.Add(item.Entry);
            }
        }

        ImmutableArray<IndexedEntry<TOwner>>.Builder items = record.Items.ToBuilder();
        var partitions = new PartitionEdit<TOwner>(_partitions);
        long sequence = _nextSequence;
        foreach (ClaimEntry e in claims.Entries)
        {
            if (!known.Add(e))
            {
                continue;
            }

            var item = new IndexedEntry<TOwner>(owner, e, claims.Exclusions, sequence++);
            partitions.Insert(item);
            items.Add(item);
        }

        int added = items.Count - record.Items.Length;
        return added == 0
            ? this
            : With(partitions.ToImmutable(), _owners.SetItem(owner, record.WithItems(items.ToImmutable())), _barriers, sequence, Count + added);
    }

    /// <summary>Removes <paramref name="entry"/> (stored without exclusions) from <paramref name="owner"/>. O(depth · log n).</summary>
    /// <returns>The new index, or this one when it was not stored.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public OverlapIndex<TOwner> Remove(TOwner owner, ClaimEntry entry)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(entry);
        IndexedEntry<TOwner>? item = Find(owner, entry, ImmutableArray<Glob>.Empty);
        return item is null ? this : RemoveItem(item);
    }

    /// <summary>
    /// Removes what <see cref="Add(TOwner, ClaimSet)"/> with the same arguments stored: every entry of
    /// <paramref name="claims"/> with its exclusions, or the barrier mark.
    /// </summary>
    /// <returns>The new index (this one when nothing changed).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public OverlapIndex<TOwner> Remove(TOwner owner, ClaimSet claims)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.IsBarrier)
        {
            if (!_owners.TryGetValue(owner, out OwnerRecord<TOwner>? record) || !record.IsBarrier)
            {
                return this;
            }

            OwnerRecord<TOwner> updated = record.WithBarrier(false);
            return With(_partitions, updated.IsEmpty ? _owners.Remove(owner) : _owners.SetItem(owner, updated), _barriers.Remove(owner), _nextSequence, Count);
        }

        OverlapIndex<TOwner> index = this;
        foreach (ClaimEntry e in claims.Entries)
        {
            IndexedEntry<TOwner>? item = index.Find(owner, e, claims.Exclusions);
            if (item is not null)
            {
                index = index.RemoveItem(item);
            }
        }

        return index;
    }

    /// <summary>Removes every entry of <paramref name="owner"/> and its barrier mark.</summary>
    /// <returns>The new index, or this one when the owner held nothing.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is null.</exception>
    public OverlapIndex<TOwner> RemoveOwner(TOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (!_owners.TryGetValue(owner, out OwnerRecord<TOwner>? record))
        {
            return this;
        }

        // One update for all the owner's entries (see Add(TOwner, ClaimSet)).
        var partitions = new PartitionEdit<TOwner>(_partitions);
        foreach (IndexedEntry<TOwner> item in record.Items)
        {
            partitions.Remove(item);
        }

        return With(partitions.ToImmutable(), _owners.Remove(owner), _barriers.Remove(owner), _nextSequence, Count - record.Items.Length);
    }


    private IndexedEntry<TOwner>? Find(TOwner owner, ClaimEntry entry, ImmutableArray<Glob> exclusions)
    {
        if (!_owners.TryGetValue(owner, out OwnerRecord<TOwner>? record))
        {
            return null;
        }

        foreach (IndexedEntry<TOwner> item in record.Items)
        {
            if (item.SameClaim(entry, exclusions))
            {
                return item;
            }
        }

        return null;
    }

    private OverlapIndex<TOwner> AddItem(TOwner owner, ClaimEntry entry, ImmutableArray<Glob> exclusions)
    {
        if (Find(owner, entry, exclusions) is not null)
        {
            return this;
        }

        var item = new IndexedEntry<TOwner>(owner, entry, exclusions, _nextSequence);
        Glob pattern = entry.Pattern;
        IndexPartition<TOwner> partition = (_partitions.TryGetValue(pattern.Namespace, out IndexPartition<TOwner>? p) ? p : IndexPartition<TOwner>.Empty).With(item);
        OwnerRecord<TOwner> record = _owners.TryGetValue(owner, out OwnerRecord<TOwner>? r) ? r : OwnerRecord<TOwner>.Empty;
        return With(_partitions.SetItem(pattern.Namespace, partition), _owners.SetItem(owner, record.With(item)), _barriers, _nextSequence + 1, Count + 1);
    }

    private OverlapIndex<TOwner> RemoveItem(IndexedEntry<TOwner> item)
    {
        Glob pattern = item.Entry.Pattern;
        IndexPartition<TOwner> partition = _partitions[pattern.Namespace].Without(item);
        OwnerRecord<TOwner> record = _owners[item.Owner].Without(item);
        return With(
            partition.IsEmpty ? _partitions.Remove(pattern.Namespace) : _partitions.SetItem(pattern.Namespace, partition),
            record.IsEmpty ? _owners.Remove(item.Owner) : _owners.SetItem(item.Owner, record),
            _barriers,
            _nextSequence,
            Count - 1);
    }

    private OverlapIndex<TOwner> With(
        ImmutableSortedDictionary<string, IndexPartition<TOwner>> partitions,
        ImmutableSortedDictionary<TOwner, OwnerRecord<TOwner>> owners,
        ImmutableSortedSet<TOwner> barriers,
        long nextSequence,
        int count) =>
        new(_entryOrder, partitions, owners, barriers, nextSequence, count);
}
