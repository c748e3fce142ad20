using System.Buffers;
using System.Text;

namespace ClaimGraph.Globs;

/// <summary>
/// Exact overlap of two patterns' coverages. <see cref="Overlaps"/> walks the two cover sequences in step up to the
/// first globstar on either side and then only asks whether both remainders accept some path
/// (<see cref="CoversIntersect"/> says why that is exact). The witness is a shortest path in a product automaton at two
/// levels. Across segments: pairs of positions in the two cover sequences, where a globstar is a self-loop plus an
/// empty step. Within a segment: pairs of token positions plus a four-state flag that rules out the empty name and the
/// names <c>.</c> and <c>..</c>. Dijkstra (segments) over 0-1 BFS (characters) gives the shortest witness.
/// O(|a|·|b|) per pair of brace alternatives; no exponential case.
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
                // The overlap test is far cheaper than the shortest-path search and rules out disjoint pairs.
                string? w = CoversIntersect(x.Cover, y.Cover) ? ShortestCommonPath(x.Cover, y.Cover) : null;
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

    /// <summary>
    /// Whether the two cover sequences (each ending with a globstar) accept a common path. While neither side is at a
    /// globstar, both consume one segment per step, so the pair walks in step; at the first globstar on either side the
    /// answer is whether both remainders accept some path. Reason: say <c>a[k..] = ** R</c>; take a path <c>p</c> that
    /// <c>b[k..]</c> accepts and a path <c>r</c> that <c>R</c> accepts; <c>b[k..]</c> ends with a globstar, so it also
    /// accepts <c>p/r</c>, and in <c>a[k..]</c> the globstar absorbs <c>p</c>. No search of the product is needed.
    /// </summary>
    internal static bool CoversIntersect(Segment[] a, Segment[] b)
    {
        int k = 0;
        while (a[k].Kind != SegmentKind.Globstar && b[k].Kind != SegmentKind.Globstar)
        {
            // Both end with a globstar, so one is reached before either runs out.
            if (!SegmentsIntersect(a[k], b[k]))
            {
                return false;
            }

            k++;
        }

        return AcceptsSomePath(a, k) && AcceptsSomePath(b, k);
    }

    /// <summary>Whether the cover remainder <c>s[k..]</c> accepts some path: every segment matches some valid name. It ends
    /// with a globstar, so it then accepts a non-empty path too.</summary>
    private static bool AcceptsSomePath(Segment[] s, int k)
    {
        for (int i = k; i < s.Length; i++)
        {
            if (!s[i].MatchesSomeValidName)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAny(Segment s) => s.Kind is SegmentKind.Globstar or SegmentKind.AnyName;

    /// <summary>
    /// Whether some valid path segment matches both segment patterns. Literals, prefixes (<c>lit*</c>) and suffixes
    /// (<c>*lit</c>) are decided by comparing their literals; only other pairs need the character-level product. A
    /// character can equal both <c>x</c> and <c>y</c> (each under its own pattern's case option) exactly when <c>x</c> and
    /// <c>y</c> are equal under the looser of the two options, since ignore-case equality is an equivalence.
    /// </summary>
    internal static bool SegmentsIntersect(Segment a, Segment b)
    {
        if (IsAny(a))
        {
            return IsAny(b) || b.MatchesSomeValidName;
        }

        if (IsAny(b))
        {
            return a.MatchesSomeValidName;
        }

        if (a.Kind == SegmentKind.Literal && !a.IgnoreCase)
        {
            return a.LiteralIsValidName && b.Matches(a.Literal);
        }

        if (b.Kind == SegmentKind.Literal && !b.IgnoreCase)
        {
            return b.LiteralIsValidName && a.Matches(b.Literal);
        }

        if (IsAffix(a) && IsAffix(b))
        {
            return AffixesIntersect(a, b);
        }

        return ShortestCommonName(a, b, witness: null) >= 0;
    }

    private static bool IsAffix(Segment s) => s.Kind is SegmentKind.Literal or SegmentKind.Prefix or SegmentKind.Suffix;

    /// <summary>
    /// Two segments among literal, prefix and suffix. Their literals must be valid names (a <c>\</c> rules out every name;
    /// the parser rejects a literal <c>.</c> or <c>..</c>, and a star can always add a letter). Then: two literals must be
    /// equal; a literal must start (end) with a prefix (suffix); two prefixes (suffixes) must agree on their common length;
    /// a prefix and a suffix always meet (<c>P + "a" + S</c>).
    /// </summary>
    private static bool AffixesIntersect(Segment a, Segment b)
    {
        if (!a.LiteralIsValidName || !b.LiteralIsValidName)
        {
            return false;
        }

        if (b.Kind == SegmentKind.Literal && a.Kind != SegmentKind.Literal)
        {
            (a, b) = (b, a);
        }

        bool ignoreCase = a.IgnoreCase || b.IgnoreCase;
        ReadOnlySpan<char> x = a.Literal, y = b.Literal;
        switch (a.Kind, b.Kind)
        {
            case (SegmentKind.Literal, SegmentKind.Literal):
                return x.Length == y.Length && Segment.EqualChars(x, y, ignoreCase);
            case (SegmentKind.Literal, SegmentKind.Prefix):
                return x.Length >= y.Length && Segment.EqualChars(x.Slice(0, y.Length), y, ignoreCase);
            case (SegmentKind.Literal, _):
                return x.Length >= y.Length && Segment.EqualChars(x.Slice(x.Length - y.Length), y, ignoreCase);
            case (SegmentKind.Prefix, SegmentKind.Prefix):
                return x.Length <= y.Length
                    ? Segment.EqualChars(x, y.Slice(0, x.Length), ignoreCase)
                    : Segment.EqualChars(x.Slice(0, y.Length), y, ignoreCase);
            case (SegmentKind.Suffix, SegmentKind.Suffix):
                return x.Length <= y.Length
                    ? Segment.EqualChars(x, y.Slice(y.Length - x.Length), ignoreCase)
                    : Segment.EqualChars(x.Slice(x.Length - y.Length), y, ignoreCase);
            default:
                return true;
        }
    }

    /// <summary>
    /// Dijkstra over segment-position pairs; edge cost is the shortest common name plus its separator. Ties are broken by
    /// the order in which states were queued, so the witness is deterministic. The queue is a binary heap of packed
    /// (cost, order, state) keys, unique because the order is; states live on the stack for small patterns, in pooled
    /// arrays otherwise. Only the witness string is allocated.
    /// </summary>
    private static string? ShortestCommonPath(Segment[] a, Segment[] b)
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
                    int name = ShortestCommonNameLength(a[i], b[j]);
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
                    WriteShortestCommonName(a[from / width], b[from % width], text.Slice(end - name, name));
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

    /// <summary>
    /// <see cref="ShortestCommonName"/>'s length, without the character-level search where the answer is plain: a
    /// case-sensitive literal is the only name it matches; any name against any name is one letter; any name against a
    /// literal, prefix or suffix is that literal, plus a letter when the literal is <c>.</c> or <c>..</c>.
    /// </summary>
    internal static int ShortestCommonNameLength(Segment a, Segment b)
    {
        if (a.Kind == SegmentKind.Literal && !a.IgnoreCase)
        {
            return a.LiteralIsValidName && b.Matches(a.Literal) ? a.Literal.Length : -1;
        }

        if (b.Kind == SegmentKind.Literal && !b.IgnoreCase)
        {
            return b.LiteralIsValidName && a.Matches(b.Literal) ? b.Literal.Length : -1;
        }

        if (IsAny(a) && IsAny(b))
        {
            return 1;
        }

        if ((IsAny(a) && IsAffix(b)) || (IsAny(b) && IsAffix(a)))
        {
            ReadOnlySpan<char> literal = IsAny(a) ? b.Literal : a.Literal;
            return !literal.Contains('\\') ? literal.Length + (literal is "." or ".." ? 1 : 0) : -1;
        }

        return ShortestCommonName(a, b, witness: null);
    }

    /// <summary>Writes the name <see cref="ShortestCommonName"/> finds into <paramref name="destination"/>, which has its length.</summary>
    private static void WriteShortestCommonName(Segment a, Segment b, Span<char> destination)
    {
        // A case-sensitive literal is the only name it matches, so the search would find it.
        if (a.Kind == SegmentKind.Literal && !a.IgnoreCase)
        {
            a.Literal.CopyTo(destination);
        }
        else if (b.Kind == SegmentKind.Literal && !b.IgnoreCase)
        {
            b.Literal.CopyTo(destination);
        }
        else if (IsAny(a) && IsAny(b))
        {
            // The search tries letters in the order of Preferred, so any name against any name is its first letter.
            destination[0] = Preferred[0];
        }
        else
        {
            SearchCommonName(a, b, record: true, destination);
        }
    }

    // ---------------------------------------------------------------- character level

    /// <summary>
    /// The length of the shortest valid name matched by both segments, or -1. When <paramref name="witness"/> is
    /// given, that name is appended to it. 0-1 BFS over (token position in a, token position in b, name flag).
    /// </summary>
    internal static int ShortestCommonName(Segment a, Segment b, StringBuilder? witness)
    {
        int length = SearchCommonName(a, b, record: false, destination: default);
        if (witness is null || length < 0)
        {
            return length;
        }

        char[] chars = ArrayPool<char>.Shared.Rent(length);
        SearchCommonName(a, b, record: true, chars.AsSpan(0, length));
        witness.Append(chars, 0, length);
        ArrayPool<char>.Shared.Return(chars);
        return length;
    }

    /// <summary>
    /// The 0-1 BFS behind <see cref="ShortestCommonName"/>. When <paramref name="record"/> is set, the name found is written
    /// into <paramref name="destination"/>, which must have exactly its length.
    /// </summary>
    private static int SearchCommonName(Segment a, Segment b, bool record, Span<char> destination)
    {
        Token[] ta = IsAny(a) ? StarTokens : a.Tokens;
        Token[] tb = IsAny(b) ? StarTokens : b.Tokens;
        bool ia = a.IgnoreCase, ib = b.IgnoreCase;
        int ma = ta.Length, mb = tb.Length;
        int states = (ma + 1) * (mb + 1) * 4;
        int[] dist = ArrayPool<int>.Shared.Rent(states);
        int[] deque = ArrayPool<int>.Shared.Rent(2 * states + 2);
        int[]? prev = record ? ArrayPool<int>.Shared.Rent(states) : null;
        char[]? via = record ? ArrayPool<char>.Shared.Rent(states) : null;
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

            if (record)
            {
                int end = dist[found];
                for (int s = found; s != 0; s = prev![s])
                {
                    if (via![s] != '\0')
                    {
                        destination[--end] = via[s];
                    }
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
