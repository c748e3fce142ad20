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
