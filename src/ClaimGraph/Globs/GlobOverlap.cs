namespace ClaimGraph.Globs;

/// <summary>
/// Exact overlap of two patterns' coverages. <see cref="Overlaps"/> walks the two cover sequences in step up to the
/// first globstar on either side and then only asks whether both remainders accept some path
/// (<see cref="CoversIntersect"/> says why that is exact). The witness is a shortest path in the product of the two
/// patterns' <see cref="SequenceAutomaton"/>s at both levels: <see cref="CommonPath"/> (Dijkstra over segment
/// positions) over <see cref="CommonName"/> (0-1 BFS over token positions and the name flag). O(|a|·|b|) per pair of
/// brace alternatives; no exponential case.
/// </summary>
internal static class GlobOverlap
{
    public static bool Overlaps(Glob a, Glob b)
    {
        if (!string.Equals(a.Namespace, b.Namespace, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (Alternative x in a.Alternatives)
        {
            foreach (Alternative y in b.Alternatives)
            {
                if (CoversIntersect(x.Cover, y.Cover))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static string? Witness(Glob a, Glob b)
    {
        if (!string.Equals(a.Namespace, b.Namespace, StringComparison.Ordinal))
        {
            return null;
        }

        // Canonical argument order makes the witness symmetric.
        if (Compare(a, b) > 0)
        {
            (a, b) = (b, a);
        }

        string? best = null;
        foreach (Alternative x in a.Alternatives)
        {
            foreach (Alternative y in b.Alternatives)
            {
                // The overlap test is far cheaper than the shortest-path search and rules out disjoint pairs.
                string? w = CoversIntersect(x.Cover, y.Cover) ? CommonPath.Shortest(x.Cover, y.Cover) : null;
                if (w is not null && (best is null || w.Length < best.Length || (w.Length == best.Length && string.CompareOrdinal(w, best) < 0)))
                {
                    best = w;
                }
            }
        }

        return best;
    }

    private static int Compare(Glob a, Glob b)
    {
        int c = string.CompareOrdinal(a.Pattern, b.Pattern);
        return c != 0 ? c : ((int)a.Options).CompareTo((int)b.Options);
    }

    // ---------------------------------------------------------------- segment level

    /// <summary>
    /// Whether the two cover sequences (each ending with a globstar) accept a common path. While neither side is at a
    /// globstar, both consume one segment per step, so the pair walks in step; at the first globstar on either side the
    /// answer is whether both remainders accept some path. Reason: say <c>a[k..] = ** R</c>; take a path <c>p</c> that
    /// <c>b[k..]</c> accepts and a path <c>r</c> that <c>R</c> accepts; <c>b[k..]</c> ends with a globstar, so it also
    /// accepts <c>p/r</c>, and in <c>a[k..]</c> the globstar absorbs <c>p</c>. No search of the product is needed.
    /// </summary>
    internal static bool CoversIntersect(Segment[] a, Segment[] b)
    {
        int k = 0;
        while (a[k].Kind != SegmentKind.Globstar && b[k].Kind != SegmentKind.Globstar)
        {
            // Both end with a globstar, so one is reached before either runs out.
            if (!SegmentsIntersect(a[k], b[k]))
            {
                return false;
            }

            k++;
        }

        return SequenceAutomaton.AcceptsSomePath(a, k) && SequenceAutomaton.AcceptsSomePath(b, k);
    }

    /// <summary>
    /// Whether some valid path segment matches both segment patterns. Literals, prefixes (<c>lit*</c>) and suffixes
    /// (<c>*lit</c>) are decided by comparing their literals; only other pairs need the character-level product. A
    /// character can equal both <c>x</c> and <c>y</c> (each under its own pattern's case option) exactly when <c>x</c> and
    /// <c>y</c> are equal under the looser of the two options, since ignore-case equality is an equivalence.
    /// </summary>
    internal static bool SegmentsIntersect(Segment a, Segment b)
    {
        if (a.IsAnyName)
        {
            return b.IsAnyName || b.MatchesSomeValidName;
        }

        if (b.IsAnyName)
        {
            return a.MatchesSomeValidName;
        }

        if (a.Kind == SegmentKind.Literal && !a.IgnoreCase)
        {
            return a.LiteralIsValidName && b.Matches(a.Literal);
        }

        if (b.Kind == SegmentKind.Literal && !b.IgnoreCase)
        {
            return b.LiteralIsValidName && a.Matches(b.Literal);
        }

        if (a.IsAffix && b.IsAffix)
        {
            return AffixesIntersect(a, b);
        }

        return CommonName.Shortest(a, b, witness: null) >= 0;
    }

    /// <summary>
    /// Two segments among literal, prefix and suffix. Their literals must be valid names (a <c>\</c> rules out every name;
    /// the parser rejects a literal <c>.</c> or <c>..</c>, and a star can always add a letter). Then: two literals must be
    /// equal; a literal must start (end) with a prefix (suffix); two prefixes (suffixes) must agree on their common length;
    /// a prefix and a suffix always meet (<c>P + "a" + S</c>).
    /// </summary>
    private static bool AffixesIntersect(Segment a, Segment b)
    {
        if (!a.LiteralIsValidName || !b.LiteralIsValidName)
        {
            return false;
        }

        if (b.Kind == SegmentKind.Literal && a.Kind != SegmentKind.Literal)
        {
            (a, b) = (b, a);
        }

        bool ignoreCase = a.IgnoreCase || b.IgnoreCase;
        ReadOnlySpan<char> x = a.Literal, y = b.Literal;
        switch (a.Kind, b.Kind)
        {
            case (SegmentKind.Literal, SegmentKind.Literal):
                return x.Length == y.Length && Segment.EqualChars(x, y, ignoreCase);
            case (SegmentKind.Literal, SegmentKind.Prefix):
                return x.Length >= y.Length && Segment.EqualChars(x.Slice(0, y.Length), y, ignoreCase);
            case (SegmentKind.Literal, _):
                return x.Length >= y.Length && Segment.EqualChars(x.Slice(x.Length - y.Length), y, ignoreCase);
            case (SegmentKind.Prefix, SegmentKind.Prefix):
                return x.Length <= y.Length
                    ? Segment.EqualChars(x, y.Slice(0, x.Length), ignoreCase)
                    : Segment.EqualChars(x.Slice(0, y.Length), y, ignoreCase);
            case (SegmentKind.Suffix, SegmentKind.Suffix):
                return x.Length <= y.Length
                    ? Segment.EqualChars(x, y.Slice(y.Length - x.Length), ignoreCase)
                    : Segment.EqualChars(x.Slice(x.Length - y.Length), y, ignoreCase);
            default:
                return true;
        }
    }
}
