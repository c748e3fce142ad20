using System.Numerics;

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
        // Literal, prefix and suffix segments are decided from Literal on every hot path; their token array (16 bytes a
        // character) is only needed by the character-level overlap search, so it is rebuilt from Literal on first use.
        _tokens = kind is SegmentKind.Literal or SegmentKind.Prefix or SegmentKind.Suffix ? null : tokens;
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
        LiteralIsValidName = literal.Length > 0 && !literal.Contains('\\', StringComparison.Ordinal);
    }

    public SegmentKind Kind { get; }

    /// <summary>For <see cref="SegmentKind.Literal"/>, <see cref="SegmentKind.Prefix"/> and <see cref="SegmentKind.Suffix"/>: the literal part.</summary>
    public string Literal { get; }

    /// <summary>The full token sequence (empty for <see cref="SegmentKind.Globstar"/>).</summary>
    /// <remarks>
    /// Built on first use for literal, prefix and suffix segments and cached; the race between threads is benign because
    /// every thread builds an equal array.
    /// </remarks>
    public Token[] Tokens => _tokens ??= LiteralTokens(Kind, Literal);

    private Token[]? _tokens;

    private static Token[] LiteralTokens(SegmentKind kind, string literal)
    {
        int star = kind is SegmentKind.Suffix or SegmentKind.Prefix ? 1 : 0;
        var tokens = new Token[literal.Length + star];
        int offset = kind == SegmentKind.Suffix ? 1 : 0;
        for (int i = 0; i < literal.Length; i++)
        {
            tokens[offset + i] = new Token(TokenKind.Char, literal[i], null);
        }

        if (kind == SegmentKind.Suffix)
        {
            tokens[0] = new Token(TokenKind.Star, '\0', null);
        }
        else if (kind == SegmentKind.Prefix)
        {
            tokens[^1] = new Token(TokenKind.Star, '\0', null);
        }

        return tokens;
    }

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

    /// <summary>Whether a literal segment is itself a valid path segment (it has no <c>\</c>). Computed once: overlap asks often.</summary>
    public bool LiteralIsValidName { get; }

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
        MatchPlan = SegmentPlan.Compile(Match, samePrefix: null);
        CoverPlan = SegmentPlan.Compile(Cover, samePrefix: MatchPlan.Prefix);
    }

    public Segment[] Match { get; }

    public Segment[] Cover { get; }

    /// <summary>How <see cref="Match"/> is matched against a valid path: a shape chosen once, at parse time.</summary>
    public SegmentPlan MatchPlan { get; }

    /// <summary>How <see cref="Cover"/> is matched against a valid path.</summary>
    public SegmentPlan CoverPlan { get; }
}

/// <summary>The shape of the segments after the leading literal ones, which decides how a <see cref="SegmentPlan"/> matches.</summary>
internal enum PlanShape : byte
{
    /// <summary>Nothing: the path must equal the literal prefix (<c>src/app.py</c>).</summary>
    Exact,

    /// <summary><c>**</c>: the prefix itself or anything below it (the cover of a literal).</summary>
    PrefixOrBelow,

    /// <summary><c>*/**</c>: anything strictly below the prefix (<c>src/billing/**</c>).</summary>
    Below,

    /// <summary>Segments without <c>**</c>: exactly that many segments below the prefix (<c>src/*/schema.sql</c>).</summary>
    Fixed,

    /// <summary><c>**</c> then segments without <c>**</c>: the last segments below the prefix (<c>**/*.md</c>, <c>src/**/x/*.cs</c>).</summary>
    Tail,

    /// <summary>Anything else: segment matching with globstar backtracking.</summary>
    General,
}

/// <summary>
/// A segment sequence compiled for matching valid paths: its leading literal segments become one string compared in a
/// single pass (ordinal or ignore-case), and the rest is matched by a routine for its <see cref="PlanShape"/>, so the
/// common claim shapes need no backtracking and look at each path character at most once.
/// </summary>
internal sealed class SegmentPlan
{
    private SegmentPlan(PlanShape shape, string prefix, bool ignoreCase, Segment[] rest)
    {
        Shape = shape;
        Prefix = prefix;
        IgnoreCase = ignoreCase;
        Rest = rest;
    }

    public PlanShape Shape { get; }

    /// <summary>The leading literal segments joined with <c>/</c> (no trailing <c>/</c>); empty when the first segment is not literal.</summary>
    public string Prefix { get; }

    public bool IgnoreCase { get; }

    /// <summary>The segments after the prefix; for <see cref="PlanShape.Tail"/> without the leading <c>**</c>.</summary>
    public Segment[] Rest { get; }

    /// <param name="segs">The segments.</param>
    /// <param name="samePrefix">A prefix string to share when this plan's prefix has the same text (saves memory).</param>
    public static SegmentPlan Compile(Segment[] segs, string? samePrefix)
    {
        int k = 0;
        while (k < segs.Length && segs[k].Kind == SegmentKind.Literal)
        {
            k++;
        }

        var prefix = new System.Text.StringBuilder();
        for (int i = 0; i < k; i++)
        {
            prefix.Append(i == 0 ? string.Empty : "/").Append(segs[i].Literal);
        }

        bool ignoreCase = k > 0 && segs[0].IgnoreCase;
        Segment[] rest = segs[k..];
        int globstars = 0;
        foreach (Segment s in rest)
        {
            globstars += s.Kind == SegmentKind.Globstar ? 1 : 0;
        }

        PlanShape shape = rest.Length switch
        {
            0 => PlanShape.Exact,
            1 when globstars == 1 => PlanShape.PrefixOrBelow,
            2 when rest[0].Kind == SegmentKind.AnyName && rest[1].Kind == SegmentKind.Globstar => PlanShape.Below,
            _ when globstars == 0 => PlanShape.Fixed,
            _ when globstars == 1 && rest[0].Kind == SegmentKind.Globstar => PlanShape.Tail,
            _ => PlanShape.General,
        };
        if (shape == PlanShape.Tail)
        {
            rest = rest[1..];
        }

        string text = prefix.ToString();
        return new SegmentPlan(shape, string.Equals(text, samePrefix, StringComparison.Ordinal) ? samePrefix! : text, ignoreCase, rest);
    }

    /// <summary>
    /// Whether the segments match the valid <paramref name="path"/>. When <paramref name="masked"/> is set,
    /// <paramref name="slashes"/> has bit <c>i</c> set where <c>path[i]</c> is <c>/</c> (from <see cref="GlobPath"/>'s
    /// validation), and segments are found from it instead of by scanning.
    /// </summary>
    public bool Matches(ReadOnlySpan<char> path, ulong slashes, bool masked)
    {
        int p = Prefix.Length;
        ReadOnlySpan<char> rest;
        if (p == 0)
        {
            rest = path;
        }
        else
        {
            if (path.Length < p || !Segment.EqualChars(path[..p], Prefix, IgnoreCase))
            {
                return false;
            }

            if (path.Length == p)
            {
                return Shape is PlanShape.Exact or PlanShape.PrefixOrBelow;
            }

            // A valid path has no trailing '/', so what follows "prefix/" is not empty.
            if (path[p] != '/')
            {
                return false;
            }

            rest = path[(p + 1)..];
            slashes >>= p + 1;
        }

        switch (Shape)
        {
            case PlanShape.Exact:
                return false;
            case PlanShape.PrefixOrBelow:
            case PlanShape.Below:
                return true;
            case PlanShape.Fixed:
                return masked ? MatchFixed(Rest, rest, slashes) : MatchFixed(Rest, rest);
            case PlanShape.Tail:
                return masked ? MatchTail(Rest, rest, slashes) : MatchTail(Rest, rest);
            default:
                return Glob.MatchSegments(Rest, rest);
        }
    }

    /// <summary><see cref="MatchFixed(Segment[], ReadOnlySpan{char})"/> with the <c>/</c> positions of the path as bits.</summary>
    private static bool MatchFixed(Segment[] segs, ReadOnlySpan<char> path, ulong slashes)
    {
        int last = segs.Length - 1;
        if (BitOperations.PopCount(slashes) != last)
        {
            return false;
        }

        int start = 0;
        for (int i = 0; i < last; i++)
        {
            int slash = BitOperations.TrailingZeroCount(slashes);
            if (!segs[i].Matches(path[start..slash]))
            {
                return false;
            }

            start = slash + 1;
            slashes &= slashes - 1;
        }

        return segs[last].Matches(path[start..]);
    }

    /// <summary><see cref="MatchTail(Segment[], ReadOnlySpan{char})"/> with the <c>/</c> positions of the path as bits.</summary>
    private static bool MatchTail(Segment[] segs, ReadOnlySpan<char> path, ulong slashes)
    {
        int end = path.Length;
        for (int i = segs.Length - 1; i >= 0; i--)
        {
            if (slashes == 0)
            {
                return i == 0 && segs[0].Matches(path[..end]);
            }

            int slash = 63 - BitOperations.LeadingZeroCount(slashes);
            if (!segs[i].Matches(path[(slash + 1)..end]))
            {
                return false;
            }

            end = slash;
            slashes ^= 1UL << slash;
        }

        return true;
    }

    /// <summary>Exactly one path segment per pattern segment (none is a globstar).</summary>
    private static bool MatchFixed(Segment[] segs, ReadOnlySpan<char> path)
    {
        int last = segs.Length - 1;
        for (int i = 0; i < last; i++)
        {
            int slash = path.IndexOf('/');
            if (slash < 0 || !segs[i].Matches(path[..slash]))
            {
                return false;
            }

            path = path[(slash + 1)..];
        }

        return path.IndexOf('/') < 0 && segs[last].Matches(path);
    }

    /// <summary>Zero or more path segments, then one per pattern segment (none is a globstar): the last ones, matched from the end.</summary>
    private static bool MatchTail(Segment[] segs, ReadOnlySpan<char> path)
    {
        for (int i = segs.Length - 1; i >= 0; i--)
        {
            int slash = path.LastIndexOf('/');
            if (slash < 0)
            {
                return i == 0 && segs[0].Matches(path);
            }

            if (!segs[i].Matches(path[(slash + 1)..]))
            {
                return false;
            }

            path = path[..slash];
        }

        return true;
    }
}
