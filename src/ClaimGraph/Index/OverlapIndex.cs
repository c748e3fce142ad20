using System.Collections.Immutable;
using System.Numerics;
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
/// it may match, a globstar or a fully matched query visits the whole subtree. Every entry met on the way is
/// checked with the exact <see cref="Glob.Overlaps(Glob, Glob)"/>, so the result always equals a linear scan with
/// that check. A pure-prefix query such as <c>src/billing/**</c> or <c>src/app.py</c> costs O(depth) lookups plus
/// the entries on its path and below it. Queries with more than 64 automaton positions (very long or heavily braced
/// patterns) fall back to checking every entry of the namespace.
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
    private readonly long _nextSequence;

    private OverlapIndex(
        IComparer<TOwner> comparer,
        ImmutableSortedDictionary<string, Partition> partitions,
        ImmutableSortedDictionary<TOwner, OwnerRecord> owners,
        long nextSequence,
        int count)
    {
        OwnerComparer = comparer;
        _partitions = partitions;
        _owners = owners;
        _nextSequence = nextSequence;
        Count = count;
    }

    /// <summary>The order (and identity) of owners.</summary>
    public IComparer<TOwner> OwnerComparer { get; }

    /// <summary>The number of stored entries (barrier owners not counted).</summary>
    public int Count { get; }

    /// <summary>The owners with stored entries or a barrier, in <see cref="OwnerComparer"/> order. O(owners).</summary>
    public ImmutableArray<TOwner> Owners => [.. _owners.Keys];

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
            ownerComparer,
            ImmutableSortedDictionary.Create<string, Partition>(StringComparer.Ordinal),
            ImmutableSortedDictionary.Create<TOwner, OwnerRecord>(ownerComparer),
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
        if (claims.IsBarrier)
        {
            OwnerRecord record = _owners.TryGetValue(owner, out OwnerRecord? found) ? found : OwnerRecord.Empty;
            return record.IsBarrier ? this : With(_partitions, _owners.SetItem(owner, record.WithBarrier(true)), _nextSequence, Count);
        }

        OverlapIndex<TOwner> index = this;
        foreach (ClaimEntry e in claims.Entries)
        {
            index = index.AddItem(owner, e, claims.Exclusions);
        }

        return index;
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
            return With(_partitions, updated.IsEmpty ? _owners.Remove(owner) : _owners.SetItem(owner, updated), _nextSequence, Count);
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

        OverlapIndex<TOwner> index = this;
        foreach (IndexedEntry<TOwner> item in record.Items)
        {
            index = index.RemoveItem(item);
        }

        return index._owners.ContainsKey(owner) ? index.With(index._partitions, index._owners.Remove(owner), index._nextSequence, index.Count) : index;
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
        List<IndexedEntry<TOwner>> hits = Candidates(pattern);
        if (hits.Count == 0)
        {
            return ImmutableArray<IndexMatch<TOwner>>.Empty;
        }

        var result = ImmutableArray.CreateBuilder<IndexMatch<TOwner>>(hits.Count);
        foreach (IndexedEntry<TOwner> hit in hits)
        {
            result.Add(new IndexMatch<TOwner>(hit, pattern));
        }

        return result.MoveToImmutable();
    }

    /// <summary>Whether any stored entry overlaps <paramref name="pattern"/> (see <see cref="Query"/>), without computing witnesses.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    public bool Overlaps(Glob pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return Candidates(pattern).Count > 0;
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
                    : FirstConflict(pair.Key, null, pair.Value.Items);
                if (c is not null)
                {
                    found[pair.Key] = c;
                }
            }

            return [.. found.Values];
        }

        foreach (ClaimEntry e in claims.Entries)
        {
            foreach (IndexedEntry<TOwner> stored in Candidates(e.Pattern))
            {
                if (!e.Mode.ConflictsWith(stored.Entry.Mode)
                    || (found.TryGetValue(stored.Owner, out IndexConflict<TOwner>? known) && !known.IsConservative))
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

        IndexConflict<TOwner>? againstBarrier = null;
        foreach (KeyValuePair<TOwner, OwnerRecord> pair in _owners)
        {
            if (pair.Value.IsBarrier && !(found.TryGetValue(pair.Key, out IndexConflict<TOwner>? known) && !known.IsConservative))
            {
                againstBarrier ??= BarrierPair(pair.Key, claims);
                if (againstBarrier is not null)
                {
                    found[pair.Key] = new IndexConflict<TOwner>(pair.Key, againstBarrier.Conflict, againstBarrier.IsConservative, -1);
                }
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

    /// <summary>A barrier query against an owner's entries (null <paramref name="query"/> = barrier).</summary>
    private static IndexConflict<TOwner>? FirstConflict(TOwner owner, ClaimEntry? query, ImmutableArray<IndexedEntry<TOwner>> items)
    {
        IndexConflict<TOwner>? conservative = null;
        foreach (IndexedEntry<TOwner> stored in items)
        {
            ClaimEntry all = query ?? ClaimSet.BarrierEntry(stored.Entry.Namespace);
            ClaimConflictResult r = ClaimSet.CheckPair(all, ImmutableArray<Glob>.Empty, stored.Entry, stored.Exclusions);
            if (!r.IsConflict)
            {
                continue;
            }

            ClaimConflict evidence = query is null ? r.Conflict.AsBarrierLeft() : r.Conflict;
            var c = new IndexConflict<TOwner>(owner, evidence, r.IsConservative, stored.Sequence);
            if (!r.IsConservative)
            {
                return c;
            }

            conservative ??= c;
        }

        return conservative;
    }

    /// <summary>The stored entries overlapping <paramref name="pattern"/>, by owner then sequence.</summary>
    private List<IndexedEntry<TOwner>> Candidates(Glob pattern)
    {
        var hits = new List<IndexedEntry<TOwner>>();
        if (!_partitions.TryGetValue(pattern.Namespace, out Partition? partition))
        {
            return hits;
        }

        CoverWalker? walker = CoverWalker.TryCreate(pattern);
        if (walker is null)
        {
            CollectAll(partition.Exact, pattern, hits);
            CollectAll(partition.Folded, pattern, hits);
        }
        else
        {
            Walk(partition.Exact, walker, walker.Start, folded: false, pattern, hits);
            Walk(partition.Folded, walker, walker.Start, folded: true, pattern, hits);
        }

        if (hits.Count > 1)
        {
            IComparer<TOwner> comparer = OwnerComparer;
            hits.Sort((x, y) =>
            {
                int c = comparer.Compare(x.Owner, y.Owner);
                return c != 0 ? c : x.Sequence.CompareTo(y.Sequence);
            });
        }

        return hits;
    }

    private static void CheckItems(ItemList<TOwner> items, Glob pattern, List<IndexedEntry<TOwner>> hits)
    {
        if (items.Array is { } array)
        {
            foreach (IndexedEntry<TOwner> item in array)
            {
                CheckItem(item, pattern, hits);
            }

            return;
        }

        foreach (IndexedEntry<TOwner> item in items.Tree!)
        {
            CheckItem(item, pattern, hits);
        }
    }

    private static void CheckItem(IndexedEntry<TOwner> item, Glob pattern, List<IndexedEntry<TOwner>> hits)
    {
        int fast = FastOverlap.Decide(item.Entry.Pattern, pattern);
        if (fast == 1 || (fast < 0 && Glob.Overlaps(item.Entry.Pattern, pattern)))
        {
            hits.Add(item);
        }
    }

    private static void AddAll(ItemList<TOwner> items, List<IndexedEntry<TOwner>> hits)
    {
        if (items.Array is { } array)
        {
            hits.AddRange(array);
            return;
        }

        hits.AddRange(items.Tree!);
    }

    /// <summary>
    /// The entries at <paramref name="node"/>. Pure-prefix entries (exact trie only) overlap exactly when the query
    /// covers the node's path or something below it, which the walk state tells; the rest get the exact check.
    /// </summary>
    private static void Visit(TrieNode<TOwner> node, CoverWalker? walker, ulong state, Glob pattern, List<IndexedEntry<TOwner>> hits)
    {
        if (node.Prefix.Count > 0)
        {
            if (walker is not null && walker.CoversAtOrBelow(state))
            {
                AddAll(node.Prefix, hits);
            }
            else
            {
                CheckItems(node.Prefix, pattern, hits);
            }
        }

        CheckItems(node.Other, pattern, hits);
    }

    private static void CollectBelow(TrieNode<TOwner> node, CoverWalker? walker, ulong state, Glob pattern, List<IndexedEntry<TOwner>> hits)
    {
        Visit(node, walker, state, pattern, hits);
        foreach (KeyValuePair<string, TrieNode<TOwner>> child in node.Children)
        {
            CollectBelow(child.Value, walker, state, pattern, hits);
        }
    }

    private static void CollectAll(TrieNode<TOwner> node, Glob pattern, List<IndexedEntry<TOwner>> hits)
    {
        Visit(node, null, 0, pattern, hits);
        foreach (KeyValuePair<string, TrieNode<TOwner>> child in node.Children)
        {
            CollectAll(child.Value, pattern, hits);
        }
    }

    private static void Walk(TrieNode<TOwner> node, CoverWalker walker, ulong state, bool folded, Glob pattern, List<IndexedEntry<TOwner>> hits)
    {
        Visit(node, folded ? null : walker, state, pattern, hits);
        if (node.Children.IsEmpty)
        {
            return;
        }

        if (walker.Accepting(state))
        {
            // The query covers everything below the path walked so far; the state stays accepting.
            foreach (KeyValuePair<string, TrieNode<TOwner>> child in node.Children)
            {
                CollectBelow(child.Value, folded ? null : walker, state, pattern, hits);
            }

            return;
        }

        if (!walker.NeedsAllChildren(state, folded))
        {
            // Only literal segments are live: follow each distinct one.
            for (ulong rest = state; rest != 0; rest &= rest - 1)
            {
                int position = BitOperations.TrailingZeroCount(rest);
                string key = walker.LiteralAt(position, folded)!;
                if (folded)
                {
                    key = KeyFolding.Fold(key);
                }

                if (SeenBefore(walker, state, position, key, folded) || !node.Children.TryGetValue(key, out TrieNode<TOwner>? child))
                {
                    continue;
                }

                Walk(child, walker, walker.Step(state, key, folded), folded, pattern, hits);
            }

            return;
        }

        foreach (KeyValuePair<string, TrieNode<TOwner>> child in node.Children)
        {
            ulong next = walker.Step(state, child.Key, folded);
            if (next != 0)
            {
                Walk(child.Value, walker, next, folded, pattern, hits);
            }
        }
    }

    /// <summary>Whether an earlier live position requires the same key (so its child was already walked).</summary>
    private static bool SeenBefore(CoverWalker walker, ulong state, int position, string key, bool folded)
    {
        for (ulong rest = state & ((1UL << position) - 1); rest != 0; rest &= rest - 1)
        {
            string? other = walker.LiteralAt(BitOperations.TrailingZeroCount(rest), folded);
            if (other is not null && string.Equals(folded ? KeyFolding.Fold(other) : other, key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
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
        Partition partition = _partitions.TryGetValue(pattern.Namespace, out Partition? p) ? p : Partition.Empty;
        string[] keys = Keys(pattern, out bool isPrefix);
        partition = pattern.IgnoreCase
            ? new Partition(partition.Exact, partition.Folded.Insert(keys, 0, item, isPrefix))
            : new Partition(partition.Exact.Insert(keys, 0, item, isPrefix), partition.Folded);
        OwnerRecord record = _owners.TryGetValue(owner, out OwnerRecord? r) ? r : OwnerRecord.Empty;
        return With(_partitions.SetItem(pattern.Namespace, partition), _owners.SetItem(owner, record.With(item)), _nextSequence + 1, Count + 1);
    }

    private OverlapIndex<TOwner> RemoveItem(IndexedEntry<TOwner> item)
    {
        Glob pattern = item.Entry.Pattern;
        Partition partition = _partitions[pattern.Namespace];
        string[] keys = Keys(pattern, out bool isPrefix);
        partition = pattern.IgnoreCase
            ? new Partition(partition.Exact, partition.Folded.Remove(keys, 0, item, isPrefix) ?? TrieNode<TOwner>.Empty)
            : new Partition(partition.Exact.Remove(keys, 0, item, isPrefix) ?? TrieNode<TOwner>.Empty, partition.Folded);
        OwnerRecord record = _owners[item.Owner].Without(item);
        return With(
            partition.IsEmpty ? _partitions.Remove(pattern.Namespace) : _partitions.SetItem(pattern.Namespace, partition),
            record.IsEmpty ? _owners.Remove(item.Owner) : _owners.SetItem(item.Owner, record),
            _nextSequence,
            Count - 1);
    }

    private OverlapIndex<TOwner> With(
        ImmutableSortedDictionary<string, Partition> partitions,
        ImmutableSortedDictionary<TOwner, OwnerRecord> owners,
        long nextSequence,
        int count) =>
        new(OwnerComparer, partitions, owners, nextSequence, count);

    /// <summary>
    /// The trie keys of a pattern: its shared leading literal segments (folded when it ignores case); and whether it
    /// is a pure prefix: one case-sensitive alternative that is exactly those (valid) literal segments, optionally
    /// followed by <c>/**</c>.
    /// </summary>
    private static string[] Keys(Glob pattern, out bool isPrefix)
    {
        IReadOnlyList<string> literals = pattern.LeadingLiterals();
        var keys = new string[literals.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = pattern.IgnoreCase ? KeyFolding.Fold(literals[i]) : literals[i];
        }

        isPrefix = false;
        if (!pattern.IgnoreCase && pattern.Alternatives.Length == 1)
        {
            Segment[] match = pattern.Alternatives[0].Match;
            int k = keys.Length;
            bool valid = true;
            for (int i = 0; i < k; i++)
            {
                valid &= match[i].LiteralIsValidName;
            }

            isPrefix = valid
                && (match.Length == k
                    || (match.Length == k + 2 && match[k].Kind == SegmentKind.AnyName && match[k + 1].Kind == SegmentKind.Globstar));
        }

        return keys;
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
    }
}
