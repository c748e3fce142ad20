using System.Collections.Immutable;

namespace ClaimGraph.Graph;

/// <summary>Structural equality and hashing for the immutable collections the graph's values hold.</summary>
internal static class Structural
{
    public static readonly ImmutableSortedSet<string> EmptyIds = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    public static readonly ImmutableSortedDictionary<string, ImmutableSortedSet<string>> EmptyEdges =
        ImmutableSortedDictionary.Create<string, ImmutableSortedSet<string>>(StringComparer.Ordinal);

    public static readonly ImmutableSortedSet<Run> NoWaitingRuns = ImmutableSortedSet.Create(RunOrder.Admission);

    public static readonly ImmutableSortedSet<Run> NoItemRuns = ImmutableSortedSet.Create(RunOrder.Attempt);

    public static readonly Index.OverlapIndex<string> EmptyIndex = Index.OverlapIndex.Create<string>(StringComparer.Ordinal);

    public static ImmutableSortedSet<string> Ids(IEnumerable<string>? ids)
    {
        if (ids is null)
        {
            return EmptyIds;
        }

        ImmutableSortedSet<string> result = ids is ImmutableSortedSet<string> set ? set.WithComparer(StringComparer.Ordinal) : EmptyIds.Union(ids);
        foreach (string id in result)
        {
            ArgumentNullException.ThrowIfNull(id, nameof(ids));
        }

        return result;
    }

    public static bool SetEqual(ImmutableSortedSet<string> a, ImmutableSortedSet<string> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        using ImmutableSortedSet<string>.Enumerator x = a.GetEnumerator();
        using ImmutableSortedSet<string>.Enumerator y = b.GetEnumerator();
        while (x.MoveNext() && y.MoveNext())
        {
            if (!string.Equals(x.Current, y.Current, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public static bool ArrayEqual(ImmutableArray<string> a, ImmutableArray<string> b)
    {
        if (a.IsDefaultOrEmpty || b.IsDefaultOrEmpty)
        {
            return a.IsDefaultOrEmpty == b.IsDefaultOrEmpty;
        }

        return a.AsSpan().SequenceEqual(b.AsSpan(), StringComparer.Ordinal);
    }

    public static bool MapEqual<TValue>(ImmutableSortedDictionary<string, TValue> a, ImmutableSortedDictionary<string, TValue> b, IEqualityComparer<TValue> values)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        using ImmutableSortedDictionary<string, TValue>.Enumerator x = a.GetEnumerator();
        using ImmutableSortedDictionary<string, TValue>.Enumerator y = b.GetEnumerator();
        while (x.MoveNext() && y.MoveNext())
        {
            if (!string.Equals(x.Current.Key, y.Current.Key, StringComparison.Ordinal) || !values.Equals(x.Current.Value, y.Current.Value))
            {
                return false;
            }
        }

        return true;
    }

    public static int SetHash(ImmutableSortedSet<string> set)
    {
        var hash = new HashCode();
        hash.Add(set.Count);
        foreach (string s in set)
        {
            hash.Add(s, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public static int ArrayHash(ImmutableArray<string> array)
    {
        var hash = new HashCode();
        if (!array.IsDefault)
        {
            hash.Add(array.Length);
            foreach (string s in array)
            {
                hash.Add(s, StringComparer.Ordinal);
            }
        }

        return hash.ToHashCode();
    }

    public static ImmutableArray<string> Normalize(ImmutableArray<string> array, string paramName)
    {
        if (array.IsDefault)
        {
            return [];
        }

        foreach (string s in array)
        {
            ArgumentNullException.ThrowIfNull(s, paramName);
        }

        return array;
    }

    /// <summary>Equality of sorted sets of ids, as a comparer.</summary>
    public sealed class SetComparer : IEqualityComparer<ImmutableSortedSet<string>>
    {
        public static readonly SetComparer Instance = new();

        public bool Equals(ImmutableSortedSet<string>? x, ImmutableSortedSet<string>? y) =>
            x is null || y is null ? ReferenceEquals(x, y) : SetEqual(x, y);

        public int GetHashCode(ImmutableSortedSet<string> obj) => SetHash(obj);
    }
}
