namespace ClaimGraph.Graph;

public sealed partial class WorkGraph
{
    /// <summary>
    /// Structural equality over the content: work items, dependencies, runs, base version, merged changes, processed
    /// event ids, the fencing-token counter, the current versions of named bases and resources and <see cref="Now"/>. O(n) in the worst case; O(1) for the same instance.
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

        return WorkItemCount == other.WorkItemCount
            && DependencyCount == other.DependencyCount
            && RunCount == other.RunCount
            && BaseVersion == other.BaseVersion
            && _now == other._now
            && (_hash == 0 || other._hash == 0 || _hash == other._hash)
            && _dag.ContentEquals(other._dag)
            && _runs.ContentEquals(other._runs)
            && _log.ContentEquals(other._log)
            && _events.ContentEquals(other._events)
            && _versions.ContentEquals(other._versions);
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
            _dag.AddContentHash(ref h);
            h.Add(NextFencingToken);
            h.Add(BaseVersion);
            h.Add(_now);
            _runs.AddRunsHash(ref h);
            foreach (MergedChange change in MergedChanges)
            {
                h.Add(change);
            }

            h.Add(Structural.SetHash(ProcessedEventIds));
            _versions.AddContentHash(ref h);
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
