using System.Numerics;
using ClaimGraph.Globs;

namespace ClaimGraph.Index;

/// <summary>
/// A queried pattern's cover automaton (<see cref="SequenceAutomaton"/>, all of its alternatives in at most 64
/// positions, so a state is one word) run over literal trie keys. A key that some segment at a live position may match
/// advances it; a globstar keeps its position. The walk is sound: for any stored literal prefix that can begin a path
/// the query covers, the state stays non-zero.
/// </summary>
internal sealed class CoverWalker
{
    private readonly Segment?[] _segment;   // per position: the segment waiting there, null at an alternative's end
    private readonly ulong _accept;
    private readonly ulong _globstars;
    private readonly ulong _satisfiable; // positions from which the rest of the alternative can match some path

    private CoverWalker(Segment?[] segment, ulong start, ulong accept, ulong globstars, ulong satisfiable)
    {
        _segment = segment;
        _accept = accept;
        _globstars = globstars;
        _satisfiable = satisfiable;
        Start = SequenceAutomaton.Close(start, globstars);
    }

    public ulong Start { get; }

    /// <summary>The walker for <paramref name="query"/>, or null when it has more than 64 positions.</summary>
    public static CoverWalker? TryCreate(Glob query)
    {
        int total = SequenceAutomaton.CoverPositions(query.Alternatives);
        if (total > 64)
        {
            return null;
        }

        var segment = new Segment?[total];
        ulong start = 0, accept = 0, globstars = 0, satisfiable = 0;
        SequenceAutomaton.LayCovers(
            query.Alternatives,
            0,
            segment,
            new Span<ulong>(ref start),
            new Span<ulong>(ref accept),
            new Span<ulong>(ref globstars),
            new Span<ulong>(ref satisfiable));
        return new CoverWalker(segment, start, accept, globstars, satisfiable);
    }

    /// <summary>Whether the segments from <paramref name="from"/> on can match some path (each some valid name).</summary>
    public static bool CanMatchAll(ReadOnlySpan<Segment> segments, int from) => SequenceAutomaton.AcceptsSomePath(segments, from);

    /// <summary>
    /// Whether, after the walked literal path <c>K</c> led to <paramref name="state"/> (through exact keys), the query
    /// covers <c>K</c> itself or some path below it: it has matched a whole path, or a live position can still be
    /// completed.
    /// </summary>
    public bool CoversAtOrBelow(ulong state) => (state & _satisfiable) != 0;

    /// <summary>Whether the query has matched a whole path: everything below is covered.</summary>
    public bool Accepting(ulong state) => (state & _accept) != 0;

    /// <summary>Whether a globstar is live (every key advances the state).</summary>
    public bool AnyGlobstar(ulong state) => (state & _globstars) != 0;

    /// <summary>
    /// The literal that the segment at <paramref name="position"/> requires of an exact key; false when that segment
    /// could match several keys. For folded keys, any literal segment qualifies (its folded text is the key).
    /// </summary>
    public bool TryGetLiteral(int position, bool folded, out SegmentText literal)
    {
        Segment? s = _segment[position];
        if (s is not null && s.Kind == SegmentKind.Literal && (folded || !s.IgnoreCase))
        {
            literal = s.LiteralText;
            return true;
        }

        literal = default;
        return false;
    }

    /// <summary>Whether a live globstar or a non-literal segment (see <see cref="TryGetLiteral"/>) forces a visit of every child.</summary>
    public bool NeedsAllChildren(ulong state, bool folded)
    {
        if (AnyGlobstar(state))
        {
            return true;
        }

        for (ulong rest = state & ~_accept; rest != 0; rest &= rest - 1)
        {
            if (!TryGetLiteral(BitOperations.TrailingZeroCount(rest), folded, out _))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The state after a path segment named by trie key <paramref name="key"/> (exact, or upper-case folded).</summary>
    public ulong Step(ulong state, SegmentText key, bool folded)
    {
        ulong advanced = 0;
        for (ulong rest = state & ~_accept & ~_globstars; rest != 0; rest &= rest - 1)
        {
            int b = BitOperations.TrailingZeroCount(rest);
            Segment s = _segment[b]!;
            if (folded ? MayMatchFolded(s, key.Span) : s.Matches(key.Span))
            {
                advanced |= 1UL << b;
            }
        }

        return SequenceAutomaton.Step(state, advanced, _globstars);
    }

    /// <summary>
    /// Whether <paramref name="s"/> may match some name whose per-character upper-case form is <paramref name="key"/>.
    /// Exact for ignore-case segments (their match is invariant under case) and for literals; otherwise "maybe".
    /// </summary>
    private static bool MayMatchFolded(Segment s, ReadOnlySpan<char> key)
    {
        if (s.IgnoreCase)
        {
            return s.Matches(key);
        }

        return s.Kind != SegmentKind.Literal || KeyFolding.FoldsTo(s.Literal, key);
    }
}

/// <summary>Folding of trie keys for ignore-case entries: per UTF-16 code unit <see cref="char.ToUpperInvariant(char)"/>, as <see cref="GlobOptions.IgnoreCase"/> compares.</summary>
internal static class KeyFolding
{
    /// <summary>The folded key: the same slice when folding changes nothing, else a new string.</summary>
    public static SegmentText Fold(SegmentText s)
    {
        foreach (char c in s.Span)
        {
            if (char.ToUpperInvariant(c) != c)
            {
                return new SegmentText(string.Create(s.Length, s, static (span, text) =>
                {
                    ReadOnlySpan<char> source = text.Span;
                    for (int i = 0; i < source.Length; i++)
                    {
                        span[i] = char.ToUpperInvariant(source[i]);
                    }
                }));
            }
        }

        return s;
    }

    /// <summary>Whether folding <paramref name="text"/> gives <paramref name="folded"/> (allocates nothing).</summary>
    public static bool FoldsTo(ReadOnlySpan<char> text, ReadOnlySpan<char> folded)
    {
        if (text.Length != folded.Length)
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            if (char.ToUpperInvariant(text[i]) != folded[i])
            {
                return false;
            }
        }

        return true;
    }
}
