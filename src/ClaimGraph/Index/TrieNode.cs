using System.Collections.Immutable;
using ClaimGraph.Globs;

namespace ClaimGraph.Index;

/// <summary>
/// A persistent trie node keyed by literal path segments (slices of the stored patterns, see <see cref="SegmentText"/>). Each stored entry sits at the node of its leading literal
/// segments (the segments every brace alternative starts with). <see cref="Prefix"/> holds the entries whose overlap
/// with a query the walk alone decides: that literal path (<c>src/app.py</c>), everything below it
/// (<c>src/billing/**</c>), or a globstar after it (<c>src/**/*.md</c>); <see cref="Other"/> holds the rest. Both are
/// in sequence order.
/// Updates copy only the path from the root (O(depth · log children)).
/// </summary>
internal sealed class TrieNode<TOwner>
    where TOwner : notnull
{
    private static readonly ImmutableDictionary<SegmentText, TrieNode<TOwner>> NoChildren =
        ImmutableDictionary.Create<SegmentText, TrieNode<TOwner>>();

    private TrieNode(ImmutableDictionary<SegmentText, TrieNode<TOwner>> children, ItemList<TOwner> prefix, ItemList<TOwner> other, int count)
    {
        Children = children;
        Prefix = prefix;
        Other = other;
        Count = count;
    }

    public static TrieNode<TOwner> Empty { get; } = new(NoChildren, ItemList<TOwner>.Empty, ItemList<TOwner>.Empty, 0);

    public ImmutableDictionary<SegmentText, TrieNode<TOwner>> Children { get; }

    public ItemList<TOwner> Prefix { get; }

    public ItemList<TOwner> Other { get; }

    /// <summary>The number of entries in this subtree.</summary>
    public int Count { get; }

    public TrieNode<TOwner> Insert(SegmentText[] keys, int depth, Slot<TOwner> item, bool isPrefix)
    {
        if (depth == keys.Length)
        {
            // Sequence numbers only grow, so appending keeps the items sorted.
            return isPrefix
                ? new TrieNode<TOwner>(Children, Prefix.Add(item), Other, Count + 1)
                : new TrieNode<TOwner>(Children, Prefix, Other.Add(item), Count + 1);
        }

        // SetItem stores the key it is given: keep the edge's own key, so an edge names the text of the entry that made it.
        SegmentText key = Children.TryGetKey(keys[depth], out SegmentText stored) ? stored : keys[depth];
        TrieNode<TOwner> child = Children.TryGetValue(key, out TrieNode<TOwner>? existing) ? existing : Empty;
        return new TrieNode<TOwner>(Children.SetItem(key, child.Insert(keys, depth + 1, item, isPrefix)), Prefix, Other, Count + 1);
    }

    /// <summary>The node without the entry of <paramref name="sequence"/>: the same instance when absent, null when nothing is left.</summary>
    public TrieNode<TOwner>? Remove(SegmentText[] keys, int depth, long sequence, bool isPrefix)
    {
        if (depth == keys.Length)
        {
            ItemList<TOwner> list = isPrefix ? Prefix : Other;
            ItemList<TOwner> smaller = list.Remove(sequence);
            if (ReferenceEquals(smaller, list))
            {
                return this;
            }

            TrieNode<TOwner> node = isPrefix
                ? new TrieNode<TOwner>(Children, smaller, Other, Count - 1)
                : new TrieNode<TOwner>(Children, Prefix, smaller, Count - 1);
            return node.Count == 0 ? null : node;
        }

        if (!Children.TryGetValue(keys[depth], out TrieNode<TOwner>? child))
        {
            return this;
        }

        TrieNode<TOwner>? updated = child.Remove(keys, depth + 1, sequence, isPrefix);
        if (ReferenceEquals(updated, child))
        {
            return this;
        }

        // An edge whose key is a slice of the removed entry's pattern would keep that whole string alive: give it a string
        // of its own (only then; otherwise the edge keeps its key).
        Children.TryGetKey(keys[depth], out SegmentText key);
        if (updated is not null && key.SharesTextWith(keys[depth]))
        {
            key = new SegmentText(key.ToString());
            ImmutableDictionary<SegmentText, TrieNode<TOwner>> rekeyed = Children.Remove(key).Add(key, updated);
            return Count == 1 ? null : new TrieNode<TOwner>(rekeyed, Prefix, Other, Count - 1);
        }

        ImmutableDictionary<SegmentText, TrieNode<TOwner>> children = updated is null ? Children.Remove(key) : Children.SetItem(key, updated);
        return Count == 1 ? null : new TrieNode<TOwner>(children, Prefix, Other, Count - 1);
    }
}
