using System.Buffers;
using System.Text;

namespace ClaimGraph.Globs;

/// <summary>
/// Exact overlap of two patterns' coverages as a product automaton at two levels. Across segments: pairs of
/// positions in the two cover sequences, where a globstar is a self-loop plus an empty step. Within a segment:
/// pairs of token positions plus a four-state flag that rules out the empty name and the names <c>.</c> and
/// <c>..</c>. Reachability answers <see cref="Overlaps"/>; Dijkstra (segments) over 0-1 BFS (characters) gives the
/// shortest witness. O(|a|·|b|) per pair of brace alternatives; no exponential case.
/// </summary>
internal static class GlobOverlap
{
    private static readonly Token[] StarTokens = [new Token(TokenKind.Star, '\0', null)];

    /// <summary>Characters tried first when any of several characters would do, so witnesses read naturally.</summary>
    private const string Preferred = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_-";

    public static bool Overlaps(Glob a, Glob b)
    {
        if (!string.Equals(a.Namespace, b.Namespace, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (Alternative x in a.Alternatives)
        {
            foreach (Alternative y in b.Alternatives)
            {
                if (CoversIntersect(x.Cover, y.Cover))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static string? Witness(Glob a, Glob b)
    {
        if (!string.Equals(a.Namespace, b.Namespace, StringComparison.Ordinal))
        {
            return null;
        }

        // Canonical argument order makes the witness symmetric.
        if (Compare(a, b) > 0)
        {
            (a, b) = (b, a);
        }

        string? best = null;
        foreach (Alternative x in a.Alternatives)
        {
            foreach (Alternative y in b.Alternatives)
            {
                string? w = ShortestCommonPath(x.Cover, y.Cover);
                if (w is not null && (best is null || w.Length < best.Length || (w.Length == best.Length && string.CompareOrdinal(w, best) < 0)))
                {
                    best = w;
                }
            }
        }

        return best;
    }

    private static int Compare(Glob a, Glob b)
    {
        int c = string.CompareOrdinal(a.Pattern, b.Pattern);
        return c != 0 ? c : ((int)a.Options).CompareTo((int)b.Options);
    }

    // ---------------------------------------------------------------- segment level

    private static bool CoversIntersect(Segment[] a, Segment[] b)
    {
        int na = a.Length, nb = b.Length;
        int width = nb + 1;
        int states = (na + 1) * width;
        int[]? rentedStack = null;
        bool[]? rentedSeen = null;
        Span<int> stack = states <= 256 ? stackalloc int[states] : (rentedStack = ArrayPool<int>.Shared.Rent(states));
        Span<bool> seen = states <= 256 ? stackalloc bool[states] : (rentedSeen = ArrayPool<bool>.Shared.Rent(states));
        seen[..states].Clear();
        try
        {
            int top = 0;
            stack[top++] = 0;
            seen[0] = true;
            while (top > 0)
            {
                int s = stack[--top];
                int i = s / width, j = s % width;
                if (i == na && j == nb)
                {
                    return true;
                }

                bool ga = i < na && a[i].Kind == SegmentKind.Globstar;
                bool gb = j < nb && b[j].Kind == SegmentKind.Globstar;
                if (ga)
                {
                    Push(stack, seen, ref top, s + width);
                }

                if (gb)
                {
                    Push(stack, seen, ref top, s + 1);
                }

                if (i < na && j < nb && !(ga && gb))
                {
                    int target = ((ga ? i : i + 1) * width) + (gb ? j : j + 1);
                    if (!seen[target] && SegmentsIntersect(a[i], b[j]))
                    {
                        Push(stack, seen, ref top, target);
                    }
                }
            }

            return false;
        }
        finally
        {
            if (rentedStack is not null)
            {
                ArrayPool<int>.Shared.Return(rentedStack);
            }

            if (rentedSeen is not null)
            {
                ArrayPool<bool>.Shared.Return(rentedSeen);
            }
        }
    }

    private static void Push(Span<int> stack, Span<bool> seen, ref int top, int state)
    {
        if (!seen[state])
        {
            seen[state] = true;
            stack[top++] = state;
        }
    }

    private static bool IsAny(Segment s) => s.Kind is SegmentKind.Globstar or SegmentKind.AnyName;

    /// <summary>Whether some valid path segment matches both segment patterns.</summary>
    private static bool SegmentsIntersect(Segment a, Segment b)
    {
        if (a.Kind == SegmentKind.Literal && !a.IgnoreCase)
        {
            return a.LiteralIsValidName && b.Matches(a.Literal);
        }

        if (b.Kind == SegmentKind.Literal && !b.IgnoreCase)
        {
            return b.LiteralIsValidName && a.Matches(b.Literal);
        }

        if (a.Kind == SegmentKind.Literal && b.Kind == SegmentKind.Literal)
        {
            return a.LiteralIsValidName && a.Literal.Length == b.Literal.Length && Segment.EqualChars(a.Literal, b.Literal, ignoreCase: true);
        }

        if (IsAny(a) && IsAny(b))
        {
            return true;
        }

        // Against any name, the question is whether the other segment matches some valid name: cached per segment.
        if (IsAny(a))
        {
            return b.MatchesSomeValidName;
        }

        if (IsAny(b))
        {
            return a.MatchesSomeValidName;
        }

        return ShortestCommonName(a, b, witness: null) >= 0;
    }

    /// <summary>Dijkstra over segment-position pairs; edge cost is the shortest common name plus its separator.</summary>
    private static string? ShortestCommonPath(Segment[] a, Segment[] b)
    {
        int na = a.Length, nb = b.Length;
        int width = nb + 1;
        int states = (na + 1) * width;
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
            bool ga = i < na && a[i].Kind == SegmentKind.Globstar;
            bool gb = j < nb && b[j].Kind == SegmentKind.Globstar;
            if (ga)
            {
                Relax(s, s + width, key.Cost, consume: false);
            }

            if (gb)
            {
                Relax(s, s + 1, key.Cost, consume: false);
            }

            if (i < na && j < nb && !(ga && gb))
            {
                int target = ((ga ? i : i + 1) * width) + (gb ? j : j + 1);
                int name = ShortestCommonName(a[i], b[j], witness: null);
                if (name >= 0)
                {
                    Relax(s, target, key.Cost + name + 1, consume: true);
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

            ShortestCommonName(a[from / width], b[from % width], sb);
        }

        return sb.ToString();

        void Relax(int from, int to, int cost, bool consume)
        {
            if (cost < dist[to])
            {
                dist[to] = cost;
                prev[to] = from;
                consumed[to] = consume;
                queue.Enqueue(to, (cost, order++));
            }
        }
    }

    // ---------------------------------------------------------------- character level

    /// <summary>
    /// The length of the shortest valid name matched by both segments, or -1. When <paramref name="witness"/> is
    /// given, that name is appended to it. 0-1 BFS over (token position in a, token position in b, name flag).
    /// </summary>
    internal static int ShortestCommonName(Segment a, Segment b, StringBuilder? witness)
    {
        Token[] ta = IsAny(a) ? StarTokens : a.Tokens;
        Token[] tb = IsAny(b) ? StarTokens : b.Tokens;
        bool ia = a.IgnoreCase, ib = b.IgnoreCase;
        int ma = ta.Length, mb = tb.Length;
        int states = (ma + 1) * (mb + 1) * 4;
        int[] dist = ArrayPool<int>.Shared.Rent(states);
        int[] deque = ArrayPool<int>.Shared.Rent(2 * states + 2);
        int[]? prev = witness is null ? null : ArrayPool<int>.Shared.Rent(states);
        char[]? via = witness is null ? null : ArrayPool<char>.Shared.Rent(states);
        try
        {
            dist.AsSpan(0, states).Fill(int.MaxValue);

            // The deque lives in the middle of its buffer so that both ends can grow.
            int head = states + 1, tail = states + 1;
            dist[0] = 0;
            deque[tail++] = 0;
            int found = -1;
            while (head < tail)
            {
                int s = deque[head++];
                int d = dist[s];
                int f = s & 3;
                int pq = s >> 2;
                int p = pq / (mb + 1), q = pq % (mb + 1);
                if (p == ma && q == mb && f == 3)
                {
                    found = s;
                    break;
                }

                // Empty steps past a star.
                if (p < ma && ta[p].Kind == TokenKind.Star)
                {
                    Visit(s, Index(p + 1, q, f), d, '\0');
                }

                if (q < mb && tb[q].Kind == TokenKind.Star)
                {
                    Visit(s, Index(p, q + 1, f), d, '\0');
                }

                if (p < ma && q < mb)
                {
                    ref readonly Token x = ref ta[p];
                    ref readonly Token y = ref tb[q];
                    int np = x.Kind == TokenKind.Star ? p : p + 1;
                    int nq = y.Kind == TokenKind.Star ? q : q + 1;
                    if (Segment.TokenMatches(x, '.', ia) && Segment.TokenMatches(y, '.', ib))
                    {
                        Visit(s, Index(np, nq, f == 0 ? 1 : f == 1 ? 2 : 3), d + 1, '.');
                    }

                    char c = FindChar(x, ia, y, ib);
                    if (c != '\0')
                    {
                        Visit(s, Index(np, nq, 3), d + 1, c);
                    }
                }
            }

            if (found < 0)
            {
                return -1;
            }

            if (witness is not null)
            {
                var chars = new List<char>();
                for (int s = found; s != 0; s = prev![s])
                {
                    if (via![s] != '\0')
                    {
                        chars.Add(via[s]);
                    }
                }

                chars.Reverse();
                foreach (char ch in chars)
                {
                    witness.Append(ch);
                }
            }

            return dist[found];

            void Visit(int from, int to, int cost, char c)
            {
                if (cost >= dist[to])
                {
                    return;
                }

                dist[to] = cost;
                if (prev is not null)
                {
                    prev[to] = from;
                    via![to] = c;
                }

                if (c == '\0')
                {
                    deque[--head] = to;
                }
                else
                {
                    deque[tail++] = to;
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(dist);
            ArrayPool<int>.Shared.Return(deque);
            if (prev is not null)
            {
                ArrayPool<int>.Shared.Return(prev);
                ArrayPool<char>.Shared.Return(via!);
            }
        }

        int Index(int p, int q, int f) => ((p * (mb + 1) + q) << 2) | f;
    }

    /// <summary>A character other than '.', '/', NUL and '\' that both tokens accept, or NUL if there is none.</summary>
    private static char FindChar(in Token x, bool ix, in Token y, bool iy)
    {
        if (x.Kind == TokenKind.Char)
        {
            return FirstAccepted(x.C, ix, y, iy);
        }

        if (y.Kind == TokenKind.Char)
        {
            return FirstAccepted(y.C, iy, x, ix);
        }

        foreach (char c in Preferred)
        {
            if (Usable(c) && Segment.TokenMatches(x, c, ix) && Segment.TokenMatches(y, c, iy))
            {
                return c;
            }
        }

        // Exhaustive and in a fixed order: printable first, then control characters, then lone surrogates.
        for (int pass = 0; pass < 3; pass++)
        {
            int from = pass == 0 ? 0x20 : pass == 1 ? 0x01 : 0xD800;
            int to = pass == 0 ? 0xFFFF : pass == 1 ? 0x1F : 0xDFFF;
            for (int i = from; i <= to; i++)
            {
                if (pass == 0 && i is >= 0xD800 and <= 0xDFFF)
                {
                    continue;
                }

                char c = (char)i;
                if (Usable(c) && Segment.TokenMatches(x, c, ix) && Segment.TokenMatches(y, c, iy))
                {
                    return c;
                }
            }
        }

        return '\0';
    }

    private static char FirstAccepted(char literal, bool ignoreCase, in Token other, bool otherIgnoreCase)
    {
        if (!ignoreCase)
        {
            return Usable(literal) && Segment.TokenMatches(other, literal, otherIgnoreCase) ? literal : '\0';
        }

        if (Usable(literal) && Segment.TokenMatches(other, literal, otherIgnoreCase))
        {
            return literal;
        }

        foreach (char c in CaseFolding.Relatives(literal))
        {
            if (Usable(c) && Segment.TokenMatches(other, c, otherIgnoreCase))
            {
                return c;
            }
        }

        return '\0';
    }

    private static bool Usable(char c) => c is not ('.' or '/' or '\0' or '\\');
}
