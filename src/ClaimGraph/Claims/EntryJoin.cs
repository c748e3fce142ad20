using System.Collections.Immutable;
using ClaimGraph.Globs;

namespace ClaimGraph.Claims;

/// <summary>
/// For two large claim sets, the entry pairs that can overlap at all, found without trying every pair: two patterns
/// overlap only when their leading literal paths agree (one is a segment prefix of the other) in the same namespace.
/// Ignore-case entries and wildcard-led ones have the empty literal path, so they meet everything of their namespace.
/// </summary>
internal static class EntryJoin
{
    /// <summary>Below this many pairs the plain double loop is cheaper.</summary>
    public const int MinPairs = 64;

    /// <summary>For each entry of <paramref name="a"/>, the ascending indices of the entries of <paramref name="b"/> it may overlap.</summary>
    public static List<int>[] Candidates(ImmutableArray<ClaimEntry> a, ImmutableArray<ClaimEntry> b)
    {
        var exact = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var sorted = new (string Key, int Index)[b.Length];
        for (int j = 0; j < b.Length; j++)
        {
            string key = Key(b[j].Pattern);
            sorted[j] = (key, j);
            if (!exact.TryGetValue(key, out List<int>? list))
            {
                exact[key] = list = [];
            }

            list.Add(j);
        }

        Array.Sort(sorted, (x, y) => string.CompareOrdinal(x.Key, y.Key));
        string[] keys = Array.ConvertAll(sorted, s => s.Key);
        var result = new List<int>[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            string key = Key(a[i].Pattern);
            var found = new List<int>();

            // Entries at this literal path or above it.
            int root = key.IndexOf('\u0001', StringComparison.Ordinal) + 1;
            for (int cut = root; cut <= key.Length; cut = NextCut(key, cut))
            {
                if (exact.TryGetValue(key[..cut], out List<int>? above))
                {
                    found.AddRange(above);
                }
            }

            // Entries strictly below it.
            string below = key.Length == root ? key : key + "/";
            int at = LowerBound(keys, below);
            for (; at < keys.Length && keys[at].StartsWith(below, StringComparison.Ordinal); at++)
            {
                if (keys[at].Length != key.Length)
                {
                    found.Add(sorted[at].Index);
                }
            }

            found.Sort();
            result[i] = found;
        }

        return result;
    }

    /// <summary>The next segment boundary after <paramref name="cut"/> (or past the end).</summary>
    private static int NextCut(string key, int cut)
    {
        if (cut == key.Length)
        {
            return cut + 1;
        }

        int slash = key.IndexOf('/', cut + 1);
        return slash < 0 ? key.Length : slash;
    }

    private static int LowerBound(string[] keys, string value)
    {
        int lo = 0, hi = keys.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(keys[mid], value) < 0)
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

    /// <summary><c>namespace \u0001 literal/path</c>; ignore-case patterns have an empty path.</summary>
    private static string Key(Glob pattern)
    {
        var key = new System.Text.StringBuilder(pattern.Namespace).Append('\u0001');
        if (!pattern.IgnoreCase)
        {
            ReadOnlySpan<Segment> first = pattern.Alternatives[0].Match;
            int count = pattern.LeadingLiteralCount();
            for (int i = 0; i < count; i++)
            {
                key.Append(i == 0 ? string.Empty : "/").Append(first[i].Literal);
            }
        }

        return key.ToString();
    }
}
