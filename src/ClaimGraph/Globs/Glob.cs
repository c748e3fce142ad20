namespace ClaimGraph.Globs;

/// <summary>
/// A parsed, compiled resource pattern in ClaimGraph's glob dialect (<c>[namespace:]glob</c>; see the README).
/// Immutable and safe to share between threads. Two globs are equal when their namespace, normalised text and
/// options are equal (equality is textual: <c>{a,b}</c> and <c>{b,a}</c> are different globs with the same paths).
/// </summary>
/// <remarks>
/// <para>The dialect, matched against <c>/</c>-separated repository paths (see <see cref="GlobPath"/>):</para>
/// <list type="bullet">
/// <item><description>Literal characters match themselves, ordinally (or as <see cref="GlobOptions.IgnoreCase"/> says).</description></item>
/// <item><description><c>*</c> matches any run of characters within a segment, names starting with <c>.</c> included;
/// <c>?</c> matches one character.</description></item>
/// <item><description><c>[abc]</c>, <c>[a-z]</c>, <c>[!a-z]</c> or <c>[^a-z]</c> match one character of (not of) the set; <c>]</c> first is
/// literal, <c>:</c> is literal; a set never matches <c>/</c>, and a <c>/</c> written in a set, alone or in a range (<c>[--A]</c>), is an
/// error (<see cref="GlobErrorCode.SlashInSet"/>); a POSIX class (<c>[[:digit:]]</c>) is an error
/// (<see cref="GlobErrorCode.PosixCharacterClass"/>).</description></item>
/// <item><description><c>{a,b}</c> is alternation; alternatives may contain <c>/</c>, nest (up to <see cref="MaxBraceDepth"/> deep) and be
/// empty (<c>src/{,x/}a</c> is <c>src/a</c> or <c>src/x/a</c>); a <c>,</c> outside braces is literal; a stray <c>}</c> is an error.</description></item>
/// <item><description><c>**</c> as a whole segment is zero or more segments in the middle or at the start and one or more at the end:
/// <c>src/**</c> matches <c>src/a</c>, not <c>src</c>. A trailing <c>/</c> means <c>/**</c>; a leading <c>/</c> or <c>./</c> is dropped
/// (every pattern is anchored at the root).</description></item>
/// <item><description><c>\x</c> is <c>x</c> literally for <c>x</c> one of <c>* ? [ ] { } , \ ! :</c> (in a set also <c>-</c> and <c>^</c>);
/// any other escape is an error (<c>a\b</c> is usually a Windows path: use <c>/</c>). An escape that stands where a Windows separator
/// would is an error too (<see cref="GlobErrorCode.BackslashSeparator"/>): <c>\**</c> anywhere, and in a glob without <c>/</c> an escape
/// of <c>* ? [ {</c> or <c>\</c> after the start of the glob or of its brace alternative (<c>src\*.cs</c>); write the literal
/// character as a set there (<c>a[*]b</c>).</description></item>
/// <item><description>A leading <c>!</c> is an error: exclusions belong to claim sets. An unescaped <c>:</c> that does not end a namespace
/// (<c>[a-z][a-z0-9_-]+</c>, two characters at least) is an error.</description></item>
/// </list>
/// <para>
/// <see cref="IsMatch(string)"/> and <see cref="Covers(string)"/> take a path of this glob's own namespace, without a namespace prefix.
/// <see cref="IsMatch(ReadOnlySpan{char})"/>, <see cref="Covers(ReadOnlySpan{char})"/> and <see cref="Overlaps(Glob, Glob)"/>
/// allocate nothing for typical patterns. A path is validated by a few vectorised scans, then matched by a routine chosen at
/// parse time for the pattern's shape (a literal path, literal segments then <c>**</c>, <c>**</c> then fixed segments such as
/// <c>**/*.md</c>, or fixed segments such as <c>src/*/schema.sql</c>) that needs no backtracking;
/// other shapes backtrack over segments. Matching is O(|pattern|·|path|) in the worst case; overlap is O(|a|·|b|) per pair
/// of brace alternatives (so two patterns with many alternatives cost the product).
/// </para>
/// </remarks>
public sealed class Glob : IEquatable<Glob>
{
    /// <summary>The longest accepted pattern, in characters.</summary>
    public const int MaxLength = 4096;

    /// <summary>The most segments a pattern (each brace alternative) may have.</summary>
    public const int MaxSegments = 256;

    /// <summary>The most alternatives brace expansion may produce.</summary>
    public const int MaxAlternatives = 1024;

    /// <summary>The deepest brace nesting accepted (<c>{a,{b,{c,d}}}</c> is nested 3 deep).</summary>
    public const int MaxBraceDepth = 32;

    /// <summary>The one alternative of a brace-free pattern (the common case: no array to keep), else null.</summary>
    private readonly Alternative? _single;

    /// <summary>The alternatives of a pattern with several, else null.</summary>
    private readonly Alternative[]? _many;

    private Glob(string ns, string pattern, GlobOptions options, Alternative[] alternatives)
    {
        Namespace = ns;
        Pattern = pattern;
        Options = options;
        if (alternatives.Length == 1)
        {
            _single = alternatives[0];
        }
        else
        {
            _many = alternatives;
        }
    }

    /// <summary>The namespace: empty for the default namespace (repository file paths).</summary>
    public string Namespace { get; }

    /// <summary>The normalised glob text without the namespace prefix.</summary>
    public string Pattern { get; }

    /// <summary>The options the pattern was parsed with.</summary>
    public GlobOptions Options { get; }

    /// <summary>Whether characters compare ignoring case.</summary>
    public bool IgnoreCase => (Options & GlobOptions.IgnoreCase) != 0;

    internal ReadOnlySpan<Alternative> Alternatives => _many ?? new ReadOnlySpan<Alternative>(in _single!);

    /// <summary>
    /// Parses <paramref name="pattern"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    /// <exception cref="GlobParseException">The pattern is not in the dialect; the exception carries the code, position and a hint.</exception>
    public static Glob Parse(string pattern, GlobOptions options = GlobOptions.None)
    {
        if (!TryParse(pattern, options, out Glob? glob, out GlobError? error))
        {
            throw new GlobParseException(error);
        }

        return glob;
    }

    /// <summary>Parses <paramref name="pattern"/> without throwing; on failure <paramref name="error"/> says why.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    public static bool TryParse(string pattern, GlobOptions options, [NotNullWhen(true)] out Glob? glob, [NotNullWhen(false)] out GlobError? error)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        GlobParser.Result? result = GlobParser.TryParse(pattern, options, out GlobError? failure);
        if (result is null)
        {
            glob = null;
            error = failure ?? new GlobError(GlobErrorCode.EmptyPattern, pattern, 0, "The pattern could not be parsed", null);
            return false;
        }

        glob = new Glob(result.Namespace, result.Normalized, options & GlobOptions.IgnoreCase, result.Alternatives);
        error = null;
        return true;
    }

    /// <summary>Parses <paramref name="pattern"/> with default options without throwing.</summary>
    public static bool TryParse(string pattern, [NotNullWhen(true)] out Glob? glob) =>
        TryParse(pattern, GlobOptions.None, out glob, out _);

    /// <summary>Whether the pattern matches <paramref name="path"/> itself (a path in this glob's namespace).</summary>
    /// <exception cref="InvalidPathException">The path is not a valid repository path.</exception>
    public bool IsMatch(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return IsMatch(path.AsSpan());
    }

    /// <summary>Whether the pattern matches <paramref name="path"/> itself. Allocates nothing.</summary>
    /// <exception cref="InvalidPathException">The path is not a valid repository path.</exception>
    public bool IsMatch(ReadOnlySpan<char> path)
    {
        if (!GlobPath.IsValid(path, out ulong slashes))
        {
            GlobPath.ThrowIfInvalid(path);
        }

        bool masked = path.Length <= GlobPath.MaskedLength;
        foreach (Alternative alt in Alternatives)
        {
            if (alt.MatchPlan.Matches(path, slashes, masked))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the pattern covers <paramref name="path"/> (a path in this glob's namespace): matches it or one of its
    /// ancestors, since a claim on a directory covers everything below it.
    /// </summary>
    /// <exception cref="InvalidPathException">The path is not a valid repository path.</exception>
    public bool Covers(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Covers(path.AsSpan());
    }

    /// <summary>Whether the pattern covers <paramref name="path"/>: matches it or one of its ancestors. Allocates nothing.</summary>
    /// <exception cref="InvalidPathException">The path is not a valid repository path.</exception>
    public bool Covers(ReadOnlySpan<char> path)
    {
        if (!GlobPath.IsValid(path, out ulong slashes))
        {
            GlobPath.ThrowIfInvalid(path);
        }

        bool masked = path.Length <= GlobPath.MaskedLength;
        foreach (Alternative alt in Alternatives)
        {
            if (alt.CoverPlan.Matches(path, slashes, masked))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether some path is covered by both patterns. Exact and symmetric; patterns of different namespaces never
    /// overlap. Allocates nothing for typical patterns.
    /// </summary>
    public static bool Overlaps(Glob a, Glob b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return GlobOverlap.Overlaps(a, b);
    }

    /// <summary>Whether some path is covered by both this pattern and <paramref name="other"/>.</summary>
    public bool Overlaps(Glob other) => Overlaps(this, other);

    /// <summary>
    /// Finds a witness: a shortest valid path covered by both patterns, chosen deterministically and the same for
    /// <c>(a, b)</c> and <c>(b, a)</c>. Returns <see langword="false"/> when the patterns do not overlap. For typical
    /// patterns (no brace alternatives, a few segments each) it allocates only the witness string.
    /// </summary>
    public static bool TryGetWitness(Glob a, Glob b, [NotNullWhen(true)] out string? witness)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        witness = GlobOverlap.Witness(a, b);
        return witness is not null;
    }

    /// <summary>
    /// Escapes <paramref name="literal"/> so that it parses as a pattern matching exactly that text: every character
    /// special in the dialect (<c>* ? [ ] { } , \ ! :</c>) gets a <c>\</c>, except where that escape would be refused as
    /// a Windows separator (<see cref="GlobErrorCode.BackslashSeparator"/>: in a text without <c>/</c>, one of
    /// <c>* ? [ {</c> or <c>\</c> after the first character), where it is written as a one-character set instead
    /// (<c>a*b</c> gives <c>a[*]b</c>, <c>src/a*b</c> gives <c>src/a\*b</c>). For a valid path, the result matches that
    /// path and nothing else. Allocates only when something needs escaping.
    /// </summary>
    public static string EscapeLiteral(string literal)
    {
        ArgumentNullException.ThrowIfNull(literal);
        if (literal.AsSpan().IndexOfAny(Metacharacters) < 0)
        {
            return literal;
        }

        bool hasSlash = literal.Contains('/', StringComparison.Ordinal);
        var sb = new System.Text.StringBuilder(literal.Length + 4);
        for (int i = 0; i < literal.Length; i++)
        {
            GlobParser.AppendLiteral(sb, literal[i], afterStartWithoutSlash: !hasSlash && i > 0, beforeStar: false);
        }

        return sb.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Metacharacters = System.Buffers.SearchValues.Create("*?[]{},\\!:");

    /// <summary>
    /// The leading literal segments shared by every alternative (for indexing). For <c>src/billing/**</c> these are
    /// <c>src</c>, <c>billing</c>. Empty when the first segment is a wildcard. Allocates the strings; the index uses
    /// <see cref="LeadingLiteralCount"/> and slices instead.
    /// </summary>
    internal IReadOnlyList<string> LeadingLiterals()
    {
        ReadOnlySpan<Segment> first = Alternatives[0].Match;
        var result = new string[LeadingLiteralCount()];
        for (int k = 0; k < result.Length; k++)
        {
            result[k] = first[k].LiteralString();
        }

        return result;
    }

    /// <summary>
    /// How many leading segments are literal, with the same text, in every alternative: those of
    /// <c>Alternatives[0].Match</c> up to this count are the leading literals.
    /// </summary>
    internal int LeadingLiteralCount()
    {
        ReadOnlySpan<Alternative> alternatives = Alternatives;
        ReadOnlySpan<Segment> first = alternatives[0].Match;
        int k = 0;
        for (; k < first.Length && first[k].Kind == SegmentKind.Literal; k++)
        {
            ReadOnlySpan<char> lit = first[k].Literal;
            for (int a = 1; a < alternatives.Length; a++)
            {
                ReadOnlySpan<Segment> match = alternatives[a].Match;
                if (k >= match.Length || match[k].Kind != SegmentKind.Literal || !match[k].Literal.SequenceEqual(lit))
                {
                    return k;
                }
            }
        }

        return k;
    }

    /// <summary>The normalised pattern with its namespace prefix: <c>Parse(ToString(), Options)</c> equals this glob.</summary>
    public override string ToString() => Namespace.Length == 0 ? Pattern : Namespace + ":" + Pattern;

    /// <inheritdoc/>
    public bool Equals(Glob? other) =>
        other is not null
        && Options == other.Options
        && string.Equals(Namespace, other.Namespace, StringComparison.Ordinal)
        && string.Equals(Pattern, other.Pattern, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Glob);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(StringComparer.Ordinal.GetHashCode(Namespace), StringComparer.Ordinal.GetHashCode(Pattern), Options);

    /// <summary>Equality operator.</summary>
    public static bool operator ==(Glob? left, Glob? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality operator.</summary>
    public static bool operator !=(Glob? left, Glob? right) => !(left == right);

    /// <summary>
    /// Segment-level matching with last-globstar backtracking: exact because every non-globstar segment consumes
    /// exactly one path segment. <paramref name="path"/> must be valid.
    /// </summary>
    internal static bool MatchSegments(ReadOnlySpan<Segment> segs, ReadOnlySpan<char> path)
    {
        int len = path.Length;
        int pi = 0, ps = 0, starPi = -1, starPs = 0;
        while (ps <= len)
        {
            if (pi < segs.Length && segs[pi].Kind == SegmentKind.Globstar)
            {
                starPi = pi++;
                starPs = ps;
                continue;
            }

            int slash = path[ps..].IndexOf('/');
            int end = slash < 0 ? len : ps + slash;
            if (pi < segs.Length && segs[pi].Matches(path[ps..end]))
            {
                pi++;
                ps = end + 1;
                continue;
            }

            if (starPi < 0)
            {
                return false;
            }

            pi = starPi + 1;
            int next = path[starPs..].IndexOf('/');
            starPs = next < 0 ? len + 1 : starPs + next + 1;
            ps = starPs;
        }

        while (pi < segs.Length && segs[pi].Kind == SegmentKind.Globstar)
        {
            pi++;
        }

        return pi == segs.Length;
    }
}
