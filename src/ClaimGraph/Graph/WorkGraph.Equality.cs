namespace ClaimGraph.Graph;

public sealed partial class WorkGraph
{
    /// <summary>
    /// Structural equality over the content: work items, dependencies, runs, base version, merged changes, processed
    /// event ids, the fencing-token counter and <see cref="Now"/>. O(n) in the worst case; O(1) for the same instance.
    /// </summary>
    public bool Equals(WorkGraph? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return _items.Count == other._items.Count
            && _dependencyCount == other._dependencyCount
            && RunCount == other.RunCount
            && BaseVersion == other.BaseVersion
            && (_hash == 0 || other._hash == 0 || _hash == other._hash)
            && Structural.MapEqual(_items, other._items, EqualityComparer<WorkItem>.Default)
            && Structural.MapEqual(_dependencies, other._dependencies, Structural.SetComparer.Instance)
            && RunContentEquals(other);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as WorkGraph);

    /// <summary>A hash consistent with <see cref="Equals(WorkGraph?)"/>. Computed once per graph in O(n), then cached.</summary>
    public override int GetHashCode()
    {
        int hash = _hash;
        if (hash == 0)
        {
            var h = new HashCode();
            foreach (KeyValuePair<string, WorkItem> item in _items)
            {
                h.Add(item.Value);
            }

            foreach (KeyValuePair<string, System.Collections.Immutable.ImmutableSortedSet<string>> deps in _dependencies)
            {
                h.Add(deps.Key, StringComparer.Ordinal);
                h.Add(Structural.SetHash(deps.Value));
            }

            AddRunContentHash(ref h);
            hash = h.ToHashCode();
            hash = hash == 0 ? 1 : hash;
            _hash = hash;
        }

        return hash;
    }

    /// <summary>Structural equality.</summary>
    public static bool operator ==(WorkGraph? left, WorkGraph? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Structural inequality.</summary>
    public static bool operator !=(WorkGraph? left, WorkGraph? right) => !(left == right);
}
