using System.Collections.Immutable;

namespace ClaimGraph.Index;

/// <summary>
/// A persistent list of stored entries in sequence order: a plain array (copied on change) while small, so that
/// the hot loop of a query iterates an array; an <see cref="ImmutableList{T}"/> (O(log n) changes) once it grows.
/// </summary>
internal sealed class ItemList<TOwner>
    where TOwner : notnull
{
    /// <summary>Above this many items the list switches to the tree form; below half of it, back to the array.</summary>
    private const int ArrayLimit = 64;

    private ItemList(IndexedEntry<TOwner>[]? array, ImmutableList<IndexedEntry<TOwner>>? tree)
    {
        Array = array;
        Tree = tree;
    }

    public static ItemList<TOwner> Empty { get; } = new([], null);

    /// <summary>The items when small, else null.</summary>
    public IndexedEntry<TOwner>[]? Array { get; }

    /// <summary>The items when large, else null.</summary>
    public ImmutableList<IndexedEntry<TOwner>>? Tree { get; }

    public int Count => Array?.Length ?? Tree!.Count;

    /// <summary>Appends an item whose sequence number is larger than every stored one.</summary>
    public ItemList<TOwner> Add(IndexedEntry<TOwner> item)
    {
        if (Array is not null && Array.Length < ArrayLimit)
        {
            var copy = new IndexedEntry<TOwner>[Array.Length + 1];
            Array.CopyTo(copy, 0);
            copy[^1] = item;
            return new ItemList<TOwner>(copy, null);
        }

        ImmutableList<IndexedEntry<TOwner>> tree = Tree ?? ImmutableList.CreateRange(Array!);
        return new ItemList<TOwner>(null, tree.Add(item));
    }

    /// <summary>The list without <paramref name="item"/> (found by sequence number); this instance when absent.</summary>
    public ItemList<TOwner> Remove(IndexedEntry<TOwner> item)
    {
        if (Array is not null)
        {
            int at = System.Array.BinarySearch(Array, item, BySequence.Instance);
            if (at < 0)
            {
                return this;
            }

            if (Array.Length == 1)
            {
                return Empty;
            }

            var copy = new IndexedEntry<TOwner>[Array.Length - 1];
            System.Array.Copy(Array, 0, copy, 0, at);
            System.Array.Copy(Array, at + 1, copy, at, Array.Length - at - 1);
            return new ItemList<TOwner>(copy, null);
        }

        int index = Tree!.BinarySearch(item, BySequence.Instance);
        if (index < 0)
        {
            return this;
        }

        ImmutableList<IndexedEntry<TOwner>> smaller = Tree.RemoveAt(index);
        return smaller.Count <= ArrayLimit / 2 ? new ItemList<TOwner>([.. smaller], null) : new ItemList<TOwner>(null, smaller);
    }

    /// <summary>Orders stored entries by sequence number (unique within one index lineage).</summary>
    private sealed class BySequence : IComparer<IndexedEntry<TOwner>>
    {
        public static readonly BySequence Instance = new();

        public int Compare(IndexedEntry<TOwner>? x, IndexedEntry<TOwner>? y) => x!.Sequence.CompareTo(y!.Sequence);
    }
}
