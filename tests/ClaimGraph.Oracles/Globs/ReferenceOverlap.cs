using System.Text;
using ClaimGraph.Globs;

namespace ClaimGraph.Oracles.Globs;

/// <summary>
/// The general overlap algorithm without any fast path, written plainly: depth-first search over the product of the two
/// cover sequences with every segment pair decided by the character-level search, and the witness by Dijkstra with
/// <see cref="PriorityQueue{TElement, TPriority}"/> ordered by (cost, queueing order) as the glob dialect describes (README: a shortest witness, chosen deterministically). The library's
/// fast paths must give the same answers and the very same witnesses.
/// </summary>
public static class ReferenceOverlap
{
    public static bool Overlaps(Glob a, Glob b)
    {
        if (a.Namespace != b.Namespace)
        {
            return false;
        }

        foreach (Alternative x in a.Alternatives)
        {
            foreach (Alternative y in b.Alternatives)
            {
                if (Reachable(x.Cover, y.Cover))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static string? Witness(Glob a, Glob b)
    {
        if (a.Namespace != b.Namespace)
        {
            return null;
        }

        int order = string.CompareOrdinal(a.Pattern, b.Pattern);
        if (order > 0 || (order == 0 && a.Options > b.Options))
        {
            (a, b) = (b, a);
        }

        string? best = null;
        foreach (Alternative x in a.Alternatives)
        {
            foreach (Alternative y in b.Alternatives)
            {
                string? w = ShortestPath(x.Cover, y.Cover);
                if (w is not null && (best is null || w.Length < best.Length || (w.Length == best.Length && string.CompareOrdinal(w, best) < 0)))
                {
                    best = w;
                }
            }
        }

        return best;
    }

    private static int Name(Segment x, Segment y) => CommonName.Shortest(x, y, witness: null);

    /// <summary>The moves out of state (i, j): (target, consumes a segment).</summary>
    private static IEnumerable<(int I, int J, bool Consume)> Moves(Segment[] a, Segment[] b, int i, int j)
    {
        bool ga = i < a.Length && a[i].Kind == SegmentKind.Globstar;
        bool gb = j < b.Length && b[j].Kind == SegmentKind.Globstar;
        if (ga)
        {
            yield return (i + 1, j, false);
        }

        if (gb)
        {
            yield return (i, j + 1, false);
        }

        if (i < a.Length && j < b.Length && !(ga && gb))
        {
            yield return (ga ? i : i + 1, gb ? j : j + 1, true);
        }
    }

    private static bool Reachable(Segment[] a, Segment[] b)
    {
        var seen = new HashSet<(int, int)> { (0, 0) };
        var stack = new Stack<(int, int)>();
        stack.Push((0, 0));
        while (stack.Count > 0)
        {
            (int i, int j) = stack.Pop();
            if (i == a.Length && j == b.Length)
            {
                return true;
            }

            foreach ((int ti, int tj, bool consume) in Moves(a, b, i, j))
            {
                if (!seen.Contains((ti, tj)) && (!consume || Name(a[i], b[j]) >= 0))
                {
                    seen.Add((ti, tj));
                    stack.Push((ti, tj));
                }
            }
        }

        return false;
    }

    private static string? ShortestPath(Segment[] a, Segment[] b)
    {
        int width = b.Length + 1;
        int states = (a.Length + 1) * width;
        var dist = new int[states];
        var prev = new int[states];
        var consumed = new bool[states];
        Array.Fill(dist, int.MaxValue);
        var queue = new PriorityQueue<int, (int Cost, int Order)>();
        int order = 0;
        dist[0] = 0;
        prev[0] = -1;
        queue.Enqueue(0, (0, order++));
        int goal = states - 1;
        while (queue.TryDequeue(out int s, out (int Cost, int Order) key))
        {
            if (key.Cost != dist[s])
            {
                continue;
            }

            if (s == goal)
            {
                break;
            }

            int i = s / width, j = s % width;
            foreach ((int ti, int tj, bool consume) in Moves(a, b, i, j))
            {
                int cost = key.Cost;
                if (consume)
                {
                    int name = Name(a[i], b[j]);
                    if (name < 0)
                    {
                        continue;
                    }

                    cost += name + 1;
                }

                int t = (ti * width) + tj;
                if (cost < dist[t])
                {
                    dist[t] = cost;
                    prev[t] = s;
                    consumed[t] = consume;
                    queue.Enqueue(t, (cost, order++));
                }
            }
        }

        if (dist[goal] == int.MaxValue)
        {
            return null;
        }

        var steps = new List<int>();
        for (int s = goal; prev[s] >= 0; s = prev[s])
        {
            if (consumed[s])
            {
                steps.Add(prev[s]);
            }
        }

        steps.Reverse();
        var sb = new StringBuilder();
        foreach (int from in steps)
        {
            if (sb.Length > 0)
            {
                sb.Append('/');
            }

            CommonName.Shortest(a[from / width], b[from % width], sb);
        }

        return sb.ToString();
    }
}
