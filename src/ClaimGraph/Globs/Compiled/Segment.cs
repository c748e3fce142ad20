using System.Diagnostics;

namespace ClaimGraph.Globs;

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

    /// <summary>Whether the segment matches any one name: <c>*</c>, or a globstar taken for one segment.</summary>
    public bool IsAnyName => Kind is SegmentKind.Globstar or SegmentKind.AnyName;

    /// <summary>Whether the segment is a literal, a prefix (<c>lit*</c>) or a suffix (<c>*lit</c>): its <see cref="Literal"/> says it all.</summary>
    public bool IsAffix => Kind is SegmentKind.Literal or SegmentKind.Prefix or SegmentKind.Suffix;

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
        _ => CommonName.Shortest(Globstar, this, witness: null) >= 0,
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
