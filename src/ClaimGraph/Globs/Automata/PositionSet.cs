namespace ClaimGraph.Globs;

/// <summary>A set of automaton positions (<see cref="SequenceAutomaton"/>), compared by value: a state of a subset construction.</summary>
internal sealed class PositionSet : IEquatable<PositionSet>
{
    private readonly int _hash;

    public PositionSet(ulong[] words)
    {
        Words = words;
        var h = default(HashCode);
        foreach (ulong w in words)
        {
            h.Add(w);
        }

        _hash = h.ToHashCode();
    }

    public ulong[] Words { get; }

    public bool Equals(PositionSet? other) => other is not null && _hash == other._hash && Words.AsSpan().SequenceEqual(other.Words);

    public override bool Equals(object? obj) => Equals(obj as PositionSet);

    public override int GetHashCode() => _hash;
}
