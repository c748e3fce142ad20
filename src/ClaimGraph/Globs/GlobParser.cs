namespace ClaimGraph.Globs;

/// <summary>
/// Parses the text form of a pattern into a syntax tree, validates it, expands braces and compiles each
/// alternative. Every rejection is a <see cref="GlobError"/> with a code, a position and, where it helps, a hint.
/// </summary>
internal sealed partial class GlobParser
{
    /// <summary>The characters <c>\</c> may escape outside a set.</summary>
    internal const string Escapable = "*?[]{},\\!:";

    /// <summary>The characters <c>\</c> may escape inside a set.</summary>
    internal const string SetEscapable = "*?[]{},\\!:-^";

    /// <summary>
    /// The escapable characters that begin the next segment of a Windows-style pattern (<c>src\*.cs</c>,
    /// <c>src\[ab]*</c>, <c>src\{a,b}</c>, <c>src\\lib</c> with a doubled backslash): escaped after the start of a
    /// pattern without <c>/</c>, they are refused as <see cref="GlobErrorCode.BackslashSeparator"/>.
    /// </summary>
    internal const string SeparatorLike = "*?[{\\";

    private readonly string _input;
    private readonly bool _ignoreCase;
    private GlobError? _error;

    /// <summary>Where the glob starts: after the namespace and a leading <c>/</c> or <c>./</c>.</summary>
    private int _globStart;

    /// <summary>Whether the glob has a <c>/</c>: then a <c>\</c> is never read as a separator.</summary>
    private bool _globHasSlash;

    private GlobParser(string input, bool ignoreCase)
    {
        _input = input;
        _ignoreCase = ignoreCase;
    }

    internal enum NodeKind : byte
    {
        Char,
        Star,
        Any,
        Set,
        Slash,
        Brace,
    }

    internal sealed class Node
    {
        public NodeKind Kind { get; init; }

        public int Position { get; init; }

        public char C { get; init; }

        public CharSet? Set { get; init; }

        public List<List<Node>>? Alternatives { get; init; }
    }

    internal sealed record Result(string Namespace, string Normalized, Alternative[] Alternatives);

    public static Result? TryParse(string input, GlobOptions options, out GlobError? error)
    {
        var parser = new GlobParser(input, (options & GlobOptions.IgnoreCase) != 0);
        Result? result = parser.Run();
        error = parser._error;
        return error is null ? result : null;
    }

    private Result? Fail(GlobErrorCode code, int position, string message, string? hint = null)
    {
        _error ??= new GlobError(code, _input, position, message, hint);
        return null;
    }

    private Result? Run()
    {
        string s = _input;
        if (s.Length == 0)
        {
            return Fail(GlobErrorCode.EmptyPattern, 0, "The pattern is empty", "write '**' to claim everything");
        }

        if (s.Length > Glob.MaxLength)
        {
            return Fail(GlobErrorCode.PatternTooLong, Glob.MaxLength, $"The pattern is longer than {Glob.MaxLength} characters");
        }

        int nul = s.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            return Fail(GlobErrorCode.NulCharacter, nul, "The pattern contains a NUL character");
        }

        int start = 0;
        string ns = string.Empty;
        if (char.IsAsciiLetterLower(s[0]))
        {
            int k = 1;
            while (k < s.Length && IsNamespaceChar(s[k]))
            {
                k++;
            }

            if (k >= 2 && k < s.Length && s[k] == ':')
            {
                ns = s[..k];
                start = k + 1;
            }
        }

        if (start < s.Length && s[start] == '!')
        {
            return Fail(
                GlobErrorCode.LeadingExclamation,
                start,
                "A pattern cannot start with '!'",
                "exclusions ('!pattern') belong to a claim set; write '\\!' for a literal '!'");
        }

        if (string.CompareOrdinal(s, start, "./", 0, 2) == 0)
        {
            start += 2;
        }
        else if (start < s.Length && s[start] == '/')
        {
            start += 1;
        }

        if (start >= s.Length)
        {
            return Fail(GlobErrorCode.EmptyPattern, start, "The pattern has nothing to match after its prefix", "write '**' to claim everything");
        }

        _globStart = start;
        _globHasSlash = s.IndexOf('/', start) >= 0;
        int i = start;
        List<Node>? nodes = ParseSequence(ref i, depth: 0);
        if (nodes is null)
        {
            return null;
        }

        long count = CountAlternatives(nodes);
        if (count > Glob.MaxAlternatives)
        {
            int bracePos = FirstBrace(nodes);
            return Fail(
                GlobErrorCode.TooManyAlternatives,
                bracePos,
                $"Brace expansion gives more than {Glob.MaxAlternatives} alternatives",
                "split the claim into several patterns");
        }

        List<List<Node>> expanded = Expand(nodes);
        string normalized = Normalize(nodes);
        var alternatives = new List<Alternative>(expanded.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (List<Node> flat in expanded)
        {
            Alternative? alt = Compile(flat, normalized);
            if (alt is null)
            {
                return null;
            }

            // Identical alternatives add nothing; keep the first (order is the expansion order, so deterministic).
            if (seen.Add(Serialize(flat, inBrace: false, atStart: true)))
            {
                alternatives.Add(alt);
            }
        }

        return new Result(ns, normalized, alternatives.ToArray());
    }

    private static bool IsNamespaceChar(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_' || c == '-';

    private List<Node>? ParseSequence(ref int i, int depth)
    {
        bool inBrace = depth > 0;
        string s = _input;
        var nodes = new List<Node>();
        while (i < s.Length)
        {
            char c = s[i];
            switch (c)
            {
                case '\\':
                    if (i + 1 >= s.Length)
                    {
                        Fail(GlobErrorCode.TrailingEscape, i, "The pattern ends with a lone '\\'", "a path never contains '\\': use '/' as the separator");
                        return null;
                    }

                    char next = s[i + 1];
                    if (!Escapable.Contains(next, StringComparison.Ordinal))
                    {
                        Fail(
                            GlobErrorCode.InvalidEscape,
                            i,
                            $"'\\{next}' is not an escape",
                            "use '/' as the separator; only * ? [ ] { } , \\ ! : can be escaped");
                        return null;
                    }

                    if (IsSeparatorLike(i, afterStart: nodes.Count > 0))
                    {
                        return null;
                    }

                    nodes.Add(new Node { Kind = NodeKind.Char, C = next, Position = i });
                    i += 2;
                    break;
                case '*':
                    nodes.Add(new Node { Kind = NodeKind.Star, Position = i++ });
                    break;
                case '?':
                    nodes.Add(new Node { Kind = NodeKind.Any, Position = i++ });
                    break;
                case '[':
                    Node? set = ParseSet(ref i);
                    if (set is null)
                    {
                        return null;
                    }

                    nodes.Add(set);
                    break;
                case '{':
                    Node? brace = ParseBrace(ref i, depth + 1);
                    if (brace is null)
                    {
                        return null;
                    }

                    nodes.Add(brace);
                    break;
                case '}':
                    if (inBrace)
                    {
                        return nodes;
                    }

                    Fail(GlobErrorCode.UnmatchedBrace, i, "'}' has no matching '{'", "write '\\}' for a literal '}'");
                    return null;
                case ',':
                    if (inBrace)
                    {
                        return nodes;
                    }

                    nodes.Add(new Node { Kind = NodeKind.Char, C = c, Position = i++ });
                    break;
                case ':':
                    Fail(
                        GlobErrorCode.UnescapedColon,
                        i,
                        "An unescaped ':' that does not end a namespace",
                        "write '\\:' for a literal ':'; a namespace is [a-z][a-z0-9_-]+ followed by ':' at the start");
                    return null;
                case '/':
                    nodes.Add(new Node { Kind = NodeKind.Slash, Position = i++ });
                    break;
                default:
                    nodes.Add(new Node { Kind = NodeKind.Char, C = c, Position = i++ });
                    break;
            }
        }

        return nodes;
    }


    /// <summary>
    /// Refuses the valid escape at <paramref name="i"/> when it stands where a Windows path separator would
    /// (<see cref="GlobErrorCode.BackslashSeparator"/>): <c>\*</c> directly followed by <c>*</c> anywhere (<c>\**</c> reads as
    /// a separator and a globstar far more often than as a literal <c>*</c> and a star), or an escape of one of
    /// <see cref="SeparatorLike"/> in a glob without <c>/</c> when something precedes it in its sequence (the glob, or
    /// its brace alternative). Escapes at the start of a name stay literal (<c>\*.md</c>, <c>{\[x,y}</c>), and a glob
    /// with a <c>/</c> already says which separator it uses.
    /// </summary>
    private bool IsSeparatorLike(int i, bool afterStart)
    {
        string s = _input;
        char next = s[i + 1];
        bool globstar = next == '*' && i + 2 < s.Length && s[i + 2] == '*';
        if (!globstar && (_globHasSlash || !afterStart || !SeparatorLike.Contains(next, StringComparison.Ordinal)))
        {
            return false;
        }

        var literal = new System.Text.StringBuilder(4);
        AppendLiteral(literal, next, afterStartWithoutSlash: true, beforeStar: true);
        Fail(
            GlobErrorCode.BackslashSeparator,
            i,
            $"'\\{next}' looks like a Windows path separator",
            $"use '/' as the separator, as in '{WithSlashes(s)}'; for a literal '{next}' here write '{literal}'");
        return true;
    }

    /// <summary>The pattern with every run of <c>\</c> written as one <c>/</c>: what a Windows-style pattern means.</summary>
    private static string WithSlashes(string pattern)
    {
        var sb = new System.Text.StringBuilder(pattern.Length);
        for (int k = 0; k < pattern.Length; k++)
        {
            if (pattern[k] != '\\')
            {
                sb.Append(pattern[k]);
            }
            else if (k == 0 || pattern[k - 1] != '\\')
            {
                sb.Append('/');
            }
        }

        return sb.ToString();
    }

    /// <summary>How to write the literal <paramref name="c"/> at <paramref name="position"/>: <c>\c</c>, or <c>[c]</c> where that escape would be refused.</summary>
    private string LiteralAt(char c, int position)
    {
        var sb = new System.Text.StringBuilder(3);
        AppendLiteral(sb, c, afterStartWithoutSlash: !_globHasSlash && position > _globStart, beforeStar: false);
        return sb.ToString();
    }

    private Node? ParseBrace(ref int i, int depth)
    {
        string s = _input;
        int open = i;
        if (depth > Glob.MaxBraceDepth)
        {
            // Parsing recurses once per level: the cap keeps deep nesting from exhausting the stack.
            Fail(GlobErrorCode.BraceNestingTooDeep, open, $"Braces are nested more than {Glob.MaxBraceDepth} deep", "flatten the alternatives or split the claim into several patterns");
            return null;
        }

        int j = i + 1;
        var alternatives = new List<List<Node>>();
        while (true)
        {
            List<Node>? alt = ParseSequence(ref j, depth);
            if (alt is null)
            {
                return null;
            }

            alternatives.Add(alt);
            if (j >= s.Length)
            {
                Fail(GlobErrorCode.UnclosedBrace, open, "'{' has no closing '}'", $"write '{LiteralAt('{', open)}' for a literal '{{'");
                return null;
            }

            if (s[j] == ',')
            {
                j++;
                continue;
            }

            j++; // '}'
            break;
        }

        i = j;
        return new Node { Kind = NodeKind.Brace, Position = open, Alternatives = alternatives };
    }
}
