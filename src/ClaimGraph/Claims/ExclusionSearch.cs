using System.Collections.Immutable;
using System.Text;
using ClaimGraph.Globs;

namespace ClaimGraph.Claims;

/// <summary>
/// Decides whether some path is covered by two patterns and by none of a list of exclusions.
/// </summary>
/// <remarks>
/// <para>
/// Cheap steps first: no overlap means disjoint; no exclusion overlapping both patterns, or an overlap witness that
/// no exclusion covers, means a witness; an exclusion that covers all of one pattern (<see cref="Subsumption"/>)
/// means disjoint.
/// </para>
/// <para>
/// Otherwise an exact search: breadth-first over the product of the two patterns' cover automata (sets of
/// positions) and the subset construction of every exclusion's cover automaton. Path segments are not enumerated:
/// for a product state, a second breadth-first search over the characters of the segment patterns in play (token
/// positions, with one representative character per class of characters that every token treats alike, plus a flag
/// that rules out the names "", "." and "..") finds every achievable "which segment patterns match this name"
/// signature with a shortest name for it. Only signatures not dominated (more positive positions, fewer excluded
/// ones) are followed, which keeps the search exact because coverage is monotone in those sets. Every step counts
/// against the budget; when it runs out the answer is <see cref="Outcome.Unknown"/>.
/// </para>
/// </remarks>
internal static class ExclusionSearch
{
    /// <summary>The default number of search steps (state transitions computed) for one entry pair.</summary>
    public const int DefaultBudget = 50_000;

    public enum Outcome
    {
        /// <summary>Proven: no path is covered by both patterns outside the exclusions.</summary>
        Disjoint,

        /// <summary>Found: the witness is covered by both and by no exclusion.</summary>
        Witness,

        /// <summary>Undecided within the budget; the witness is covered by both patterns only.</summary>
        Unknown,
    }

    public static Outcome Find(Glob e, ImmutableArray<Glob> excludedByE, Glob f, ImmutableArray<Glob> excludedByF, int budget, out string? witness)
    {
        if (!Glob.TryGetWitness(e, f, out witness))
        {
            return Outcome.Disjoint;
        }

        List<Glob>? relevant = null;
        CollectRelevant(e, f, excludedByE, ref relevant);
        CollectRelevant(e, f, excludedByF, ref relevant);
        if (relevant is null || !AnyCovers(relevant, witness!))
        {
            return Outcome.Witness;
        }

        foreach (Glob x in relevant)
        {
            if (Subsumption.CoversAll(x, e) || Subsumption.CoversAll(x, f))
            {
                return Outcome.Disjoint;
            }
        }

        var search = new ProductSearch([e, f], relevant, budget);
        bool? found = search.Run(out string? path);
        if (found == false)
        {
            return Outcome.Disjoint;
        }

        // The search is exact by construction; the re-check only guards the evidence against a defect.
        if (found == true && e.Covers(path!) && f.Covers(path!) && !AnyCovers(relevant, path!))
        {
            witness = path;
            return Outcome.Witness;
        }

        return Outcome.Unknown;
    }

    private static bool AnyCovers(List<Glob> globs, string path)
    {
        foreach (Glob x in globs)
        {
            if (x.Covers(path))
            {
                return true;
            }
        }

        return false;
    }

    private static void CollectRelevant(Glob e, Glob f, ImmutableArray<Glob> exclusions, ref List<Glob>? relevant)
    {
        foreach (Glob x in exclusions)
        {
            if (string.Equals(x.Namespace, e.Namespace, StringComparison.Ordinal) && GlobOverlap.Overlaps(x, e) && GlobOverlap.Overlaps(x, f))
            {
                (relevant ??= []).Add(x);
            }
        }
    }

    /// <summary>A set of automaton positions, value-compared.</summary>
    private sealed class Bits : IEquatable<Bits>
    {
        private readonly int _hash;

        public Bits(ulong[] words)
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

        public bool Equals(Bits? other) => other is not null && _hash == other._hash && Words.AsSpan().SequenceEqual(other.Words);

        public override bool Equals(object? obj) => Equals(obj as Bits);

        public override int GetHashCode() => _hash;
    }

    private static bool Get(ulong[] w, int i) => (w[i >> 6] & (1UL << (i & 63))) != 0;

    private static void Set(ulong[] w, int i) => w[i >> 6] |= 1UL << (i & 63);

    /// <summary>The segment-level product of positive patterns and negated exclusions.</summary>
    private sealed class ProductSearch
    {
        private readonly int _positives;
        private readonly Segment[][] _seq;     // every alternative's cover, of every pattern
        private readonly int[] _patternOf;     // pattern index of each alternative
        private readonly int[] _base;          // first bit of each alternative in the state
        private readonly int _bits;
        private readonly Dictionary<Bits, List<(ulong[] Signature, string Name)>> _names = [];
        private int _budget;

        public ProductSearch(Glob[] positives, List<Glob> negatives, int budget)
        {
            _positives = positives.Length;
            _budget = budget;
            var seq = new List<Segment[]>();
            var owner = new List<int>();
            int p = 0;
            foreach (Glob g in positives.Concat(negatives))
            {
                foreach (Alternative alt in g.Alternatives)
                {
                    seq.Add(alt.Cover);
                    owner.Add(p);
                }

                p++;
            }

            _seq = [.. seq];
            _patternOf = [.. owner];
            _base = new int[_seq.Length];
            int bits = 0;
            for (int a = 0; a < _seq.Length; a++)
            {
                _base[a] = bits;
                bits += _seq[a].Length + 1;
            }

            _bits = bits;
            Patterns = p;
        }

        private int Patterns { get; }

        /// <summary>True with a path, false when proven empty, null when the budget ran out.</summary>
        public bool? Run(out string? path)
        {
            path = null;
            var start = new ulong[Words];
            for (int a = 0; a < _seq.Length; a++)
            {
                Set(start, _base[a]);
            }

            Close(start);
            var states = new List<(Bits State, int Prev, string Name)> { (new Bits(start), -1, string.Empty) };
            var seen = new HashSet<Bits> { states[0].State };
            for (int head = 0; head < states.Count; head++)
            {
                Bits current = states[head].State;
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

                    ulong[] s = Step(current.Words, sig);
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

                    var key = new Bits(next[i].State);
                    if (!dominated && seen.Add(key))
                    {
                        states.Add((key, head, next[i].Name));
                    }
                }
            }

            return false;
        }

        private int Words => (_bits + 63) >> 6;

        private static string Reconstruct(List<(Bits State, int Prev, string Name)> states, int at)
        {
            var names = new List<string>();
            for (int i = at; i > 0; i = states[i].Prev)
            {
                names.Add(states[i].Name);
            }

            names.Reverse();
            return string.Join('/', names);
        }

        private void Close(ulong[] state)
        {
            for (int a = 0; a < _seq.Length; a++)
            {
                Segment[] s = _seq[a];
                for (int i = 0; i < s.Length; i++)
                {
                    if (s[i].Kind == SegmentKind.Globstar && Get(state, _base[a] + i))
                    {
                        Set(state, _base[a] + i + 1);
                    }
                }
            }
        }

        private bool PatternAccepts(ulong[] state, int pattern)
        {
            for (int a = 0; a < _seq.Length; a++)
            {
                if (_patternOf[a] == pattern && Get(state, _base[a] + _seq[a].Length))
                {
                    return true;
                }
            }

            return false;
        }

        private bool PatternAlive(ulong[] state, int pattern)
        {
            for (int a = 0; a < _seq.Length; a++)
            {
                if (_patternOf[a] != pattern)
                {
                    continue;
                }

                for (int i = 0; i <= _seq[a].Length; i++)
                {
                    if (Get(state, _base[a] + i))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private bool Accepting(ulong[] state)
        {
            for (int p = 0; p < _positives; p++)
            {
                if (!PatternAccepts(state, p))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A positive pattern can no longer match, or an exclusion already covers every continuation.</summary>
        private bool Dead(ulong[] state)
        {
            for (int p = 0; p < Patterns; p++)
            {
                if (p < _positives ? !PatternAlive(state, p) : PatternAccepts(state, p))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether every continuation from <paramref name="b"/> is also one from <paramref name="a"/>.</summary>
        private bool Dominates(ulong[] a, ulong[] b)
        {
            for (int alt = 0; alt < _seq.Length; alt++)
            {
                bool positive = _patternOf[alt] < _positives;
                for (int i = 0; i <= _seq[alt].Length; i++)
                {
                    int bit = _base[alt] + i;
                    bool ia = Get(a, bit), ib = Get(b, bit);
                    if (positive ? (ib && !ia) : (ia && !ib))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>The bit of every position that waits on a plain (non-globstar) segment; the signature is indexed by these.</summary>
        private List<int> Pending(ulong[] state)
        {
            var pending = new List<int>();
            for (int a = 0; a < _seq.Length; a++)
            {
                for (int i = 0; i < _seq[a].Length; i++)
                {
                    if (_seq[a][i].Kind != SegmentKind.Globstar && Get(state, _base[a] + i))
                    {
                        pending.Add(_base[a] + i);
                    }
                }
            }

            return pending;
        }

        private ulong[] Step(ulong[] state, ulong[] signature)
        {
            var next = new ulong[Words];
            for (int a = 0; a < _seq.Length; a++)
            {
                Segment[] s = _seq[a];
                for (int i = 0; i < s.Length; i++)
                {
                    int bit = _base[a] + i;
                    if (!Get(state, bit))
                    {
                        continue;
                    }

                    if (s[i].Kind == SegmentKind.Globstar)
                    {
                        Set(next, bit);
                    }
                    else if (Get(signature, bit))
                    {
                        Set(next, bit + 1);
                    }
                }
            }

            Close(next);
            return next;
        }

        /// <summary>Every achievable signature (by state bit) with a shortest name, or null when the budget ran out.</summary>
        private List<(ulong[] Signature, string Name)>? Names(ulong[] state)
        {
            List<int> pending = Pending(state);
            var pendingKey = new ulong[Words];
            foreach (int bit in pending)
            {
                Set(pendingKey, bit);
            }

            var key = new Bits(pendingKey);
            if (_names.TryGetValue(key, out List<(ulong[] Signature, string Name)>? cached))
            {
                return cached;
            }

            var segments = new Segment[pending.Count];
            for (int k = 0; k < pending.Count; k++)
            {
                int bit = pending[k];
                int a = Array.FindLastIndex(_base, b => b <= bit);
                segments[k] = _seq[a][bit - _base[a]];
            }

            List<(bool[] Matches, string Name)>? found = NameSearch.Run(segments, ref _budget);
            if (found is null)
            {
                return null;
            }

            var result = new List<(ulong[] Signature, string Name)>(found.Count);
            foreach ((bool[] matches, string name) in found)
            {
                var sig = new ulong[Words];
                for (int k = 0; k < pending.Count; k++)
                {
                    if (matches[k])
                    {
                        Set(sig, pending[k]);
                    }
                }

                result.Add((sig, name));
            }

            _names[key] = result;
            return result;
        }
    }

    /// <summary>The character-level search: which combinations of segment patterns one valid name can match.</summary>
    private static class NameSearch
    {
        private const string Preferred = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_-";

        /// <summary>Every achievable match vector with a shortest name for it, or null when the budget ran out.</summary>
        public static List<(bool[] Matches, string Name)>? Run(Segment[] segments, ref int budget)
        {
            int n = segments.Length;
            var offsets = new int[n + 1];
            for (int k = 0; k < n; k++)
            {
                offsets[k + 1] = offsets[k] + segments[k].Tokens.Length + 1;
            }

            int words = ((offsets[n] + 2) + 63) >> 6; // two extra bits hold the name flag
            int flagBit = offsets[n];
            char[]? alphabet = Alphabet(segments, ref budget);
            if (alphabet is null)
            {
                return null;
            }

            var start = new ulong[words];
            for (int k = 0; k < n; k++)
            {
                Set(start, offsets[k]);
            }

            CloseStars(segments, offsets, start);
            var states = new List<(Bits State, int Prev, char Via)> { (new Bits(start), -1, '\0') };
            var seen = new HashSet<Bits> { states[0].State };
            var signatures = new HashSet<Bits>();
            var result = new List<(bool[] Matches, string Name)>();
            for (int head = 0; head < states.Count; head++)
            {
                ulong[] s = states[head].State.Words;
                if (Flag(s, flagBit) == 3)
                {
                    var matches = new bool[n];
                    var sig = new ulong[(n + 63) >> 6];
                    for (int k = 0; k < n; k++)
                    {
                        matches[k] = Get(s, offsets[k + 1] - 1);
                        if (matches[k])
                        {
                            Set(sig, k);
                        }
                    }

                    if (signatures.Add(new Bits(sig)))
                    {
                        result.Add((matches, Name(states, head)));
                    }
                }

                foreach (char c in alphabet)
                {
                    if (--budget < 0)
                    {
                        return null;
                    }

                    var next = new ulong[words];
                    for (int k = 0; k < n; k++)
                    {
                        Token[] tokens = segments[k].Tokens;
                        bool ignoreCase = segments[k].IgnoreCase;
                        for (int p = 0; p < tokens.Length; p++)
                        {
                            if (!Get(s, offsets[k] + p))
                            {
                                continue;
                            }

                            if (tokens[p].Kind == TokenKind.Star)
                            {
                                Set(next, offsets[k] + p);
                            }
                            else if (Segment.TokenMatches(tokens[p], c, ignoreCase))
                            {
                                Set(next, offsets[k] + p + 1);
                            }
                        }
                    }

                    CloseStars(segments, offsets, next);
                    int flag = Flag(s, flagBit);
                    int nextFlag = c != '.' ? 3 : flag == 0 ? 1 : flag == 1 ? 2 : 3;
                    if ((nextFlag & 1) != 0)
                    {
                        Set(next, flagBit);
                    }

                    if ((nextFlag & 2) != 0)
                    {
                        Set(next, flagBit + 1);
                    }

                    var key = new Bits(next);
                    if (seen.Add(key))
                    {
                        states.Add((key, head, c));
                    }
                }
            }

            return result;
        }

        private static int Flag(ulong[] s, int flagBit) => (Get(s, flagBit) ? 1 : 0) | (Get(s, flagBit + 1) ? 2 : 0);

        private static string Name(List<(Bits State, int Prev, char Via)> states, int at)
        {
            var sb = new StringBuilder();
            for (int i = at; i > 0; i = states[i].Prev)
            {
                sb.Insert(0, states[i].Via);
            }

            return sb.ToString();
        }

        private static void CloseStars(Segment[] segments, int[] offsets, ulong[] state)
        {
            for (int k = 0; k < segments.Length; k++)
            {
                Token[] tokens = segments[k].Tokens;
                for (int p = 0; p < tokens.Length; p++)
                {
                    if (tokens[p].Kind == TokenKind.Star && Get(state, offsets[k] + p))
                    {
                        Set(state, offsets[k] + p + 1);
                    }
                }
            }
        }

        /// <summary>
        /// One character per class of characters that every token of <paramref name="segments"/> accepts alike
        /// (and that are alike for validity and for the dot flag), preferring readable ones.
        /// </summary>
        private static char[]? Alphabet(Segment[] segments, ref int budget)
        {
            var cuts = new SortedSet<int> { 0, 1, '.', '.' + 1, '/', '/' + 1, '\\', '\\' + 1, 0x10000 };
            foreach (Segment seg in segments)
            {
                foreach (Token t in seg.Tokens)
                {
                    if (t.Kind == TokenKind.Char)
                    {
                        AddChar(cuts, t.C, seg.IgnoreCase);
                    }
                    else if (t.Kind == TokenKind.Set)
                    {
                        CharSet set = t.Set!;
                        for (int r = 0; r < set.Low.Length; r++)
                        {
                            cuts.Add(set.Low[r]);
                            cuts.Add(set.High[r] + 1);
                            if (!set.IgnoreCase)
                            {
                                continue;
                            }

                            budget -= set.High[r] - set.Low[r] + 1;
                            if (budget < 0)
                            {
                                return null;
                            }

                            for (int c = set.Low[r]; c <= set.High[r]; c++)
                            {
                                AddChar(cuts, (char)c, ignoreCase: true);
                            }
                        }
                    }
                }
            }

            var result = new List<char>();
            int previous = -1;
            foreach (int cut in cuts)
            {
                if (previous >= 0 && !(previous is 0 or '/' or '\\'))
                {
                    result.Add(Representative(previous, cut));
                }

                previous = cut;
            }

            // Readable characters first so that witnesses read naturally.
            result.Sort((x, y) => Rank(x).CompareTo(Rank(y)));
            return [.. result];
        }

        private static void AddChar(SortedSet<int> cuts, char c, bool ignoreCase)
        {
            if (!ignoreCase)
            {
                cuts.Add(c);
                cuts.Add(c + 1);
                return;
            }

            foreach (char r in CaseFolding.Relatives(c))
            {
                cuts.Add(r);
                cuts.Add(r + 1);
            }
        }

        private static char Representative(int from, int to)
        {
            foreach (char c in Preferred)
            {
                if (c >= from && c < to)
                {
                    return c;
                }
            }

            return (char)from;
        }

        private static int Rank(char c)
        {
            int i = Preferred.IndexOf(c, StringComparison.Ordinal);
            return i >= 0 ? i : c == '.' ? Preferred.Length : Preferred.Length + 1 + c;
        }
    }
}
