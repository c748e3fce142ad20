using System.Numerics;

namespace ClaimGraph.Globs;

/// <summary>
/// Whether some path is covered by every positive pattern and by no negative one: breadth first over the subset
/// construction of all their cover sequences (<see cref="SequenceAutomaton"/> at the segment level, one bit space).
/// Path names are not enumerated: for a state, <see cref="NameSignatures"/> gives every achievable "which waiting
/// segments match this name" signature with a shortest name. Only successors not dominated by another (more live
/// positive positions, fewer live negative ones) are followed; that keeps the search exact because coverage is
/// monotone in those sets. Every step counts against the budget.
/// </summary>
internal sealed class ExclusionProduct
{
    private readonly Segment?[] _segmentAt;
    private readonly ulong[] _start;
    private readonly ulong[] _accept;
    private readonly ulong[] _globstars;
    private readonly ulong[] _positive;  // positions of positive patterns
    private readonly ulong[] _negative;  // positions of negative patterns
    private readonly ulong[][] _pattern; // positions of each pattern, positives first
    private readonly int _positives;
    private readonly Dictionary<PositionSet, List<(ulong[] Signature, string Name)>> _names = [];
    private int _budget;

    public ExclusionProduct(ReadOnlySpan<Glob> positives, List<Glob> negatives, int budget)
    {
        _positives = positives.Length;
        _budget = budget;
        int positions = 0;
        foreach (Glob g in positives)
        {
            positions += SequenceAutomaton.CoverPositions(g.Alternatives);
        }

        foreach (Glob g in negatives)
        {
            positions += SequenceAutomaton.CoverPositions(g.Alternatives);
        }

        int words = SequenceAutomaton.Words(positions);
        _segmentAt = new Segment?[positions];
        _start = new ulong[words];
        _accept = new ulong[words];
        _globstars = new ulong[words];
        _positive = new ulong[words];
        _negative = new ulong[words];
        _pattern = new ulong[positives.Length + negatives.Count][];
        int at = 0;
        for (int p = 0; p < _pattern.Length; p++)
        {
            Glob g = p < _positives ? positives[p] : negatives[p - _positives];
            int end = SequenceAutomaton.LayCovers(g.Alternatives, at, _segmentAt, _start, _accept, _globstars, satisfiable: default);
            _pattern[p] = new ulong[words];
            for (int i = at; i < end; i++)
            {
                SequenceAutomaton.Add(_pattern[p], i);
                SequenceAutomaton.Add(p < _positives ? _positive : _negative, i);
            }

            at = end;
        }
    }

    /// <summary>True with a path, false when proven empty, null when the budget ran out.</summary>
    public bool? Run(out string? path)
    {
        path = null;
        ulong[] start = (ulong[])_start.Clone();
        SequenceAutomaton.Close(start, _globstars);
        var states = new List<(PositionSet State, int Prev, string Name)> { (new PositionSet(start), -1, string.Empty) };
        var seen = new HashSet<PositionSet> { states[0].State };
        for (int head = 0; head < states.Count; head++)
        {
            PositionSet current = states[head].State;
            if (head > 0 && Accepting(current.Words))
            {
                path = Reconstruct(states, head);
                return true;
            }

            List<(ulong[] Signature, string Name)>? names = Names(current.Words);
            if (names is null)
            {
                return null;
            }

            var next = new List<(ulong[] State, string Name)>();
            foreach ((ulong[] sig, string name) in names)
            {
                if (--_budget < 0)
                {
                    return null;
                }

                var s = new ulong[_start.Length];
                SequenceAutomaton.Step(current.Words, sig, _globstars, s);
                if (!Dead(s))
                {
                    next.Add((s, name));
                }
            }

            for (int i = 0; i < next.Count; i++)
            {
                bool dominated = false;
                for (int j = 0; j < next.Count && !dominated; j++)
                {
                    dominated = j != i && Dominates(next[j].State, next[i].State) && (!Dominates(next[i].State, next[j].State) || j < i);
                }

                var key = new PositionSet(next[i].State);
                if (!dominated && seen.Add(key))
                {
                    states.Add((key, head, next[i].Name));
                }
            }
        }

        return false;
    }

    private static string Reconstruct(List<(PositionSet State, int Prev, string Name)> states, int at)
    {
        var names = new List<string>();
        for (int i = at; i > 0; i = states[i].Prev)
        {
            names.Add(states[i].Name);
        }

        names.Reverse();
        return string.Join('/', names);
    }

    private static bool Intersects(ulong[] a, ulong[] b, ulong[] c)
    {
        for (int w = 0; w < a.Length; w++)
        {
            if ((a[w] & b[w] & c[w]) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private bool Accepting(ulong[] state)
    {
        for (int p = 0; p < _positives; p++)
        {
            if (!Intersects(state, _accept, _pattern[p]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A positive pattern can no longer match, or an exclusion already covers every continuation.</summary>
    private bool Dead(ulong[] state)
    {
        for (int p = 0; p < _pattern.Length; p++)
        {
            bool dead = p < _positives ? !Intersects(state, state, _pattern[p]) : Intersects(state, _accept, _pattern[p]);
            if (dead)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether every continuation from <paramref name="b"/> is also one from <paramref name="a"/>.</summary>
    private bool Dominates(ulong[] a, ulong[] b)
    {
        for (int w = 0; w < a.Length; w++)
        {
            if ((b[w] & ~a[w] & _positive[w]) != 0 || (a[w] & ~b[w] & _negative[w]) != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Every achievable signature (the waiting positions whose segment matches) with a shortest name, or null when the budget ran out.</summary>
    private List<(ulong[] Signature, string Name)>? Names(ulong[] state)
    {
        // The positions that wait on a plain (non-globstar) segment; a signature is a subset of them.
        var pendingKey = new ulong[state.Length];
        var pending = new List<int>();
        for (int w = 0; w < state.Length; w++)
        {
            pendingKey[w] = state[w] & ~_globstars[w] & ~_accept[w];
            for (ulong rest = pendingKey[w]; rest != 0; rest &= rest - 1)
            {
                pending.Add((w << 6) + BitOperations.TrailingZeroCount(rest));
            }
        }

        var key = new PositionSet(pendingKey);
        if (_names.TryGetValue(key, out List<(ulong[] Signature, string Name)>? cached))
        {
            return cached;
        }

        var segments = new Segment[pending.Count];
        for (int k = 0; k < pending.Count; k++)
        {
            segments[k] = _segmentAt[pending[k]]!;
        }

        List<(bool[] Matches, string Name)>? found = NameSignatures.Find(segments, ref _budget);
        if (found is null)
        {
            return null;
        }

        var result = new List<(ulong[] Signature, string Name)>(found.Count);
        foreach ((bool[] matches, string name) in found)
        {
            var sig = new ulong[state.Length];
            for (int k = 0; k < pending.Count; k++)
            {
                if (matches[k])
                {
                    SequenceAutomaton.Add(sig, pending[k]);
                }
            }

            result.Add((sig, name));
        }

        _names[key] = result;
        return result;
    }
}
