using System.Collections.Immutable;
using System.Runtime.InteropServices;
using ClaimGraph.Claims;
using ClaimGraph.Globs;

namespace ClaimGraph.Index;

/// <content>The queries: the stored entries overlapping a pattern, and the owners conflicting with a claim set.</content>
public sealed partial class OverlapIndex<TOwner>
{
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
            foreach (KeyValuePair<TOwner, OwnerRecord<TOwner>> pair in _owners)
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

                ClaimConflictResult r = ClaimSetConflicts.CheckPair(e, claims.Exclusions, stored.Entry, stored.Exclusions);
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
            ClaimEntry all = ClaimSetConflicts.BarrierEntry(stored.Entry.Namespace);
            ClaimConflictResult r = ClaimSetConflicts.CheckPair(all, ImmutableArray<Glob>.Empty, stored.Entry, stored.Exclusions);
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
        if (!_partitions.TryGetValue(pattern.Namespace, out IndexPartition<TOwner>? partition))
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
                RunMergeSort.Sort(span, default(DefaultEntryOrder<TOwner>));
            }
            else
            {
                RunMergeSort.Sort(span, _entryOrder);
            }
        }

        return hits;
    }
}
