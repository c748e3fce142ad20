using System.Numerics;

namespace ClaimGraph.Globs;

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
