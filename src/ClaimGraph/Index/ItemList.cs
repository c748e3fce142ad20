using ClaimGraph.Claims;

namespace ClaimGraph.Index;

/// <summary>
/// A stored entry as a trie node keeps it: the entry with its owner and sequence number copied beside it (so that
/// sorting results reads no entry object), whether its mode conflicts with every mode (so that conflict searches for
/// Read and Append entries skip the others without reading the entry) and its prefilter key (0 for none; see
/// <c>TrieSearch.Filter</c>).
/// </summary>
internal readonly struct Slot<TOwner>
    where TOwner : notnull
{
    public Slot(IndexedEntry<TOwner> entry, long filter)
    {
        Entry = entry;
        Owner = entry.Owner;
        Sequence = entry.Sequence;
        ConflictsWithAll = entry.Entry.Mode.ConflictsWith(ClaimMode.Read);
        Filter = filter;
    }

    private Slot(long sequence)
    {
        Entry = null!;
        Owner = default!;
        Sequence = sequence;
        ConflictsWithAll = false;
        Filter = 0;
    }

    public IndexedEntry<TOwner> Entry { get; }

    public TOwner Owner { get; }

    public long Sequence { get; }

    /// <summary>Whether the entry's mode conflicts with every mode (<see cref="ClaimMode.Write"/>, or an unknown value).</summary>
    public bool ConflictsWithAll { get; }

    public long Filter { get; }

    /// <summary>A slot that only carries a sequence number, to search by it.</summary>
    public static Slot<TOwner> Probe(long sequence) => new(sequence);
}

/// <summary>
/// A persistent list of slots in sequence order, stored as chunks of at most <see cref="ChunkSize"/> slots. A change
/// copies one chunk and the chunk directory (O(64 + n/64)), and a scan reads plain arrays.
/// </summary>
internal sealed class ItemList<TOwner>
    where TOwner : notnull
{
    private const int ChunkSize = 64;

    private ItemList(Slot<TOwner>[][] chunks, int count)
    {
        Chunks = chunks;
        Count = count;
    }

    public static ItemList<TOwner> Empty { get; } = new([], 0);

    /// <summary>The chunks, each non-empty and in sequence order.</summary>
    public Slot<TOwner>[][] Chunks { get; }

    public int Count { get; }

    /// <summary>Appends an item whose sequence number is larger than every stored one.</summary>
    public ItemList<TOwner> Add(Slot<TOwner> item)
    {
        Slot<TOwner>[][] chunks;
        if (Chunks.Length > 0 && Chunks[^1].Length < ChunkSize)
        {
            chunks = (Slot<TOwner>[][])Chunks.Clone();
            chunks[^1] = [.. Chunks[^1], item];
        }
        else
        {
            chunks = [.. Chunks, [item]];
        }

        return new ItemList<TOwner>(chunks, Count + 1);
    }

    /// <summary>The list without the item of sequence number <paramref name="sequence"/>; this instance when absent.</summary>
    public ItemList<TOwner> Remove(long sequence)
    {
        int c = 0, hi = Chunks.Length - 1;
        while (c < hi)
        {
            int mid = (c + hi) >>> 1;
            if (Chunks[mid][^1].Sequence < sequence)
            {
                c = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        if (c >= Chunks.Length)
        {
            return this;
        }

        Slot<TOwner>[] chunk = Chunks[c];
        int at = System.Array.BinarySearch(chunk, Slot<TOwner>.Probe(sequence), BySequence.Instance);
        if (at < 0)
        {
            return this;
        }

        if (Count == 1)
        {
            return Empty;
        }

        Slot<TOwner>[][] chunks;
        if (chunk.Length == 1)
        {
            chunks = Without(Chunks, c);
        }
        else
        {
            chunks = (Slot<TOwner>[][])Chunks.Clone();
            chunks[c] = Without(chunk, at);
        }

        return new ItemList<TOwner>(chunks, Count - 1);
    }

    private static T[] Without<T>(T[] items, int at)
    {
        var copy = new T[items.Length - 1];
        System.Array.Copy(items, 0, copy, 0, at);
        System.Array.Copy(items, at + 1, copy, at, items.Length - at - 1);
        return copy;
    }

    /// <summary>Orders slots by sequence number (unique within one index lineage).</summary>
    private sealed class BySequence : IComparer<Slot<TOwner>>
    {
        public static readonly BySequence Instance = new();

        public int Compare(Slot<TOwner> x, Slot<TOwner> y) => x.Sequence.CompareTo(y.Sequence);
    }
}
