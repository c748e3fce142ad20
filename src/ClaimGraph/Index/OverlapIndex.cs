using System.Collections.Immutable;
using System.Runtime.InteropServices;
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
public sealed class OverlapIndex<TOwner>
    where TOwner : notnull
{
    private readonly ImmutableSortedDictionary<string, Partition> _partitions;
    private readonly ImmutableSortedDictionary<TOwner, OwnerRecord> _owners;
    private readonly ImmutableSortedSet<TOwner> _barriers;
    private readonly long _nextSequence;
    private readonly EntryOrder _entryOrder;

    private OverlapIndex(
        EntryOrder order,
        ImmutableSortedDictionary<string, Partition> partitions,
        ImmutableSortedDictionary<TOwner, OwnerRecord> owners,
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
            foreach (KeyValuePair<TOwner, OwnerRecord> pair in _owners)
            {
                result.AddRange(pair.Value.Items);
            }

            return result.MoveToImmutable();
        }
    }

    internal static OverlapIndex<TOwner> CreateEmpty(IComparer<TOwner> ownerComparer) =>
        new(
            new EntryOrder(ownerComparer),
            ImmutableSortedDictionary.Create<string, Partition>(StringComparer.Ordinal),
            ImmutableSortedDictionary.Create<TOwner, OwnerRecord>(ownerComparer),
            ImmutableSortedSet.Create(ownerComparer),
            0,
            0);

    /// <summary>The entries stored for <paramref name="owner"/>, by sequence number (empty when none).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is null.</exception>
    public ImmutableArray<IndexedEntry<TOwner>> EntriesOf(TOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return _owners.TryGetValue(owner, out OwnerRecord? record) ? record.Items : ImmutableArray<IndexedEntry<TOwner>>.Empty;
    }

    /// <summary>Whether <paramref name="owner"/> was added with <see cref="ClaimSet.Barrier"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is null.</exception>
    public bool IsBarrier(TOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return _owners.TryGetValue(owner, out OwnerRecord? record) && record.IsBarrier;
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
        OwnerRecord record = _owners.TryGetValue(owner, out OwnerRecord? found) ? found : OwnerRecord.Empty;
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
        var partitions = new PartitionEdit(_partitions);
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
            if (!_owners.TryGetValue(owner, out OwnerRecord? record) || !record.IsBarrier)
            {
                return this;
            }

            OwnerRecord updated = record.WithBarrier(false);
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
        if (!_owners.TryGetValue(owner, out OwnerRecord? record))
        {
            return this;
        }

        // One update for all the owner's entries (see Add(TOwner, ClaimSet)).
        var partitions = new PartitionEdit(_partitions);
        foreach (IndexedEntry<TOwner> item in record.Items)
        {
            partitions.Remove(item);
        }

        return With(partitions.ToImmutable(), _owners.Remove(owner), _barriers.Remove(owner), _nextSequence, Count - record.Items.Length);
    }

    /// <summary>
    /// Every stored entry whose pattern overlaps <paramref name="pattern"/> (some path is covered by both; exclusions
    /// are not considered here), each with a witness (computed when first read), sorted by owner then sequence number. Always equal to a linear
    /// scan with <see cref="Glob.Overlaps(Glob, Glob)"/>. Barrier owners have no entries and do not appear.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    public ImmutableArray<IndexMatch<TOwner>> Query(Glob pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        List<Slot<TOwner>> hits = Candidates(pattern, writersOnly: false);
        if (hits.Count == 0)
        {
            return ImmutableArray<IndexMatch<TOwner>>.Empty;
        }

        var result = ImmutableArray.CreateBuilder<IndexMatch<TOwner>>(hits.Count);
        foreach (Slot<TOwner> hit in hits)
        {
            result.Add(new IndexMatch<TOwner>(hit.Entry, pattern));
        }

        return result.MoveToImmutable();
    }

    /// <summary>Whether any stored entry overlaps <paramref name="pattern"/> (see <see cref="Query"/>), without computing witnesses.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    public bool Overlaps(Glob pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return Candidates(pattern, writersOnly: false).Count > 0;
    }

    /// <summary>
    /// The owners whose stored claims conflict with <paramref name="claims"/>, with evidence, sorted by owner.
    /// </summary>
    /// <remarks>
    /// <para>
    /// For each owner the answer is the one of <see cref="ClaimSet.Conflicts(ClaimSet, ClaimSet)"/> applied to the
    /// owner's stored entries (each with its own exclusions) and <paramref name="claims"/>: the mode matrix, both
    /// sides' exclusions, exact unless the exclusion search ran out of budget (then conservative), never a missed
    /// conflict. Barrier owners conflict with every claim set that covers a path; a barrier
    /// <paramref name="claims"/> conflicts with every owner that covers a path and with every barrier owner.
    /// </para>
    /// <para>
    /// Evidence per owner: the first exact conflict, trying the entries of <paramref name="claims"/> in order and the
    /// owner's entries by sequence number; otherwise the first conservative one. Always equal to a linear scan over
    /// the owners with the same rule.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="claims"/> is null.</exception>
    public ImmutableArray<IndexConflict<TOwner>> Conflicts(ClaimSet claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var found = new SortedDictionary<TOwner, IndexConflict<TOwner>>(OwnerComparer);
        if (claims.IsBarrier)
        {
            foreach (KeyValuePair<TOwner, OwnerRecord> pair in _owners)
            {
                IndexConflict<TOwner>? c = pair.Value.IsBarrier
                    ? BarrierPair(pair.Key, ClaimSet.Barrier)
                    : FirstConflict(pair.Key, pair.Value.Items);
                if (c is not null)
                {
                    found[pair.Key] = c;
                }
            }

            return [.. found.Values];
        }

        foreach (ClaimEntry e in claims.Entries)
        {
            // Read and Append conflict only with entries whose mode conflicts with every mode (Write): the search
            // drops the others before the exact check.
            bool writersOnly = !e.Mode.ConflictsWith(ClaimMode.Read);
            foreach (Slot<TOwner> slot in Candidates(e.Pattern, writersOnly))
            {
                IndexedEntry<TOwner> stored = slot.Entry;
                if (found.TryGetValue(stored.Owner, out IndexConflict<TOwner>? known) && !known.IsConservative)
                {
                    continue;
                }

                ClaimConflictResult r = ClaimSet.CheckPair(e, claims.Exclusions, stored.Entry, stored.Exclusions);
                if (r.IsConflict && (known is null || !r.IsConservative))
                {
                    found[stored.Owner] = new IndexConflict<TOwner>(stored.Owner, r.Conflict, r.IsConservative, stored.Sequence);
                }
            }
        }

        // Only the barrier owners, kept apart by every update: no pass over all owners.
        IndexConflict<TOwner>? againstBarrier = null;
        bool barrierChecked = false;
        foreach (TOwner owner in _barriers)
        {
            if (found.TryGetValue(owner, out IndexConflict<TOwner>? known) && !known.IsConservative)
            {
                continue;
            }

            if (!barrierChecked)
            {
                againstBarrier = BarrierPair(owner, claims);
                barrierChecked = true;
            }

            if (againstBarrier is not null)
            {
                found[owner] = new IndexConflict<TOwner>(owner, againstBarrier.Conflict, againstBarrier.IsConservative, -1);
            }
        }

        return [.. found.Values];
    }

    /// <summary>The conflict of <paramref name="claims"/> with a barrier owner, or null.</summary>
    private static IndexConflict<TOwner>? BarrierPair(TOwner owner, ClaimSet claims)
    {
        ClaimConflictResult r = ClaimSet.Conflicts(claims, ClaimSet.Barrier);
        return r.IsConflict ? new IndexConflict<TOwner>(owner, r.Conflict, r.IsConservative, -1) : null;
    }

    /// <summary>A barrier query against an owner's entries.</summary>
    private static IndexConflict<TOwner>? FirstConflict(TOwner owner, ImmutableArray<IndexedEntry<TOwner>> items)
    {
        IndexConflict<TOwner>? conservative = null;
        foreach (IndexedEntry<TOwner> stored in items)
        {
            ClaimEntry all = ClaimSet.BarrierEntry(stored.Entry.Namespace);
            ClaimConflictResult r = ClaimSet.CheckPair(all, ImmutableArray<Glob>.Empty, stored.Entry, stored.Exclusions);
            if (!r.IsConflict)
            {
                continue;
            }

            var c = new IndexConflict<TOwner>(owner, r.Conflict.AsBarrierLeft(), r.IsConservative, stored.Sequence);
            if (!r.IsConservative)
            {
                return c;
            }

            conservative ??= c;
        }

        return conservative;
    }

    /// <summary>
    /// The stored entries overlapping <paramref name="pattern"/>, by owner then sequence; with
    /// <paramref name="writersOnly"/> only those whose mode conflicts with every mode (the others are dropped before
    /// the exact check).
    /// </summary>
    private List<Slot<TOwner>> Candidates(Glob pattern, bool writersOnly)
    {
        var hits = new List<Slot<TOwner>>();
        if (!_partitions.TryGetValue(pattern.Namespace, out Partition? partition))
        {
            return hits;
        }

        var search = new TrieSearch<TOwner>(pattern, hits, writersOnly);
        search.Run(partition.Exact, folded: false);
        search.Run(partition.Folded, folded: true);
        if (hits.Count > 1)
        {
            Span<Slot<TOwner>> span = CollectionsMarshal.AsSpan(hits);
            if (ReferenceEquals(OwnerComparer, Comparer<TOwner>.Default))
            {
                // A struct comparer over the default comparer lets the JIT inline owner comparisons in the merge sort.
                RunMergeSort.Sort(span, default(DefaultOrder));
            }
            else
            {
                RunMergeSort.Sort(span, _entryOrder);
            }
        }

        return hits;
    }

    private IndexedEntry<TOwner>? Find(TOwner owner, ClaimEntry entry, ImmutableArray<Glob> exclusions)
    {
        if (!_owners.TryGetValue(owner, out OwnerRecord? record))
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
        Partition partition = (_partitions.TryGetValue(pattern.Namespace, out Partition? p) ? p : Partition.Empty).With(item);
        OwnerRecord record = _owners.TryGetValue(owner, out OwnerRecord? r) ? r : OwnerRecord.Empty;
        return With(_partitions.SetItem(pattern.Namespace, partition), _owners.SetItem(owner, record.With(item)), _barriers, _nextSequence + 1, Count + 1);
    }

    private OverlapIndex<TOwner> RemoveItem(IndexedEntry<TOwner> item)
    {
        Glob pattern = item.Entry.Pattern;
        Partition partition = _partitions[pattern.Namespace].Without(item);
        OwnerRecord record = _owners[item.Owner].Without(item);
        return With(
            partition.IsEmpty ? _partitions.Remove(pattern.Namespace) : _partitions.SetItem(pattern.Namespace, partition),
            record.IsEmpty ? _owners.Remove(item.Owner) : _owners.SetItem(item.Owner, record),
            _barriers,
            _nextSequence,
            Count - 1);
    }

    private OverlapIndex<TOwner> With(
        ImmutableSortedDictionary<string, Partition> partitions,
        ImmutableSortedDictionary<TOwner, OwnerRecord> owners,
        ImmutableSortedSet<TOwner> barriers,
        long nextSequence,
        int count) =>
        new(_entryOrder, partitions, owners, barriers, nextSequence, count);

    /// <summary>
    /// The trie keys of a pattern: its shared leading literal segments (folded when it ignores case); and whether the
    /// walk alone decides its overlap (see <see cref="TrieNode{TOwner}.Prefix"/>): one case-sensitive alternative whose
    /// (valid) literal segments <c>K</c> are followed by nothing (<c>src/app.py</c>), by <c>/**</c>
    /// (<c>src/billing/**</c>) or by a globstar and a rest that can match some path (<c>src/**/*.md</c>, <c>**/*.md</c>).
    /// Such an entry overlaps exactly the queries that cover <c>K</c> or a path below it: at the first globstar the
    /// other side's path can always be extended (see <see cref="GlobOverlap.CoversIntersect"/>).
    /// </summary>
    private static SegmentText[] Keys(Glob pattern, out bool isPrefix)
    {
        ReadOnlySpan<Segment> first = pattern.Alternatives[0].Match;
        var keys = new SegmentText[pattern.LeadingLiteralCount()];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = pattern.IgnoreCase ? KeyFolding.Fold(first[i].LiteralText) : first[i].LiteralText;
        }

        isPrefix = false;
        if (!pattern.IgnoreCase && pattern.Alternatives.Length == 1)
        {
            ReadOnlySpan<Segment> match = pattern.Alternatives[0].Match;
            int k = keys.Length;
            bool valid = true;
            for (int i = 0; i < k; i++)
            {
                valid &= match[i].LiteralIsValidName;
            }

            isPrefix = valid
                && (match.Length == k
                    || (match.Length == k + 2 && match[k].Kind == SegmentKind.AnyName && match[k + 1].Kind == SegmentKind.Globstar)
                    || (match[k].Kind == SegmentKind.Globstar && CoverWalker.CanMatchAll(match, k)));
        }

        return keys;
    }

    /// <summary>The order of results: by owner, then by sequence number (read from the slots, not the entries).</summary>
    private sealed class EntryOrder : IComparer<Slot<TOwner>>
    {
        public EntryOrder(IComparer<TOwner> owners) => Owners = owners;

        public IComparer<TOwner> Owners { get; }

        public int Compare(Slot<TOwner> x, Slot<TOwner> y)
        {
            int c = Owners.Compare(x.Owner, y.Owner);
            return c != 0 ? c : x.Sequence.CompareTo(y.Sequence);
        }
    }

    /// <summary><see cref="EntryOrder"/> for <see cref="Comparer{T}.Default"/> owners, as a struct so that <see cref="RunMergeSort"/> specialises.</summary>
    private readonly struct DefaultOrder : IComparer<Slot<TOwner>>
    {
        public int Compare(Slot<TOwner> x, Slot<TOwner> y)
        {
            int c = Comparer<TOwner>.Default.Compare(x.Owner, y.Owner);
            return c != 0 ? c : x.Sequence.CompareTo(y.Sequence);
        }
    }

    /// <summary>The two tries of one namespace.</summary>
    private sealed class Partition
    {
        public Partition(TrieNode<TOwner> exact, TrieNode<TOwner> folded)
        {
            Exact = exact;
            Folded = folded;
        }

        public static Partition Empty { get; } = new(TrieNode<TOwner>.Empty, TrieNode<TOwner>.Empty);

        public TrieNode<TOwner> Exact { get; }

        public TrieNode<TOwner> Folded { get; }

        public bool IsEmpty => Exact.Count == 0 && Folded.Count == 0;

        /// <summary>This partition with <paramref name="item"/> stored in the trie of its case.</summary>
        public Partition With(IndexedEntry<TOwner> item)
        {
            Glob pattern = item.Entry.Pattern;
            SegmentText[] keys = Keys(pattern, out bool isPrefix);
            var slot = new Slot<TOwner>(item, isPrefix ? 0 : TrieSearch<TOwner>.Filter(pattern, keys.Length));
            return pattern.IgnoreCase
                ? new Partition(Exact, Folded.Insert(keys, 0, slot, isPrefix))
                : new Partition(Exact.Insert(keys, 0, slot, isPrefix), Folded);
        }

        /// <summary>This partition without <paramref name="item"/>.</summary>
        public Partition Without(IndexedEntry<TOwner> item)
        {
            Glob pattern = item.Entry.Pattern;
            SegmentText[] keys = Keys(pattern, out bool isPrefix);
            return pattern.IgnoreCase
                ? new Partition(Exact, Folded.Remove(keys, 0, item.Sequence, isPrefix) ?? TrieNode<TOwner>.Empty)
                : new Partition(Exact.Remove(keys, 0, item.Sequence, isPrefix) ?? TrieNode<TOwner>.Empty, Folded);
        }
    }

    /// <summary>Several insertions and removals across namespaces, with one update of the partition map at the end.</summary>
    private sealed class PartitionEdit
    {
        private readonly ImmutableSortedDictionary<string, Partition> _original;
        private readonly SortedDictionary<string, Partition> _changed = new(StringComparer.Ordinal);

        public PartitionEdit(ImmutableSortedDictionary<string, Partition> original) => _original = original;

        public void Insert(IndexedEntry<TOwner> item)
        {
            string ns = item.Entry.Pattern.Namespace;
            _changed[ns] = Current(ns).With(item);
        }

        public void Remove(IndexedEntry<TOwner> item)
        {
            string ns = item.Entry.Pattern.Namespace;
            _changed[ns] = Current(ns).Without(item);
        }

        public ImmutableSortedDictionary<string, Partition> ToImmutable()
        {
            ImmutableSortedDictionary<string, Partition> result = _original;
            foreach (KeyValuePair<string, Partition> change in _changed)
            {
                result = change.Value.IsEmpty ? result.Remove(change.Key) : result.SetItem(change.Key, change.Value);
            }

            return result;
        }

        private Partition Current(string ns) =>
            _changed.TryGetValue(ns, out Partition? p) ? p : _original.TryGetValue(ns, out Partition? o) ? o : Partition.Empty;
    }

    /// <summary>An owner's entries in sequence order and its barrier mark.</summary>
    private sealed class OwnerRecord
    {
        private OwnerRecord(ImmutableArray<IndexedEntry<TOwner>> items, bool isBarrier)
        {
            Items = items;
            IsBarrier = isBarrier;
        }

        public static OwnerRecord Empty { get; } = new(ImmutableArray<IndexedEntry<TOwner>>.Empty, false);

        public ImmutableArray<IndexedEntry<TOwner>> Items { get; }

        public bool IsBarrier { get; }

        public bool IsEmpty => Items.IsEmpty && !IsBarrier;

        public OwnerRecord With(IndexedEntry<TOwner> item) => new(Items.Add(item), IsBarrier);

        public OwnerRecord Without(IndexedEntry<TOwner> item) => new(Items.Remove(item), IsBarrier);

        public OwnerRecord WithBarrier(bool barrier) => new(Items, barrier);

        public OwnerRecord WithItems(ImmutableArray<IndexedEntry<TOwner>> items) => new(items, IsBarrier);
    }
}
