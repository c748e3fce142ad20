namespace ClaimGraph.Index;

/// <summary>The order of results: by owner, then by sequence number (read from the slots, not the entries).</summary>
internal sealed class EntryOrder<TOwner> : IComparer<Slot<TOwner>>
    where TOwner : notnull
{
    public EntryOrder(IComparer<TOwner> owners) => Owners = owners;

    public IComparer<TOwner> Owners { get; }

    public int Compare(Slot<TOwner> x, Slot<TOwner> y)
    {
        int c = Owners.Compare(x.Owner, y.Owner);
        return c != 0 ? c : x.Sequence.CompareTo(y.Sequence);
    }
}

/// <summary><see cref="EntryOrder{TOwner}"/> for <see cref="Comparer{T}.Default"/> owners, as a struct so that <see cref="RunMergeSort"/> specialises.</summary>
internal readonly struct DefaultEntryOrder<TOwner> : IComparer<Slot<TOwner>>
    where TOwner : notnull
{
    public int Compare(Slot<TOwner> x, Slot<TOwner> y)
    {
        int c = Comparer<TOwner>.Default.Compare(x.Owner, y.Owner);
        return c != 0 ? c : x.Sequence.CompareTo(y.Sequence);
    }
}
