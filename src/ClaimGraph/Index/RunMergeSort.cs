using System.Buffers;

namespace ClaimGraph.Index;

/// <summary>
/// A natural merge sort for query hits. The trie search gathers hits node by node, and each node's items are in
/// sequence order, so the hits arrive as a few ascending runs whenever owners were added in their own order (run ids
/// that grow over time); merging the runs costs O(n log runs) instead of a full sort's O(n log n), and the generic
/// comparer parameter lets the JIT specialise and inline comparisons for a struct comparer (which
/// <see cref="MemoryExtensions.Sort{T, TComparer}(Span{T}, TComparer)"/> does not: it calls through the interface).
/// Any input is sorted correctly; it is only slower, O(n log n), when the runs are short.
/// </summary>
internal static class RunMergeSort
{
    /// <summary>Sorts <paramref name="items"/> by <paramref name="comparer"/> (a total order without equal items).</summary>
    public static void Sort<T, TComparer>(Span<T> items, TComparer comparer)
        where TComparer : IComparer<T>
    {
        int n = items.Length;
        if (n < 2)
        {
            return;
        }

        // Run starts, plus n at the end. At most n + 1 of them.
        int[] bounds = ArrayPool<int>.Shared.Rent(n + 1);
        T[]? buffer = null;
        try
        {
            int runs = 0;
            bounds[runs++] = 0;
            for (int i = 1; i < n; i++)
            {
                if (comparer.Compare(items[i - 1], items[i]) > 0)
                {
                    bounds[runs++] = i;
                }
            }

            bounds[runs] = n;
            if (runs == 1)
            {
                return;
            }

            buffer = ArrayPool<T>.Shared.Rent(n);
            Span<T> source = items, target = buffer.AsSpan(0, n);
            bool inItems = true;
            while (runs > 1)
            {
                int merged = 0;
                for (int r = 0; r < runs; r += 2)
                {
                    int lo = bounds[r], mid = bounds[Math.Min(r + 1, runs)], hi = bounds[Math.Min(r + 2, runs)];
                    Merge(source[lo..mid], source[mid..hi], target[lo..hi], comparer);
                    bounds[merged++] = lo;
                }

                bounds[merged] = n;
                runs = merged;
                Span<T> swap = source;
                source = target;
                target = swap;
                inItems = !inItems;
            }

            if (!inItems)
            {
                source.CopyTo(items);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(bounds);
            if (buffer is not null)
            {
                // The items may hold references: clear them so the pool keeps nothing alive.
                ArrayPool<T>.Shared.Return(buffer, clearArray: true);
            }
        }
    }

    private static void Merge<T, TComparer>(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> target, TComparer comparer)
        where TComparer : IComparer<T>
    {
        int i = 0, j = 0, k = 0;
        while (i < left.Length && j < right.Length)
        {
            target[k++] = comparer.Compare(left[i], right[j]) <= 0 ? left[i++] : right[j++];
        }

        left[i..].CopyTo(target[k..]);
        right[j..].CopyTo(target[(k + left.Length - i)..]);
    }
}
