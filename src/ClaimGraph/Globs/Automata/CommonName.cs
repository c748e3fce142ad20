using System.Buffers;
using System.Text;

namespace ClaimGraph.Globs;

/// <summary>
/// The shortest valid name two segments both match: a 0-1 breadth-first search over the product of their token
/// sequences (<see cref="SequenceAutomaton"/> at the character level), state (token position in a, token position in
/// b, <see cref="NameRules"/> flag). A star is a self-loop plus an empty step; a step that consumes a character costs
/// one. O(|a|·|b|) states; ties go to the state queued first, so the name is deterministic.
/// </summary>
internal static class CommonName
{
    private static readonly Token[] StarTokens = [new Token(TokenKind.Star, '\0', null)];


    /// <summary>
    /// The length of the shortest valid name matched by both segments, or -1. When <paramref name="witness"/> is given,
    /// that name is appended to it.
    /// </summary>
    public static int Shortest(Segment a, Segment b, StringBuilder? witness)
    {
        int length = Search(a, b, record: false, destination: default);
        if (witness is null || length < 0)
        {
            return length;
        }

        char[] chars = ArrayPool<char>.Shared.Rent(length);
        Search(a, b, record: true, chars.AsSpan(0, length));
        witness.Append(chars, 0, length);
        ArrayPool<char>.Shared.Return(chars);
        return length;
    }

    /// <summary>
    /// <see cref="Shortest"/>'s length, without the search where the answer is plain: a case-sensitive literal is the
    /// only name it matches; any name against any name is one letter; any name against a literal, prefix or suffix is
    /// that literal, plus a letter when the literal is <c>.</c> or <c>..</c>.
    /// </summary>
    public static int Length(Segment a, Segment b)
    {
        if (a.Kind == SegmentKind.Literal && !a.IgnoreCase)
        {
            return a.LiteralIsValidName && b.Matches(a.Literal) ? a.Literal.Length : -1;
        }

        if (b.Kind == SegmentKind.Literal && !b.IgnoreCase)
        {
            return b.LiteralIsValidName && a.Matches(b.Literal) ? b.Literal.Length : -1;
        }

        if (a.IsAnyName && b.IsAnyName)
        {
            return 1;
        }

        if ((a.IsAnyName && b.IsAffix) || (b.IsAnyName && a.IsAffix))
        {
            ReadOnlySpan<char> literal = a.IsAnyName ? b.Literal : a.Literal;
            return !literal.Contains('\\') ? literal.Length + (literal is "." or ".." ? 1 : 0) : -1;
        }

        return Search(a, b, record: false, destination: default);
    }

    /// <summary>Writes the name <see cref="Shortest"/> finds into <paramref name="destination"/>, which has its length.</summary>
    public static void Write(Segment a, Segment b, Span<char> destination)
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
        else if (a.IsAnyName && b.IsAnyName)
        {
            // The search tries letters in the preferred order, so any name against any name is its first letter.
            destination[0] = NameRules.Preferred[0];
        }
        else
        {
            Search(a, b, record: true, destination);
        }
    }

    /// <summary>
    /// The search behind <see cref="Shortest"/>. When <paramref name="record"/> is set, the name found is written into
    /// <paramref name="destination"/>, which must have exactly its length.
    /// </summary>
    private static int Search(Segment a, Segment b, bool record, Span<char> destination)
    {
        Token[] ta = a.IsAnyName ? StarTokens : a.Tokens;
        Token[] tb = b.IsAnyName ? StarTokens : b.Tokens;
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
                if (p == ma && q == mb && f == NameRules.Valid)
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
                        Visit(s, Index(np, nq, NameRules.NextFlag(f, '.')), d + 1, '.');
                    }

                    char c = FindChar(x, ia, y, ib);
                    if (c != '\0')
                    {
                        Visit(s, Index(np, nq, NameRules.NextFlag(f, c)), d + 1, c);
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

    /// <summary>A plain name character (<see cref="NameRules.IsPlainNameChar"/>) that both tokens accept, or NUL if there is none.</summary>
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

        foreach (char c in NameRules.Preferred)
        {
            if (Accepted(c, x, ix, y, iy))
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

                if (Accepted((char)i, x, ix, y, iy))
                {
                    return (char)i;
                }
            }
        }

        return '\0';
    }

    private static bool Accepted(char c, in Token x, bool ix, in Token y, bool iy) =>
        NameRules.IsPlainNameChar(c) && Segment.TokenMatches(x, c, ix) && Segment.TokenMatches(y, c, iy);

    private static char FirstAccepted(char literal, bool ignoreCase, in Token other, bool otherIgnoreCase)
    {
        if (NameRules.IsPlainNameChar(literal) && Segment.TokenMatches(other, literal, otherIgnoreCase))
        {
            return literal;
        }

        if (!ignoreCase)
        {
            return '\0';
        }

        foreach (char c in CaseFolding.Relatives(literal))
        {
            if (NameRules.IsPlainNameChar(c) && Segment.TokenMatches(other, c, otherIgnoreCase))
            {
                return c;
            }
        }

        return '\0';
    }
}
