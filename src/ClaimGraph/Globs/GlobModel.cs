using System.Diagnostics;
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

/// <summary>
/// A compiled segment of a pattern. Kept small, because a stored claim holds one per segment: a literal part is a slice
/// of a string the glob keeps anyway (usually its normalised pattern), and the token array of a literal, prefix or
/// suffix segment is only built when the character-level overlap search asks for it.
/// </summary>
internal sealed class Segment
{
    public static readonly Segment Globstar = new(SegmentKind.Globstar, string.Empty, 0, 0, [], ignoreCase: false);

    private static readonly Segment AnyNameOrdinal = new(SegmentKind.AnyName, string.Empty, 0, 0, [new Token(TokenKind.Star, '\0', null)], ignoreCase: false);

    private static readonly Segment AnyNameIgnoreCase = new(SegmentKind.AnyName, string.Empty, 0, 0, [new Token(TokenKind.Star, '\0', null)], ignoreCase: true);

    /// <summary>The text the literal part is a slice of.</summary>
    private readonly string _text;

    private readonly ushort _start;

    private readonly ushort _length;

    /// <summary>0 until <see cref="MatchesSomeValidName"/> is computed, then 1 (yes) or 2 (no).</summary>
    private byte _validNameState;

    private readonly ushort _minLength;

    private Token[]? _tokens;

    private Segment(SegmentKind kind, string text, int start, int length, Token[]? tokens, bool ignoreCase)
    {
        Kind = kind;
        _text = text;
        _start = checked((ushort)start);
        _length = checked((ushort)length);
        _tokens = tokens;
        IgnoreCase = ignoreCase;
        int min = length;
        if (tokens is not null)
        {
            min = 0;
            foreach (Token t in tokens)
            {
                min += t.Kind != TokenKind.Star ? 1 : 0;
            }
        }

        _minLength = checked((ushort)min);
        LiteralIsValidName = length > 0 && !Literal.Contains('\\');
    }

    /// <summary>A <c>*</c> segment: one shared instance per case option.</summary>
    public static Segment AnyName(bool ignoreCase) => ignoreCase ? AnyNameIgnoreCase : AnyNameOrdinal;

    /// <summary>
    /// A literal, prefix (<c>literal*</c>) or suffix (<c>*literal</c>) segment whose literal part is
    /// <c>text[start..(start + length)]</c>.
    /// </summary>
    public static Segment Affix(SegmentKind kind, string text, int start, int length, bool ignoreCase)
    {
        Debug.Assert(kind is SegmentKind.Literal or SegmentKind.Prefix or SegmentKind.Suffix, "an affix kind");
        return new Segment(kind, text, start, length, tokens: null, ignoreCase);
    }

    /// <summary>A general segment: a token sequence.</summary>
    public static Segment General(Token[] tokens, bool ignoreCase) => new(SegmentKind.General, string.Empty, 0, 0, tokens, ignoreCase);

    public SegmentKind Kind { get; }

    /// <summary>For <see cref="SegmentKind.Literal"/>, <see cref="SegmentKind.Prefix"/> and <see cref="SegmentKind.Suffix"/>: the literal part; else empty.</summary>
    public ReadOnlySpan<char> Literal => _text.AsSpan(_start, _length);

    /// <summary>The literal part as a string (allocates unless it is the whole of the text it is sliced from).</summary>
    public string LiteralString() => _start == 0 && _length == _text.Length ? _text : _text.Substring(_start, _length);

    /// <summary>The literal part as a trie key: a slice, so no string is made.</summary>
    public SegmentText LiteralText => new(_text, _start, _length);

    /// <summary>The full token sequence (empty for <see cref="SegmentKind.Globstar"/>).</summary>
    /// <remarks>
    /// Built on first use for literal, prefix and suffix segments and cached; the race between threads is benign because
    /// every thread builds an equal array.
    /// </remarks>
    public Token[] Tokens => _tokens ??= LiteralTokens(Kind, Literal);

    private static Token[] LiteralTokens(SegmentKind kind, ReadOnlySpan<char> literal)
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
    public int MinLength => _minLength;

    /// <summary>
    /// Whether some valid path segment (not empty, <c>.</c> or <c>..</c>, without <c>\</c>) matches this segment. Computed on
    /// first use and cached; the race between threads is benign because every thread computes the same value.
    /// </summary>
    public bool MatchesSomeValidName
    {
        get
        {
            byte state = _validNameState;
            if (state == 0)
            {
                state = ComputeMatchesSomeValidName() ? (byte)1 : (byte)2;
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
/// Both live in one array (<see cref="Match"/> is a prefix of <see cref="Cover"/>, or all of it when it already ends in a
/// globstar), and the two matching plans are a few numbers over that array: a stored claim pays for one object.
/// </summary>
internal sealed class Alternative
{
    private readonly Segment[] _cover;

    /// <summary>The text the literal prefix is a slice of.</summary>
    private readonly string _prefixText;

    private readonly ushort _prefixStart;

    private readonly ushort _prefixLength;

    /// <summary>The number of leading literal segments (the same in <see cref="Match"/> and <see cref="Cover"/>).</summary>
    private readonly ushort _literals;

    private readonly ushort _matchLength;

    private readonly PlanShape _matchShape;

    private readonly PlanShape _coverShape;

    private readonly bool _prefixIgnoreCase;

    /// <param name="match">The segments.</param>
    /// <param name="text">A string (the normalised pattern) whose slice to keep as the literal prefix when it has that text.</param>
    public Alternative(Segment[] match, string text)
    {
        Debug.Assert(match.Length > 0, "a pattern has a segment");
        if (match[^1].Kind == SegmentKind.Globstar)
        {
            _cover = match;
        }
        else
        {
            _cover = new Segment[match.Length + 1];
            match.CopyTo(_cover, 0);
            _cover[^1] = Segment.Globstar;
        }

        _matchLength = checked((ushort)match.Length);
        int k = 0;
        while (k < match.Length && match[k].Kind == SegmentKind.Literal)
        {
            k++;
        }

        _literals = (ushort)k;
        _prefixIgnoreCase = k > 0 && match[0].IgnoreCase;
        (_prefixText, int start, int length) = JoinedPrefix(match, k, text);
        _prefixStart = checked((ushort)start);
        _prefixLength = checked((ushort)length);
        _matchShape = ShapeOf(_cover.AsSpan(k, match.Length - k));
        _coverShape = ShapeOf(_cover.AsSpan(k));
    }

    public ReadOnlySpan<Segment> Match => _cover.AsSpan(0, _matchLength);

    public Segment[] Cover => _cover;

    /// <summary>How <see cref="Match"/> is matched against a valid path: a shape chosen once, at parse time.</summary>
    public SegmentPlan MatchPlan => Plan(_matchShape, _matchLength);

    /// <summary>How <see cref="Cover"/> is matched against a valid path.</summary>
    public SegmentPlan CoverPlan => Plan(_coverShape, _cover.Length);

    private SegmentPlan Plan(PlanShape shape, int end)
    {
        int restStart = shape == PlanShape.Tail ? _literals + 1 : _literals;
        return new SegmentPlan(shape, _prefixText.AsSpan(_prefixStart, _prefixLength), _prefixIgnoreCase, _cover.AsSpan(restStart, end - restStart));
    }

    /// <summary>
    /// The leading literal segments joined with <c>/</c>, as a slice of <paramref name="text"/> when it holds that text
    /// (it usually starts with it), else of a new string.
    /// </summary>
    private static (string Text, int Start, int Length) JoinedPrefix(Segment[] match, int k, string text)
    {
        if (k == 0)
        {
            return (string.Empty, 0, 0);
        }

        var prefix = new System.Text.StringBuilder();
        for (int i = 0; i < k; i++)
        {
            prefix.Append(i == 0 ? string.Empty : "/").Append(match[i].Literal);
        }

        string joined = prefix.ToString();
        int at = text.IndexOf(joined, StringComparison.Ordinal);
        return at >= 0 ? (text, at, joined.Length) : (joined, 0, joined.Length);
    }

    /// <summary>The plan shape of the segments after the literal prefix.</summary>
    private static PlanShape ShapeOf(ReadOnlySpan<Segment> rest)
    {
        int globstars = 0;
        foreach (Segment s in rest)
        {
            globstars += s.Kind == SegmentKind.Globstar ? 1 : 0;
        }

        return rest.Length switch
        {
            0 => PlanShape.Exact,
            1 when globstars == 1 => PlanShape.PrefixOrBelow,
            2 when rest[0].Kind == SegmentKind.AnyName && rest[1].Kind == SegmentKind.Globstar => PlanShape.Below,
            _ when globstars == 0 => PlanShape.Fixed,
            _ when globstars == 1 && rest[0].Kind == SegmentKind.Globstar => PlanShape.Tail,
            _ => PlanShape.General,
        };
    }
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
/// common claim shapes need no backtracking and look at each path character at most once. A view over an
/// <see cref="Alternative"/>, made on demand (it allocates nothing).
/// </summary>
internal readonly ref struct SegmentPlan
{
    public SegmentPlan(PlanShape shape, ReadOnlySpan<char> prefix, bool ignoreCase, ReadOnlySpan<Segment> rest)
    {
        Shape = shape;
        Prefix = prefix;
        IgnoreCase = ignoreCase;
        Rest = rest;
    }

    public PlanShape Shape { get; }

    /// <summary>The leading literal segments joined with <c>/</c> (no trailing <c>/</c>); empty when the first segment is not literal.</summary>
    public ReadOnlySpan<char> Prefix { get; }

    public bool IgnoreCase { get; }

    /// <summary>The segments after the prefix; for <see cref="PlanShape.Tail"/> without the leading <c>**</c>.</summary>
    public ReadOnlySpan<Segment> Rest { get; }

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

    /// <summary><see cref="MatchFixed(ReadOnlySpan{Segment}, ReadOnlySpan{char})"/> with the <c>/</c> positions of the path as bits.</summary>
    private static bool MatchFixed(ReadOnlySpan<Segment> segs, ReadOnlySpan<char> path, ulong slashes)
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

    /// <summary><see cref="MatchTail(ReadOnlySpan{Segment}, ReadOnlySpan{char})"/> with the <c>/</c> positions of the path as bits.</summary>
    private static bool MatchTail(ReadOnlySpan<Segment> segs, ReadOnlySpan<char> path, ulong slashes)
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
    private static bool MatchFixed(ReadOnlySpan<Segment> segs, ReadOnlySpan<char> path)
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
    private static bool MatchTail(ReadOnlySpan<Segment> segs, ReadOnlySpan<char> path)
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

/// <summary>
/// A slice of a string compared ordinally, used as a trie key: a stored claim's literal segment names its node without a
/// string of its own.
/// </summary>
internal readonly struct SegmentText : IEquatable<SegmentText>, IComparable<SegmentText>
{
    private readonly string _text;
    private readonly int _start;
    private readonly int _length;

    public SegmentText(string text)
        : this(text, 0, text.Length)
    {
    }

    public SegmentText(string text, int start, int length)
    {
        _text = text;
        _start = start;
        _length = length;
    }

    public ReadOnlySpan<char> Span => _text.AsSpan(_start, _length);

    /// <summary>Whether both are slices of the same string instance.</summary>
    public bool SharesTextWith(SegmentText other) => ReferenceEquals(_text, other._text);

    public int Length => _length;

    public bool Equals(SegmentText other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is SegmentText other && Equals(other);

    public override int GetHashCode() => string.GetHashCode(Span);

    /// <summary>Ordinal order.</summary>
    public int CompareTo(SegmentText other) => Span.SequenceCompareTo(other.Span);

    public override string ToString() => Span.ToString();
}
