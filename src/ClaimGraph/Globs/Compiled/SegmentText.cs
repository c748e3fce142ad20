namespace ClaimGraph.Globs;

/// <summary>
/// A slice of a string compared ordinally, used as a trie key: a stored claim's literal segment names its node without a
/// string of its own.
/// </summary>
internal readonly struct SegmentText : IEquatable<SegmentText>, IComparable<SegmentText>
{
    private readonly string _text;
    private readonly int _start;
    private readonly int _length;

    public SegmentText(string text)
        : this(text, 0, text.Length)
    {
    }

    public SegmentText(string text, int start, int length)
    {
        _text = text;
        _start = start;
        _length = length;
    }

    public ReadOnlySpan<char> Span => _text.AsSpan(_start, _length);

    /// <summary>Whether both are slices of the same string instance.</summary>
    public bool SharesTextWith(SegmentText other) => ReferenceEquals(_text, other._text);

    public int Length => _length;

    public bool Equals(SegmentText other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is SegmentText other && Equals(other);

    public override int GetHashCode() => string.GetHashCode(Span);

    /// <summary>Ordinal order.</summary>
    public int CompareTo(SegmentText other) => Span.SequenceCompareTo(other.Span);

    public override string ToString() => Span.ToString();
}
