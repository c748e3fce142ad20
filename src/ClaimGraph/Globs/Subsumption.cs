namespace ClaimGraph.Globs;

/// <summary>
/// A sound (never wrong, sometimes silent) check that one pattern covers every path another covers. It
/// recognises the common shape: the covering alternative is a run of plain segments followed only by the implied
/// globstar (<c>src/gen/**</c>, <c>src/*/bin</c>, <c>docs/*.md</c>), segment by segment wider than the covered one.
/// </summary>
internal static class Subsumption
{
    /// <summary>Whether every path covered by <paramref name="inner"/> is covered by <paramref name="outer"/> (false means "not shown").</summary>
    public static bool CoversAll(Glob outer, Glob inner)
    {
        if (!string.Equals(outer.Namespace, inner.Namespace, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (Alternative a in inner.Alternatives)
        {
            bool covered = false;
            foreach (Alternative x in outer.Alternatives)
            {
                if (PrefixCovers(x.Cover, a.Cover))
                {
                    covered = true;
                    break;
                }
            }

            if (!covered)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><paramref name="outer"/> is <c>s1..sk/**</c> with plain segments and <paramref name="inner"/> starts with <c>t1..tk</c>, each si ⊇ ti.</summary>
    private static bool PrefixCovers(Segment[] outer, Segment[] inner)
    {
        int k = outer.Length - 1;
        if (k < 0 || outer[k].Kind != SegmentKind.Globstar || inner.Length < k)
        {
            return false;
        }

        for (int i = 0; i < k; i++)
        {
            if (outer[i].Kind == SegmentKind.Globstar || inner[i].Kind == SegmentKind.Globstar || !SegmentCovers(outer[i], inner[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether every name <paramref name="inner"/> matches, <paramref name="outer"/> matches (both non-globstar).</summary>
    internal static bool SegmentCovers(Segment outer, Segment inner)
    {
        if (outer.Kind == SegmentKind.AnyName)
        {
            return true;
        }

        // A case-sensitive outer cannot be shown to cover an ignore-case inner by comparing literals.
        if (inner.IgnoreCase && !outer.IgnoreCase)
        {
            return false;
        }

        switch (outer.Kind)
        {
            case SegmentKind.Literal:
                return inner.Kind == SegmentKind.Literal && SameText(outer.Literal, inner.Literal, outer.IgnoreCase);
            case SegmentKind.Prefix:
                return inner.Kind is SegmentKind.Literal or SegmentKind.Prefix
                    && inner.Literal.Length >= outer.Literal.Length
                    && SameText(outer.Literal, inner.Literal[..outer.Literal.Length], outer.IgnoreCase);
            case SegmentKind.Suffix:
                return inner.Kind is SegmentKind.Literal or SegmentKind.Suffix
                    && inner.Literal.Length >= outer.Literal.Length
                    && SameText(outer.Literal, inner.Literal[^outer.Literal.Length..], outer.IgnoreCase);
            default:
                return false;
        }
    }

    private static bool SameText(ReadOnlySpan<char> a, ReadOnlySpan<char> b, bool ignoreCase) =>
        a.Length == b.Length && Segment.EqualChars(a, b, ignoreCase);
}
