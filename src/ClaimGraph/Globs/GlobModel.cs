namespace ClaimGraph.Globs;

/// <summary>What a compiled token matches: one character, or (for <see cref="Star"/>) any run of characters.</summary>
internal enum TokenKind : byte
{
    /// <summary>One literal character.</summary>
    Char,

    /// <summary><c>?</c>: exactly one character.</summary>
    Any,

    /// <summary><c>*</c>: zero or more characters.</summary>
    Star,

    /// <summary><c>[...]</c>: one character of (or not of) a set.</summary>
    Set,
}

/// <summary>A character set: ranges, negation and the case option of its pattern.</summary>
internal sealed class CharSet
{
    public CharSet(char[] low, char[] high, bool negated, bool ignoreCase)
    {
        Low = low;
        High = high;
        Negated = negated;
        IgnoreCase = ignoreCase;
    }

    public char[] Low { get; }

    public char[] High { get; }

    public bool Negated { get; }

    public bool IgnoreCase { get; }

    private bool InRanges(char c)
    {
        char[] low = Low, high = High;
        for (int i = 0; i < low.Length; i++)
        {
            if (c >= low[i] && c <= high[i])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the set matches <paramref name="c"/> (never for <c>/</c>).</summary>
    public bool Matches(char c)
    {
        if (c == '/')
        {
            return false;
        }

        bool hit;
        if (!IgnoreCase)
        {
            hit = InRanges(c);
        }
        else
        {
            hit = InRangesAnyRelative(c);
        }

        return hit != Negated;
    }

    private bool InRangesAnyRelative(char c)
    {
        ReadOnlySpan<char> relatives = CaseFolding.Relatives(c);
        foreach (char r in relatives)
        {
            if (InRanges(r))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>One compiled token of a segment pattern.</summary>
internal readonly struct Token
{
    public Token(TokenKind kind, char c, CharSet? set)
    {
        Kind = kind;
        C = c;
        Set = set;
    }

    public TokenKind Kind { get; }

    public char C { get; }

    public CharSet? Set { get; }
}

/// <summary>How a segment is matched; the special shapes have fast paths.</summary>
internal enum SegmentKind : byte
{
    /// <summary><c>**</c>: zero or more whole segments.</summary>
    Globstar,

    /// <summary>Exactly one literal name.</summary>
    Literal,

    /// <summary><c>*</c> alone: any one segment.</summary>
    AnyName,

    /// <summary><c>*literal</c>: any name ending in the literal.</summary>
    Suffix,

    /// <summary><c>literal*</c>: any name starting with the literal.</summary>
    Prefix,

    /// <summary>Anything else: a token sequence.</summary>
    General,
}

/// <summary>A compiled segment of a pattern.</summary>
internal sealed class Segment
{
    public static readonly Segment Globstar = new(SegmentKind.Globstar, string.Empty, [], ignoreCase: false);

    /// <summary>0 until <see cref="MatchesSomeValidName"/> is computed, then 1 (yes) or 2 (no).</summary>
    private int _validNameState;

    public Segment(SegmentKind kind, string literal, Token[] tokens, bool ignoreCase)
    {
        Kind = kind;
        Literal = literal;
        Tokens = tokens;
        IgnoreCase = ignoreCase;
        int min = 0;
        foreach (Token t in tokens)
        {
            if (t.Kind != TokenKind.Star)
            {
                min++;
            }
        }

        MinLength = min;
    }

    public SegmentKind Kind { get; }

    /// <summary>For <see cref="SegmentKind.Literal"/>, <see cref="SegmentKind.Prefix"/> and <see cref="SegmentKind.Suffix"/>: the literal part.</summary>
    public string Literal { get; }

    /// <summary>The full token sequence (empty for <see cref="SegmentKind.Globstar"/>).</summary>
    public Token[] Tokens { get; }

    public bool IgnoreCase { get; }

    /// <summary>The number of non-star tokens: the shortest name the tokens could match.</summary>
    public int MinLength { get; }

    /// <summary>
    /// Whether some valid path segment (not empty, <c>.</c> or <c>..</c>, without <c>\</c>) matches this segment. Computed on
    /// first use and cached; the race between threads is benign because every thread computes the same value.
    /// </summary>
    public bool MatchesSomeValidName
    {
        get
        {
            int state = _validNameState;
            if (state == 0)
            {
                state = ComputeMatchesSomeValidName() ? 1 : 2;
                _validNameState = state;
            }

            return state == 1;
        }
    }

    private bool ComputeMatchesSomeValidName() => Kind switch
    {
        SegmentKind.Globstar or SegmentKind.AnyName => true,

        // The star can always add a character other than '.', so the name is never '.' or '..' ('.*' gives '.a').
        SegmentKind.Prefix or SegmentKind.Suffix or SegmentKind.Literal => LiteralIsValidName,
        _ => GlobOverlap.ShortestCommonName(Globstar, this, witness: null) >= 0,
    };

    /// <summary>Whether a literal segment is itself a valid path segment (it has no <c>\</c>).</summary>
    public bool LiteralIsValidName => Literal.Length > 0 && !Literal.Contains('\\', StringComparison.Ordinal);

    /// <summary>Equal lengths assumed. Ordinal, or per-code-unit ignore-case as <see cref="CaseFolding"/> defines it.</summary>
    internal static bool EqualChars(ReadOnlySpan<char> a, ReadOnlySpan<char> b, bool ignoreCase)
    {
        if (!ignoreCase)
        {
            return a.SequenceEqual(b);
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i] && !CaseFolding.EqualsIgnoreCase(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether this (non-globstar) segment matches one path segment <paramref name="name"/>.</summary>
    public bool Matches(ReadOnlySpan<char> name)
    {
        switch (Kind)
        {
            case SegmentKind.Globstar:
            case SegmentKind.AnyName:
                return true;
            case SegmentKind.Literal:
                return name.Length == Literal.Length && EqualChars(name, Literal, IgnoreCase);
            case SegmentKind.Suffix:
                return name.Length >= Literal.Length && EqualChars(name[(name.Length - Literal.Length)..], Literal, IgnoreCase);
            case SegmentKind.Prefix:
                return name.Length >= Literal.Length && EqualChars(name[..Literal.Length], Literal, IgnoreCase);
            default:
                return MatchTokens(Tokens, name, IgnoreCase);
        }
    }

    internal static bool TokenMatches(in Token t, char c, bool ignoreCase)
    {
        switch (t.Kind)
        {
            case TokenKind.Char:
                return c == t.C || (ignoreCase && CaseFolding.EqualsIgnoreCase(c, t.C));
            case TokenKind.Any:
                return c != '/';
            case TokenKind.Set:
                return t.Set!.Matches(c);
            default:
                return true;
        }
    }

    /// <summary>Classic single-star backtracking: exact because every non-star token consumes exactly one character.</summary>
    private static bool MatchTokens(Token[] tokens, ReadOnlySpan<char> name, bool ignoreCase)
    {
        int t = 0, n = 0, starT = -1, starN = 0;
        while (n < name.Length)
        {
            if (t < tokens.Length)
            {
                ref readonly Token tok = ref tokens[t];
                if (tok.Kind == TokenKind.Star)
                {
                    starT = t++;
                    starN = n;
                    continue;
                }

                if (TokenMatches(tok, name[n], ignoreCase))
                {
                    t++;
                    n++;
                    continue;
                }
            }

            if (starT < 0)
            {
                return false;
            }

            t = starT + 1;
            n = ++starN;
        }

        while (t < tokens.Length && tokens[t].Kind == TokenKind.Star)
        {
            t++;
        }

        return t == tokens.Length;
    }
}

/// <summary>
/// One brace-free alternative of a pattern, compiled. <see cref="Match"/> is the segment sequence whose
/// language is the paths the alternative matches (a trailing <c>**</c> already rewritten as <c>*/**</c>, so every
/// globstar here means zero or more segments); <see cref="Cover"/> is the same followed by a globstar: the paths it covers.
/// </summary>
internal sealed class Alternative
{
    public Alternative(Segment[] match)
    {
        Match = match;
        var cover = new Segment[match.Length + 1];
        match.CopyTo(cover, 0);
        cover[^1] = Segment.Globstar;
        Cover = match.Length > 0 && match[^1].Kind == SegmentKind.Globstar ? match : cover;
    }

    public Segment[] Match { get; }

    public Segment[] Cover { get; }
}
