using System.Collections.Immutable;

namespace ClaimGraph.Index;

/// <summary>
/// A persistent trie node keyed by literal path segments. Each stored entry sits at the node of its leading literal
/// segments (the segments every brace alternative starts with); <see cref="Items"/> are ordered by sequence number.
/// Updates copy only the path from the root (O(depth · log children)).
/// </summary>
internal sealed class TrieNode<TOwner>
    where TOwner : notnull
{
    private static readonly ImmutableDictionary<string, TrieNode<TOwner>> NoChildren =
        ImmutableDictionary.Create<string, TrieNode<TOwner>>(StringComparer.Ordinal);

    private TrieNode(ImmutableDictionary<string, TrieNode<TOwner>> children, ImmutableList<IndexedEntry<TOwner>> items, int count)
    {
        Children = children;
        Items = items;
        Count = count;
    }

    public static TrieNode<TOwner> Empty { get; } = new(NoChildren, ImmutableList<IndexedEntry<TOwner>>.Empty, 0);

    public ImmutableDictionary<string, TrieNode<TOwner>> Children { get; }

    public ImmutableList<IndexedEntry<TOwner>> Items { get; }

    /// <summary>The number of entries in this subtree.</summary>
    public int Count { get; }

    public TrieNode<TOwner> Insert(string[] keys, int depth, IndexedEntry<TOwner> item)
    {
        if (depth == keys.Length)
        {
            // Sequence numbers only grow, so appending keeps the items sorted.
            return new TrieNode<TOwner>(Children, Items.Add(item), Count + 1);
        }

        TrieNode<TOwner> child = Children.TryGetValue(keys[depth], out TrieNode<TOwner>? existing) ? existing : Empty;
        return new TrieNode<TOwner>(Children.SetItem(keys[depth], child.Insert(keys, depth + 1, item)), Items, Count + 1);
    }

    /// <summary>The node without <paramref name="item"/>: the same instance when absent, null when nothing is left.</summary>
    public TrieNode<TOwner>? Remove(string[] keys, int depth, IndexedEntry<TOwner> item)
    {
        if (depth == keys.Length)
        {
            int at = Items.BinarySearch(item, BySequence.Instance);
            if (at < 0)
            {
                return this;
            }

            ImmutableList<IndexedEntry<TOwner>> items = Items.RemoveAt(at);
            return items.IsEmpty && Children.IsEmpty ? null : new TrieNode<TOwner>(Children, items, Count - 1);
        }

        if (!Children.TryGetValue(keys[depth], out TrieNode<TOwner>? child))
        {
            return this;
        }

        TrieNode<TOwner>? updated = child.Remove(keys, depth + 1, item);
        if (ReferenceEquals(updated, child))
        {
            return this;
        }

        ImmutableDictionary<string, TrieNode<TOwner>> children = updated is null ? Children.Remove(keys[depth]) : Children.SetItem(keys[depth], updated);
        return children.IsEmpty && Items.IsEmpty ? null : new TrieNode<TOwner>(children, Items, Count - 1);
    }

    /// <summary>Orders stored entries by sequence number (unique within one index lineage).</summary>
    private sealed class BySequence : IComparer<IndexedEntry<TOwner>>
    {
        public static readonly BySequence Instance = new();

        public int Compare(IndexedEntry<TOwner>? x, IndexedEntry<TOwner>? y) => x!.Sequence.CompareTo(y!.Sequence);
    }
}
