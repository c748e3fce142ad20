using System.Numerics;
using ClaimGraph.Claims;
using ClaimGraph.Globs;

namespace ClaimGraph.Index;

/// <summary>
/// One query's walk through the tries of a namespace (see <see cref="OverlapIndex{TOwner}"/>): the query's cover
/// automaton follows the trie keys, walk-decided entries are taken from the state alone, the others pass the
/// prefilter and then the exact check. Collects the overlapping entries (unsorted) into the given list; with
/// <c>writersOnly</c>, only entries whose mode conflicts with every mode (see <see cref="Slot{TOwner}.ConflictsWithAll"/>),
/// dropping the others before any check.
/// </summary>
internal sealed class TrieSearch<TOwner>
    where TOwner : notnull
{
    private readonly Glob _pattern;
    private readonly CoverWalker? _walker;
    private readonly long[]? _literals;
    private readonly List<Slot<TOwner>> _hits;
    private readonly bool _writersOnly;

    public TrieSearch(Glob pattern, List<Slot<TOwner>> hits, bool writersOnly)
    {
        _pattern = pattern;
        _hits = hits;
        _writersOnly = writersOnly;
        _walker = CoverWalker.TryCreate(pattern);
        _literals = QueryLiterals(pattern);
    }

    /// <summary>Walks one trie; without a walker (a query with too many positions) checks every entry.</summary>
    public void Run(TrieNode<TOwner> root, bool folded)
    {
        if (root.Count == 0)
        {
            return;
        }

        if (_walker is null)
        {
            CollectBelow(root, 0, walkDecides: false, 0);
        }
        else
        {
            Walk(root, _walker.Start, folded, 0);
        }
    }

    /// <summary>
    /// The prefilter key of an entry that is not walk-decided: the first literal segment after its <paramref name="k"/>
    /// trie keys that only single-segment patterns precede, as <c>(offset after the node) &lt;&lt; 32 | hash</c>; 0
    /// when there is none (several alternatives, ignore-case, a globstar first). Every path the entry covers has that
    /// literal at depth <c>k + offset</c>, so a query whose own paths all have another literal there cannot overlap.
    /// </summary>
    public static long Filter(Glob pattern, int k)
    {
        if (pattern.IgnoreCase || pattern.Alternatives.Length != 1)
        {
            return 0;
        }

        ReadOnlySpan<Segment> match = pattern.Alternatives[0].Match;
        for (int j = k; j < match.Length && match[j].Kind != SegmentKind.Globstar; j++)
        {
            if (match[j].Kind == SegmentKind.Literal)
            {
                return ((long)(j - k) << 32) | (uint)string.GetHashCode(match[j].Literal);
            }
        }

        return 0;
    }

    /// <summary>
    /// The query side of the prefilter: for a single-alternative, case-sensitive query, the segments before its first
    /// globstar, each <c>1 &lt;&lt; 32 | hash</c> when literal and 0 when a one-segment wildcard; null otherwise.
    /// </summary>
    private static long[]? QueryLiterals(Glob query)
    {
        if (query.IgnoreCase || query.Alternatives.Length != 1)
        {
            return null;
        }

        ReadOnlySpan<Segment> match = query.Alternatives[0].Match;
        int n = 0;
        while (n < match.Length && match[n].Kind != SegmentKind.Globstar)
        {
            n++;
        }

        var result = new long[n];
        for (int i = 0; i < n; i++)
        {
            result[i] = match[i].Kind == SegmentKind.Literal ? (1L << 32) | (uint)string.GetHashCode(match[i].Literal) : 0;
        }

        return result;
    }

    /// <summary>Whether the prefilter proves that an entry at trie depth <paramref name="depth"/> cannot overlap the query.</summary>
    private static bool Rejects(long filter, long[]? query, int depth)
    {
        if (filter == 0 || query is null)
        {
            return false;
        }

        int at = depth + (int)(filter >> 32);
        return at < query.Length && query[at] != 0 && (uint)query[at] != (uint)filter;
    }

    private void Walk(TrieNode<TOwner> node, ulong state, bool folded, int depth)
    {
        CoverWalker walker = _walker!;
        Visit(node, state, walkDecides: !folded, depth);
        if (node.Children.IsEmpty)
        {
            return;
        }

        if (walker.Accepting(state))
        {
            // The query covers everything below the path walked so far; the state stays accepting.
            foreach (KeyValuePair<SegmentText, TrieNode<TOwner>> child in node.Children)
            {
                CollectBelow(child.Value, state, walkDecides: !folded, depth + 1);
            }

            return;
        }

        if (!walker.NeedsAllChildren(state, folded))
        {
            // Only literal segments are live: follow each distinct one.
            for (ulong rest = state; rest != 0; rest &= rest - 1)
            {
                int position = BitOperations.TrailingZeroCount(rest);
                walker.TryGetLiteral(position, folded, out SegmentText key);
                if (folded)
                {
                    key = KeyFolding.Fold(key);
                }

                if (SeenBefore(state, position, key, folded) || !node.Children.TryGetValue(key, out TrieNode<TOwner>? child))
                {
                    continue;
                }

                Walk(child, walker.Step(state, key, folded), folded, depth + 1);
            }

            return;
        }

        foreach (KeyValuePair<SegmentText, TrieNode<TOwner>> child in node.Children)
        {
            ulong next = walker.Step(state, child.Key, folded);
            if (next != 0)
            {
                Walk(child.Value, next, folded, depth + 1);
            }
        }
    }

    private void CollectBelow(TrieNode<TOwner> node, ulong state, bool walkDecides, int depth)
    {
        Visit(node, state, walkDecides, depth);
        foreach (KeyValuePair<SegmentText, TrieNode<TOwner>> child in node.Children)
        {
            CollectBelow(child.Value, state, walkDecides, depth + 1);
        }
    }

    /// <summary>
    /// The entries at <paramref name="node"/>. Walk-decided entries (exact trie only) overlap exactly when the query
    /// covers the node's path or something below it, which the walk state tells; the rest get the prefilter and the
    /// exact check.
    /// </summary>
    private void Visit(TrieNode<TOwner> node, ulong state, bool walkDecides, int depth)
    {
        if (node.Prefix.Count > 0)
        {
            if (walkDecides && _walker is not null && _walker.CoversAtOrBelow(state))
            {
                AddAll(node.Prefix);
            }
            else
            {
                CheckItems(node.Prefix, depth);
            }
        }

        CheckItems(node.Other, depth);
    }

    private void CheckItems(ItemList<TOwner> items, int depth)
    {
        foreach (Slot<TOwner>[] chunk in items.Chunks)
        {
            foreach (Slot<TOwner> slot in chunk)
            {
                if ((slot.ConflictsWithAll || !_writersOnly) && !Rejects(slot.Filter, _literals, depth))
                {
                    CheckItem(slot);
                }
            }
        }
    }

    private void CheckItem(Slot<TOwner> slot)
    {
        if (GlobOverlap.Overlaps(slot.Entry.Entry.Pattern, _pattern))
        {
            _hits.Add(slot);
        }
    }

    private void AddAll(ItemList<TOwner> items)
    {
        foreach (Slot<TOwner>[] chunk in items.Chunks)
        {
            if (!_writersOnly)
            {
                _hits.AddRange(chunk);
                continue;
            }

            foreach (Slot<TOwner> slot in chunk)
            {
                if (slot.ConflictsWithAll)
                {
                    _hits.Add(slot);
                }
            }
        }
    }

    /// <summary>Whether an earlier live position requires the same key (so its child was already walked).</summary>
    private bool SeenBefore(ulong state, int position, SegmentText key, bool folded)
    {
        for (ulong rest = state & ((1UL << position) - 1); rest != 0; rest &= rest - 1)
        {
            if (_walker!.TryGetLiteral(BitOperations.TrailingZeroCount(rest), folded, out SegmentText other)
                && (folded ? KeyFolding.FoldsTo(other.Span, key.Span) : other.Span.SequenceEqual(key.Span)))
            {
                return true;
            }
        }

        return false;
    }
}
