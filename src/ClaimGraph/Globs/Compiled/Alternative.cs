using System.Diagnostics;

namespace ClaimGraph.Globs;

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
