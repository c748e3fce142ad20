using System.Text;

namespace ClaimGraph.Globs;

internal sealed partial class GlobParser
{

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
}
