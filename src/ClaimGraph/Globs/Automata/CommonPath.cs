using System.Buffers;

namespace ClaimGraph.Globs;

/// <summary>
/// The shortest path two cover sequences both accept: Dijkstra over the product of the two sequences
/// (<see cref="SequenceAutomaton"/> at the segment level), where a globstar is a self-loop plus an empty step and a
/// step that consumes a name costs the <see cref="CommonName"/> of the two segments plus its separator.
/// </summary>
internal static class CommonPath
{
    /// <summary>
    /// Dijkstra over segment-position pairs; edge cost is the shortest common name plus its separator. Ties are broken by
    /// the order in which states were queued, so the witness is deterministic. The queue is a binary heap of packed
    /// (cost, order, state) keys, unique because the order is; states live on the stack for small patterns, in pooled
    /// arrays otherwise. Only the witness string is allocated.
    /// </summary>
    public static string? Shortest(Segment[] a, Segment[] b)
    {
        int na = a.Length, nb = b.Length;
        int width = nb + 1;
        int states = (na + 1) * width;

        // Every state is queued at most once per relaxation and has at most three outgoing edges.
        int heapCapacity = (3 * states) + 1;
        const int StackStates = 64;
        int[]? rentedInts = null;
        long[]? rentedHeap = null;
        Span<int> ints = states <= StackStates ? stackalloc int[3 * states] : (rentedInts = ArrayPool<int>.Shared.Rent(3 * states));
        Span<long> heap = states <= StackStates ? stackalloc long[heapCapacity] : (rentedHeap = ArrayPool<long>.Shared.Rent(heapCapacity));
        try
        {
            Span<int> dist = ints[..states];
            Span<int> prev = ints.Slice(states, states);

            // The length of the name consumed on the step into a state, or -1 for an empty (globstar) step.
            Span<int> step = ints.Slice(2 * states, states);
            dist.Fill(int.MaxValue);
            int count = 0, order = 0;
            dist[0] = 0;
            prev[0] = -1;
            step[0] = -1;
            Push(heap, ref count, Key(0, order++, 0));
            int goal = states - 1;
            while (count > 0)
            {
                long key = Pop(heap, ref count);
                int s = (int)(key & StateMask);
                int cost = (int)(key >> CostShift);
                if (cost != dist[s])
                {
                    continue;
                }

                if (s == goal)
                {
                    break;
                }

                int i = s / width, j = s % width;
                bool ga = i < na && a[i].Kind == SegmentKind.Globstar;
                bool gb = j < nb && b[j].Kind == SegmentKind.Globstar;
                if (ga)
                {
                    Relax(heap, ref count, ref order, dist, prev, step, s, s + width, cost, -1);
                }

                if (gb)
                {
                    Relax(heap, ref count, ref order, dist, prev, step, s, s + 1, cost, -1);
                }

                if (i < na && j < nb && !(ga && gb))
                {
                    int target = ((ga ? i : i + 1) * width) + (gb ? j : j + 1);
                    int name = CommonName.Length(a[i], b[j]);
                    if (name >= 0)
                    {
                        Relax(heap, ref count, ref order, dist, prev, step, s, target, cost + name + 1, name);
                    }
                }
            }

            if (dist[goal] == int.MaxValue)
            {
                return null;
            }

            // The names are written from the end, each after walking back to the step that consumed it.
            int length = Math.Max(dist[goal] - 1, 0);
            char[]? rentedChars = null;
            Span<char> text = length <= 256 ? stackalloc char[256] : (rentedChars = ArrayPool<char>.Shared.Rent(length));
            try
            {
                int end = length;
                for (int t = goal; prev[t] >= 0; t = prev[t])
                {
                    int name = step[t];
                    if (name < 0)
                    {
                        continue;
                    }

                    int from = prev[t];
                    CommonName.Write(a[from / width], b[from % width], text.Slice(end - name, name));
                    end -= name;
                    if (end > 0)
                    {
                        text[--end] = '/';
                    }
                }

                return new string(text[..length]);
            }
            finally
            {
                if (rentedChars is not null)
                {
                    ArrayPool<char>.Shared.Return(rentedChars);
                }
            }
        }
        finally
        {
            if (rentedInts is not null)
            {
                ArrayPool<int>.Shared.Return(rentedInts);
            }

            if (rentedHeap is not null)
            {
                ArrayPool<long>.Shared.Return(rentedHeap);
            }
        }
    }

    private const int StateBits = 20;
    private const int OrderBits = 20;
    private const int CostShift = StateBits + OrderBits;
    private const long StateMask = (1L << StateBits) - 1;

    /// <summary>(cost, order, state) packed so that keys order by cost, then by queueing order. A pattern has at most
    /// 257 cover segments, so states (66,049) and queueing orders (3 per state) fit 20 bits each; costs fit the other 23.</summary>
    private static long Key(int cost, int order, int state) => ((long)cost << CostShift) | ((long)order << StateBits) | (uint)state;

    private static void Relax(Span<long> heap, ref int count, ref int order, Span<int> dist, Span<int> prev, Span<int> step, int from, int to, int cost, int name)
    {
        if (cost < dist[to])
        {
            dist[to] = cost;
            prev[to] = from;
            step[to] = name;
            Push(heap, ref count, Key(cost, order++, to));
        }
    }

    private static void Push(Span<long> heap, ref int count, long key)
    {
        int i = count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (heap[parent] <= key)
            {
                break;
            }

            heap[i] = heap[parent];
            i = parent;
        }

        heap[i] = key;
    }

    private static long Pop(Span<long> heap, ref int count)
    {
        long top = heap[0];
        long last = heap[--count];
        int i = 0;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= count)
            {
                break;
            }

            if (child + 1 < count && heap[child + 1] < heap[child])
            {
                child++;
            }

            if (heap[child] >= last)
            {
                break;
            }

            heap[i] = heap[child];
            i = child;
        }

        if (count > 0)
        {
            heap[i] = last;
        }

        return top;
    }
}
