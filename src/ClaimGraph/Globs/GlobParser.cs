using System.Text;

namespace ClaimGraph.Globs;

/// <summary>
/// Parses the text form of a pattern into a syntax tree, validates it, expands braces and compiles each
/// alternative. Every rejection is a <see cref="GlobError"/> with a code, a position and, where it helps, a hint.
/// </summary>
internal sealed class GlobParser
{
    /// <summary>The characters <c>\</c> may escape outside a set.</summary>
    internal const string Escapable = "*?[]{},\\!:";

    /// <summary>The characters <c>\</c> may escape inside a set.</summary>
    internal const string SetEscapable = "*?[]{},\\!:-^";

    private readonly string _input;
    private readonly bool _ignoreCase;
    private GlobError? _error;

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
                        Fail(GlobErrorCode.TrailingEscape, i, "The pattern ends with a lone '\\'", "write '\\\\' for a literal backslash");
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

    private Node? ParseSet(ref int i)
    {
        string s = _input;
        int open = i;
        int j = i + 1;
        bool negated = false;
        if (j < s.Length && (s[j] == '!' || s[j] == '^'))
        {
            negated = true;
            j++;
        }

        var low = new List<char>();
        var high = new List<char>();
        bool first = true;
        while (true)
        {
            if (j >= s.Length)
            {
                bool onlyBracket = low.Count == 1 && low[0] == ']' && high[0] == ']' && s[j - 1] == ']' && s[j - 2] != '\\';
                if (onlyBracket)
                {
                    Fail(GlobErrorCode.EmptySet, open, "An empty character set", "a set needs at least one character, as in '[abc]'; write '\\[' for a literal '['");
                }
                else
                {
                    Fail(GlobErrorCode.UnclosedSet, open, "'[' has no closing ']'", "write '\\[' for a literal '['");
                }

                return null;
            }

            char c = s[j];
            if (c == ']' && !first)
            {
                j++;
                break;
            }

            first = false;
            int memberPos = j;
            if (!ReadSetChar(ref j, out char lo))
            {
                return null;
            }

            char hi = lo;
            if (j + 1 < s.Length && s[j] == '-' && s[j + 1] != ']')
            {
                j++;
                if (!ReadSetChar(ref j, out hi))
                {
                    return null;
                }

                if (hi < lo)
                {
                    Fail(GlobErrorCode.InvalidRange, memberPos, $"The range '{lo}-{hi}' is empty: its start is after its end", $"did you mean '{hi}-{lo}'?");
                    return null;
                }
            }

            if ((lo <= '/' && '/' <= hi) || lo == '/')
            {
                Fail(GlobErrorCode.SlashInSet, memberPos, "A character set cannot match '/'", "use '/' outside the set as a separator");
                return null;
            }

            low.Add(lo);
            high.Add(hi);
        }

        i = j;
        return new Node { Kind = NodeKind.Set, Position = open, Set = new CharSet(low.ToArray(), high.ToArray(), negated, _ignoreCase) };
    }

    private bool ReadSetChar(ref int j, out char c)
    {
        string s = _input;
        c = s[j];
        if (c != '\\')
        {
            j++;
            return true;
        }

        if (j + 1 >= s.Length)
        {
            Fail(GlobErrorCode.UnclosedSet, j, "'[' has no closing ']'", "write '\\[' for a literal '['");
            return false;
        }

        char next = s[j + 1];
        if (!SetEscapable.Contains(next, StringComparison.Ordinal))
        {
            Fail(GlobErrorCode.InvalidEscape, j, $"'\\{next}' is not an escape", "inside a set only * ? [ ] { } , \\ ! : - ^ can be escaped");
            return false;
        }

        c = next;
        j += 2;
        return true;
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
                Fail(GlobErrorCode.UnclosedBrace, open, "'{' has no closing '}'", "write '\\{' for a literal '{'");
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

    private static long CountAlternatives(List<Node> nodes)
    {
        long total = 1;
        foreach (Node n in nodes)
        {
            if (n.Kind != NodeKind.Brace)
            {
                continue;
            }

            long sum = 0;
            foreach (List<Node> alt in n.Alternatives!)
            {
                sum += CountAlternatives(alt);
                if (sum > Glob.MaxAlternatives)
                {
                    return Glob.MaxAlternatives + 1L;
                }
            }

            total *= sum;
            if (total > Glob.MaxAlternatives)
            {
                return Glob.MaxAlternatives + 1L;
            }
        }

        return total;
    }

    private static int FirstBrace(List<Node> nodes)
    {
        foreach (Node n in nodes)
        {
            if (n.Kind == NodeKind.Brace)
            {
                return n.Position;
            }
        }

        return 0;
    }

    /// <summary>
    /// Every brace-free sequence <paramref name="nodes"/> stands for, in order (first brace's choice most significant).
    /// Iterative along the sequence and recursive only into nested braces, whose depth is capped.
    /// </summary>
    private static List<List<Node>> Expand(List<Node> nodes)
    {
        var results = new List<List<Node>> { new() };
        foreach (Node n in nodes)
        {
            if (n.Kind != NodeKind.Brace)
            {
                foreach (List<Node> r in results)
                {
                    r.Add(n);
                }

                continue;
            }

            var options = new List<List<Node>>();
            foreach (List<Node> alt in n.Alternatives!)
            {
                options.AddRange(Expand(alt));
            }

            var next = new List<List<Node>>(results.Count * options.Count);
            foreach (List<Node> r in results)
            {
                foreach (List<Node> o in options)
                {
                    var joined = new List<Node>(r.Count + o.Count);
                    joined.AddRange(r);
                    joined.AddRange(o);
                    next.Add(joined);
                }
            }

            results = next;
        }

        return results;
    }

    /// <param name="flat">One brace-free alternative.</param>
    /// <param name="normalized">The normalised pattern: literal parts are kept as slices of it where it has their text.</param>
    private Alternative? Compile(List<Node> flat, string normalized)
    {
        bool trailingSlash = flat.Count > 0 && flat[^1].Kind == NodeKind.Slash;
        int end = trailingSlash ? flat.Count - 1 : flat.Count;
        var segments = new List<Segment>();
        int segStart = 0;
        int rawSegments = 0;
        for (int k = 0; k <= end; k++)
        {
            if (k < end && flat[k].Kind != NodeKind.Slash)
            {
                continue;
            }

            rawSegments++;
            if (rawSegments > Glob.MaxSegments)
            {
                // The position is the start of the first segment past the cap.
                Fail(GlobErrorCode.TooManySegments, segStart < flat.Count ? flat[segStart].Position : _input.Length, $"The pattern has more than {Glob.MaxSegments} segments", "split the claim into several patterns");
                return null;
            }

            if (k == segStart)
            {
                int pos = k < flat.Count ? flat[k].Position : (flat.Count > 0 ? flat[^1].Position : 0);
                Fail(GlobErrorCode.EmptySegment, pos, "The pattern has an empty segment", "remove the doubled '/'");
                return null;
            }

            Segment? seg = CompileSegment(flat, segStart, k, normalized);
            if (seg is null)
            {
                return null;
            }

            if (!(seg.Kind == SegmentKind.Globstar && segments.Count > 0 && segments[^1].Kind == SegmentKind.Globstar))
            {
                segments.Add(seg);
            }

            segStart = k + 1;
        }

        if (trailingSlash && segments[^1].Kind != SegmentKind.Globstar)
        {
            segments.Add(Segment.Globstar);
        }

        // A trailing '**' means one or more segments: rewrite it as '*/**' so every globstar is "zero or more".
        if (segments[^1].Kind == SegmentKind.Globstar)
        {
            segments.Insert(segments.Count - 1, Segment.AnyName(_ignoreCase));
        }

        return new Alternative(segments.ToArray(), normalized);
    }

    private Segment? CompileSegment(List<Node> flat, int start, int end, string normalized)
    {
        int length = end - start;
        for (int k = start; k < end; k++)
        {
            if (flat[k].Kind == NodeKind.Star && k + 1 < end && flat[k + 1].Kind == NodeKind.Star)
            {
                if (length == 2)
                {
                    return Segment.Globstar;
                }

                int run = k;
                while (run < end && flat[run].Kind == NodeKind.Star)
                {
                    run++;
                }

                string before = Serialize(flat.GetRange(start, k - start), inBrace: false, atStart: false);
                string after = Serialize(flat.GetRange(run, end - run), inBrace: false, atStart: false);
                string hint = (before.Length, after.Length) switch
                {
                    (0, > 0) => $"did you mean '**/*{after}'?",
                    ( > 0, 0) => $"did you mean '{before}*/**'?",
                    (0, 0) => "did you mean '**'?",
                    _ => $"'**' must be a whole segment; use '*' within a segment, as in '{before}*{after}'",
                };
                Fail(GlobErrorCode.GlobstarNotAlone, flat[k].Position, "'**' shares a segment with other characters", hint);
                return null;
            }
        }

        bool allChars = true;
        for (int k = start; k < end; k++)
        {
            allChars &= flat[k].Kind == NodeKind.Char;
        }

        if (allChars && (length == 1 || length == 2) && flat[start].C == '.' && flat[end - 1].C == '.')
        {
            Fail(GlobErrorCode.DotSegment, flat[start].Position, "A pattern segment cannot be '.' or '..'", "write paths relative to the repository root, without '.' or '..'");
            return null;
        }

        var tokens = new Token[length];
        var literal = new StringBuilder();
        int stars = 0, firstStar = -1, lastStar = -1;
        bool onlyCharsAndStars = true;
        for (int k = 0; k < length; k++)
        {
            Node n = flat[start + k];
            switch (n.Kind)
            {
                case NodeKind.Char:
                    tokens[k] = new Token(TokenKind.Char, n.C, null);
                    literal.Append(n.C);
                    break;
                case NodeKind.Star:
                    tokens[k] = new Token(TokenKind.Star, '\0', null);
                    stars++;
                    firstStar = firstStar < 0 ? k : firstStar;
                    lastStar = k;
                    break;
                case NodeKind.Any:
                    tokens[k] = new Token(TokenKind.Any, '\0', null);
                    onlyCharsAndStars = false;
                    break;
                default:
                    tokens[k] = new Token(TokenKind.Set, '\0', n.Set);
                    onlyCharsAndStars = false;
                    break;
            }
        }

        SegmentKind kind = SegmentKind.General;
        if (onlyCharsAndStars)
        {
            if (stars == 0)
            {
                kind = SegmentKind.Literal;
            }
            else if (length == 1)
            {
                kind = SegmentKind.AnyName;
            }
            else if (stars == 1 && firstStar == 0)
            {
                kind = SegmentKind.Suffix;
            }
            else if (stars == 1 && lastStar == length - 1)
            {
                kind = SegmentKind.Prefix;
            }
        }

        switch (kind)
        {
            case SegmentKind.General:
                return Segment.General(tokens, _ignoreCase);
            case SegmentKind.AnyName:
                return Segment.AnyName(_ignoreCase);
            default:
                // Any occurrence of the literal text in the normalised pattern will do (usually the segment itself);
                // escaped text (a\*b) is not there and gets a string of its own.
                string text = literal.ToString();
                int at = normalized.IndexOf(text, StringComparison.Ordinal);
                return at >= 0 ? Segment.Affix(kind, normalized, at, text.Length, _ignoreCase) : Segment.Affix(kind, text, 0, text.Length, _ignoreCase);
        }
    }

    /// <summary>The normalised text: leading '/' and './' dropped, a trailing '/' written '/**', '**/**' collapsed.</summary>
    private static string Normalize(List<Node> nodes)
    {
        var chunks = new List<List<Node>>();
        var current = new List<Node>();
        foreach (Node n in nodes)
        {
            if (n.Kind == NodeKind.Slash)
            {
                chunks.Add(current);
                current = new List<Node>();
            }
            else
            {
                current.Add(n);
            }
        }

        chunks.Add(current);
        if (chunks.Count > 1 && chunks[^1].Count == 0)
        {
            chunks[^1] = [new Node { Kind = NodeKind.Star }, new Node { Kind = NodeKind.Star }];
        }

        var sb = new StringBuilder();
        bool previousGlobstar = false;
        bool firstChunk = true;
        foreach (List<Node> chunk in chunks)
        {
            bool globstar = chunk.Count == 2 && chunk[0].Kind == NodeKind.Star && chunk[1].Kind == NodeKind.Star;
            if (globstar && previousGlobstar)
            {
                continue;
            }

            if (!firstChunk)
            {
                sb.Append('/');
            }

            sb.Append(Serialize(chunk, inBrace: false, atStart: firstChunk));
            firstChunk = false;
            previousGlobstar = globstar;
        }

        return sb.ToString();
    }

    internal static string Serialize(List<Node> nodes, bool inBrace, bool atStart)
    {
        var sb = new StringBuilder();
        Append(sb, nodes, inBrace, atStart);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, List<Node> nodes, bool inBrace, bool atStart)
    {
        foreach (Node n in nodes)
        {
            bool start = atStart && sb.Length == 0;
            switch (n.Kind)
            {
                case NodeKind.Char:
                    if ("*?[]{}\\:".Contains(n.C, StringComparison.Ordinal) || (n.C == ',' && inBrace) || (n.C == '!' && start))
                    {
                        sb.Append('\\');
                    }

                    sb.Append(n.C);
                    break;
                case NodeKind.Star:
                    sb.Append('*');
                    break;
                case NodeKind.Any:
                    sb.Append('?');
                    break;
                case NodeKind.Slash:
                    sb.Append('/');
                    break;
                case NodeKind.Set:
                    AppendSet(sb, n.Set!);
                    break;
                case NodeKind.Brace:
                    sb.Append('{');
                    for (int a = 0; a < n.Alternatives!.Count; a++)
                    {
                        if (a > 0)
                        {
                            sb.Append(',');
                        }

                        var inner = new StringBuilder();
                        Append(inner, n.Alternatives[a], inBrace: true, atStart: false);
                        sb.Append(inner);
                    }

                    sb.Append('}');
                    break;
            }
        }
    }

    private static void AppendSet(StringBuilder sb, CharSet set)
    {
        sb.Append('[');
        if (set.Negated)
        {
            sb.Append('!');
        }

        for (int k = 0; k < set.Low.Length; k++)
        {
            AppendSetChar(sb, set.Low[k]);
            if (set.High[k] != set.Low[k])
            {
                sb.Append('-');
                AppendSetChar(sb, set.High[k]);
            }
        }

        sb.Append(']');
    }

    internal static void AppendSetChar(StringBuilder sb, char c)
    {
        if (SetEscapable.Contains(c, StringComparison.Ordinal))
        {
            sb.Append('\\');
        }

        sb.Append(c);
    }
}
