namespace ClaimGraph.Globs;

/// <summary>
/// The one automaton every glob search runs, at both of its levels. A compiled pattern is a sequence of items, each of
/// which either consumes one symbol it accepts or is a star that loops on any symbol and may be skipped. Across
/// segments the symbols are path names, the items <see cref="Segment"/>s and the stars globstars (<c>**</c>); within a
/// segment the symbols are characters, the items <see cref="Token"/>s and the stars <c>*</c>. Position <c>i</c> waits
/// before item <c>i</c>; the position after the last item accepts.
/// </summary>
/// <remarks>
/// <para>
/// Several sequences are laid out one after another in one bit space, each taking its length plus one positions, so a
/// set of live positions is a bit set and one symbol advances all of them at once (<see cref="Step(ulong, ulong, ulong)"/>).
/// Two stars are never adjacent (the parser merges <c>**/**</c> and refuses <c>***</c>), and an accepting position is
/// never a star, so the closure under star skips is a single shift and never spills into the next sequence.
/// </para>
/// <para>
/// The searches over it: <see cref="CommonName"/> and <see cref="CommonPath"/> explore the product of two sequences
/// position by position (a star is a self-loop plus an empty step), which is polynomial and finds shortest common
/// names and paths for <see cref="GlobOverlap"/>; <see cref="NameSignatures"/> and <see cref="ExclusionProduct"/> run
/// the subset construction on many sequences at once (needed when some must <em>not</em> match, as exclusions must
/// not), under a budget; the index's cover walker runs the subset construction of one query over trie keys.
/// </para>
/// </remarks>
internal static class SequenceAutomaton
{
    /// <summary>The 64-bit words a set of <paramref name="positions"/> positions takes.</summary>
    public static int Words(int positions) => (positions + 63) >> 6;

    /// <summary>Whether position <paramref name="i"/> is in the set.</summary>
    public static bool Has(ReadOnlySpan<ulong> set, int i) => (set[i >> 6] & (1UL << (i & 63))) != 0;

    /// <summary>Adds position <paramref name="i"/> to the set.</summary>
    public static void Add(Span<ulong> set, int i) => set[i >> 6] |= 1UL << (i & 63);

    /// <summary>The closure of <paramref name="state"/> under star skips: a live star also makes the position after it live.</summary>
    public static ulong Close(ulong state, ulong stars) => state | ((state & stars) << 1);

    /// <summary><see cref="Close(ulong, ulong)"/> over several words.</summary>
    public static void Close(Span<ulong> state, ReadOnlySpan<ulong> stars)
    {
        ulong carry = 0;
        for (int w = 0; w < state.Length; w++)
        {
            ulong live = state[w] & stars[w];
            state[w] |= (live << 1) | carry;
            carry = live >> 63;
        }
    }

    /// <summary>
    /// The live positions after one symbol: live stars stay, the positions in <paramref name="advanced"/> (live items
    /// other than stars that accept the symbol) move past their item, accepting positions drop out; then the closure.
    /// </summary>
    public static ulong Step(ulong state, ulong advanced, ulong stars) => Close((state & stars) | (advanced << 1), stars);

    /// <summary><see cref="Step(ulong, ulong, ulong)"/> over several words, into <paramref name="next"/>.</summary>
    public static void Step(ReadOnlySpan<ulong> state, ReadOnlySpan<ulong> advanced, ReadOnlySpan<ulong> stars, Span<ulong> next)
    {
        ulong carry = 0;
        for (int w = 0; w < next.Length; w++)
        {
            next[w] = (state[w] & stars[w]) | (advanced[w] << 1) | carry;
            carry = advanced[w] >> 63;
        }

        Close(next, stars);
    }

    /// <summary>
    /// The number of positions the cover sequences of <paramref name="alternatives"/> take: each cover's length plus one.
    /// </summary>
    public static int CoverPositions(ReadOnlySpan<Alternative> alternatives)
    {
        int total = 0;
        foreach (Alternative alt in alternatives)
        {
            total += alt.Cover.Length + 1;
        }

        return total;
    }

    /// <summary>
    /// Lays the cover sequences of <paramref name="alternatives"/> out from position <paramref name="offset"/> and returns
    /// the position after them: the segment waiting at each position (null at an accepting one), the start, accepting and
    /// globstar positions, and, when <paramref name="satisfiable"/> is not empty, the positions from which the rest of
    /// the sequence accepts some path (<see cref="AcceptsSomePath"/>). The start positions are not closed.
    /// </summary>
    public static int LayCovers(
        ReadOnlySpan<Alternative> alternatives,
        int offset,
        Span<Segment?> segmentAt,
        Span<ulong> start,
        Span<ulong> accept,
        Span<ulong> globstars,
        Span<ulong> satisfiable)
    {
        int b = offset;
        foreach (Alternative alt in alternatives)
        {
            Segment[] cover = alt.Cover;
            Add(start, b);
            Add(accept, b + cover.Length);
            bool rest = true;
            if (!satisfiable.IsEmpty)
            {
                Add(satisfiable, b + cover.Length);
            }

            for (int i = cover.Length - 1; i >= 0; i--)
            {
                Segment s = cover[i];
                segmentAt[b + i] = s;
                if (s.Kind == SegmentKind.Globstar)
                {
                    Add(globstars, b + i);
                }

                if (!satisfiable.IsEmpty)
                {
                    rest &= s.MatchesSomeValidName;
                    if (rest)
                    {
                        Add(satisfiable, b + i);
                    }
                }
            }

            b += cover.Length + 1;
        }

        return b;
    }

    /// <summary>
    /// Whether the segments from <paramref name="from"/> on accept some path: each matches some valid name (a globstar
    /// matches the empty sequence too). A cover sequence ends with a globstar, so it then accepts a non-empty path too.
    /// </summary>
    public static bool AcceptsSomePath(ReadOnlySpan<Segment> segments, int from)
    {
        for (int i = from; i < segments.Length; i++)
        {
            if (!segments[i].MatchesSomeValidName)
            {
                return false;
            }
        }

        return true;
    }
}
