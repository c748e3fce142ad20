using System.Collections.Immutable;

namespace ClaimGraph.Index;

/// <summary>Several insertions and removals across namespaces, with one update of the partition map at the end.</summary>
internal sealed class PartitionEdit<TOwner>
    where TOwner : notnull
{
    private readonly ImmutableSortedDictionary<string, IndexPartition<TOwner>> _original;
    private readonly SortedDictionary<string, IndexPartition<TOwner>> _changed = new(StringComparer.Ordinal);

    public PartitionEdit(ImmutableSortedDictionary<string, IndexPartition<TOwner>> original) => _original = original;

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

    public ImmutableSortedDictionary<string, IndexPartition<TOwner>> ToImmutable()
    {
        ImmutableSortedDictionary<string, IndexPartition<TOwner>> result = _original;
        foreach (KeyValuePair<string, IndexPartition<TOwner>> change in _changed)
        {
            result = change.Value.IsEmpty ? result.Remove(change.Key) : result.SetItem(change.Key, change.Value);
        }

        return result;
    }

    private IndexPartition<TOwner> Current(string ns) =>
        _changed.TryGetValue(ns, out IndexPartition<TOwner>? p) ? p : _original.TryGetValue(ns, out IndexPartition<TOwner>? o) ? o : IndexPartition<TOwner>.Empty;
}
