using System.Collections.Immutable;

namespace ClaimGraph.Index;

/// <summary>An owner's entries in sequence order and its barrier mark.</summary>
internal sealed class OwnerRecord<TOwner>
    where TOwner : notnull
{
    private OwnerRecord(ImmutableArray<IndexedEntry<TOwner>> items, bool isBarrier)
    {
        Items = items;
        IsBarrier = isBarrier;
    }

    public static OwnerRecord<TOwner> Empty { get; } = new(ImmutableArray<IndexedEntry<TOwner>>.Empty, false);

    public ImmutableArray<IndexedEntry<TOwner>> Items { get; }

    public bool IsBarrier { get; }

    public bool IsEmpty => Items.IsEmpty && !IsBarrier;

    public OwnerRecord<TOwner> With(IndexedEntry<TOwner> item) => new(Items.Add(item), IsBarrier);

    public OwnerRecord<TOwner> Without(IndexedEntry<TOwner> item) => new(Items.Remove(item), IsBarrier);

    public OwnerRecord<TOwner> WithBarrier(bool barrier) => new(Items, barrier);

    public OwnerRecord<TOwner> WithItems(ImmutableArray<IndexedEntry<TOwner>> items) => new(items, IsBarrier);
}
