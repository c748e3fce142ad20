using ClaimGraph.Globs;

namespace ClaimGraph.Index;

/// <summary>
/// An exact overlap decision for the common shapes, much cheaper than the general product automaton of
/// <see cref="Glob.Overlaps(Glob, Glob)"/>; it answers "don't know" for the rest, and the caller then uses
/// <see cref="Glob.Overlaps(Glob, Glob)"/>.
/// </summary>
/// <remarks>
/// Two cover sequences (each ends with a globstar) overlap exactly when they agree segment by segment up to the first
/// globstar on either side, and both remainders can match some path. Reason: at the first globstar, say in
/// <c>A = … ** R</c>, take any path <c>p</c> that the other remainder matches; its cover contains <c>p/r</c> for
/// every <c>r</c> that <c>R</c> matches, and <c>**</c> absorbs <c>p</c> in <c>A</c>. Before it, both sides consume
/// exactly one segment per step. Segment pairs are decided exactly for case-sensitive literal, <c>*</c>,
/// <c>prefix*</c> and <c>*suffix</c> segments; any other pair (sets, <c>?</c>, several stars, ignore-case) is "don't
/// know".
/// </remarks>
internal static class FastOverlap
{
    /// <summary>1 overlap, 0 no overlap, -1 undecided.</summary>
    public static int Decide(Glob a, Glob b)
    {
        if (!string.Equals(a.Namespace, b.Namespace, StringComparison.Ordinal))
        {
            return 0;
        }

        if (a.IgnoreCase || b.IgnoreCase)
        {
            return -1;
        }

        int result = 0;
        foreach (Alternative x in a.Alternatives)
        {
            foreach (Alternative y in b.Alternatives)
            {
                int r = Decide(x.Cover, y.Cover);
                if (r == 1)
                {
                    return 1;
                }

                if (r < 0)
                {
                    result = -1;
                }
            }
        }

        return result;
    }

    private static int Decide(Segment[] a, Segment[] b)
    {
        int i = 0;
        while (true)
        {
            // Both covers end with a globstar, so one of them is reached before either runs out.
            Segment s = a[i], t = b[i];
            if (s.Kind == SegmentKind.Globstar || t.Kind == SegmentKind.Globstar)
            {
                int left = Satisfiable(a, i), right = Satisfiable(b, i);
                return left == 0 || right == 0 ? 0 : left < 0 || right < 0 ? -1 : 1;
            }

            int r = Intersect(s, t);
            if (r != 1)
            {
                return r;
            }

            i++;
        }
    }

    /// <summary>Whether the segments from <paramref name="from"/> on can match some valid path: 1, 0 or -1 (don't know).</summary>
    private static int Satisfiable(Segment[] segs, int from)
    {
        int result = 1;
        for (int i = from; i < segs.Length; i++)
        {
            switch (segs[i].Kind)
            {
                case SegmentKind.Globstar:
                case SegmentKind.AnyName:
                    break;
                case SegmentKind.Literal:
                case SegmentKind.Prefix:
                case SegmentKind.Suffix:
                    if (!segs[i].LiteralIsValidName)
                    {
                        return 0;
                    }

                    break;
                default:
                    result = -1;
                    break;
            }
        }

        return result;
    }

    /// <summary>Whether some valid name matches both (case-sensitive, non-globstar) segments: 1, 0 or -1 (don't know).</summary>
    private static int Intersect(Segment s, Segment t)
    {
        if (s.Kind == SegmentKind.Literal)
        {
            return !s.LiteralIsValidName ? 0 : t.Kind == SegmentKind.General ? -1 : t.Matches(s.Literal) ? 1 : 0;
        }

        if (t.Kind == SegmentKind.Literal)
        {
            return !t.LiteralIsValidName ? 0 : s.Kind == SegmentKind.General ? -1 : s.Matches(t.Literal) ? 1 : 0;
        }

        if (s.Kind == SegmentKind.General || t.Kind == SegmentKind.General)
        {
            return -1;
        }

        // Both are '*', 'prefix*' or '*suffix' with no '\' in their literals (checked below): a name exists unless two
        // prefixes (or two suffixes) disagree. 'p' + 'a' + 's' style names are never '.' or '..'.
        if ((s.Kind != SegmentKind.AnyName && !s.LiteralIsValidName) || (t.Kind != SegmentKind.AnyName && !t.LiteralIsValidName))
        {
            return 0;
        }

        if (s.Kind == t.Kind && s.Kind == SegmentKind.Prefix)
        {
            return s.Literal.StartsWith(t.Literal, StringComparison.Ordinal) || t.Literal.StartsWith(s.Literal, StringComparison.Ordinal) ? 1 : 0;
        }

        if (s.Kind == t.Kind && s.Kind == SegmentKind.Suffix)
        {
            return s.Literal.EndsWith(t.Literal, StringComparison.Ordinal) || t.Literal.EndsWith(s.Literal, StringComparison.Ordinal) ? 1 : 0;
        }

        return 1;
    }
}
