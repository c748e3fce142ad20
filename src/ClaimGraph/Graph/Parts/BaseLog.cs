using System.Collections.Immutable;

namespace ClaimGraph.Graph;

/// <summary>
/// The base version and the log of merged changes that produced the versions kept (ascending version). A persistent
/// part of <see cref="WorkGraph"/>: every update returns a new log that shares structure with this one.
/// </summary>
internal sealed class BaseLog
{
    /// <summary>Base version 0, no changes.</summary>
    public static readonly BaseLog Empty = new(0, []);

    private BaseLog(long version, ImmutableList<MergedChange> changes)
    {
        Version = version;
        Changes = changes;
    }

    /// <summary>The current base version.</summary>
    public long Version { get; }

    /// <summary>The merged changes kept, by ascending version.</summary>
    public ImmutableList<MergedChange> Changes { get; }

    /// <summary>Makes a log from bulk content (the caller checked that versions ascend up to <paramref name="version"/>).</summary>
    public static BaseLog Create(long version, ImmutableList<MergedChange> changes) => new(version, changes);

    /// <summary>The log advanced to <paramref name="change"/>'s version (greater than <see cref="Version"/>) with the change appended.</summary>
    public BaseLog Advance(MergedChange change) => new(change.Version, Changes.Add(change));

    /// <summary>The merged changes that produced versions after <paramref name="baseVersion"/>, ascending.</summary>
    public IEnumerable<MergedChange> Since(long baseVersion)
    {
        for (int i = FirstChangeAbove(baseVersion); i < Changes.Count; i++)
        {
            yield return Changes[i];
        }
    }

    /// <summary>The log without the changes whose version is below <paramref name="version"/>; this log when there are none.</summary>
    public BaseLog PruneBelow(long version)
    {
        int count = FirstChangeAbove(version - 1);
        return count == 0 ? this : new BaseLog(Version, Changes.RemoveRange(0, count));
    }

    /// <summary>Equality of the content.</summary>
    public bool ContentEquals(BaseLog other) =>
        Version == other.Version && Changes.Count == other.Changes.Count && Changes.SequenceEqual(other.Changes);

    /// <summary>The index of the first change with a version greater than <paramref name="version"/>.</summary>
    private int FirstChangeAbove(long version)
    {
        int lo = 0;
        int hi = Changes.Count;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo) / 2);
            if (Changes[mid].Version <= version)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
