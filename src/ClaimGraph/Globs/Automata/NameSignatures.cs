using System.Text;

namespace ClaimGraph.Globs;

/// <summary>
/// Which combinations of segment patterns one valid name can match: the subset construction of the segments' token
/// sequences (<see cref="SequenceAutomaton"/> at the character level, all laid out in one bit space, plus the two bits
/// of the <see cref="NameRules"/> flag), explored breadth first over one representative character per class of
/// characters that every token treats alike. Each achievable signature comes with a shortest name for it. Unlike
/// <see cref="CommonName"/>, which only needs names that all segments match, this sees names that some segments do
/// <em>not</em> match, so it needs the subset construction, which can grow exponentially: every step counts against a
/// budget.
/// </summary>
internal static class NameSignatures
{
    /// <summary>Every achievable match vector with a shortest name for it, or null when the budget ran out.</summary>
    public static List<(bool[] Matches, string Name)>? Find(Segment[] segments, ref int budget)
    {
        int n = segments.Length;
        var offsets = new int[n + 1];
        for (int k = 0; k < n; k++)
        {
            offsets[k + 1] = offsets[k] + segments[k].Tokens.Length + 1;
        }

        int flagBit = offsets[n]; // two bits past the positions hold the name flag
        int words = SequenceAutomaton.Words(flagBit + 2);
        char[]? alphabet = Alphabet(segments, ref budget);
        if (alphabet is null)
        {
            return null;
        }

        var start = new ulong[words];
        var stars = new ulong[words];
        for (int k = 0; k < n; k++)
        {
            SequenceAutomaton.Add(start, offsets[k]);
            Token[] tokens = segments[k].Tokens;
            for (int p = 0; p < tokens.Length; p++)
            {
                if (tokens[p].Kind == TokenKind.Star)
                {
                    SequenceAutomaton.Add(stars, offsets[k] + p);
                }
            }
        }

        SequenceAutomaton.Close(start, stars);
        var states = new List<(PositionSet State, int Prev, char Via)> { (new PositionSet(start), -1, '\0') };
        var seen = new HashSet<PositionSet> { states[0].State };
        var signatures = new HashSet<PositionSet>();
        var result = new List<(bool[] Matches, string Name)>();
        var advanced = new ulong[words];
        for (int head = 0; head < states.Count; head++)
        {
            ulong[] s = states[head].State.Words;
            int flag = Flag(s, flagBit);
            if (flag == NameRules.Valid)
            {
                var matches = new bool[n];
                var sig = new ulong[SequenceAutomaton.Words(n)];
                for (int k = 0; k < n; k++)
                {
                    matches[k] = SequenceAutomaton.Has(s, offsets[k + 1] - 1);
                    if (matches[k])
                    {
                        SequenceAutomaton.Add(sig, k);
                    }
                }

                if (signatures.Add(new PositionSet(sig)))
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

                Array.Clear(advanced);
                for (int k = 0; k < n; k++)
                {
                    Token[] tokens = segments[k].Tokens;
                    bool ignoreCase = segments[k].IgnoreCase;
                    for (int p = 0; p < tokens.Length; p++)
                    {
                        if (tokens[p].Kind != TokenKind.Star && SequenceAutomaton.Has(s, offsets[k] + p) && Segment.TokenMatches(tokens[p], c, ignoreCase))
                        {
                            SequenceAutomaton.Add(advanced, offsets[k] + p);
                        }
                    }
                }

                var next = new ulong[words];
                SequenceAutomaton.Step(s, advanced, stars, next);
                int nextFlag = NameRules.NextFlag(flag, c);
                if ((nextFlag & 1) != 0)
                {
                    SequenceAutomaton.Add(next, flagBit);
                }

                if ((nextFlag & 2) != 0)
                {
                    SequenceAutomaton.Add(next, flagBit + 1);
                }

                var key = new PositionSet(next);
                if (seen.Add(key))
                {
                    states.Add((key, head, c));
                }
            }
        }

        return result;
    }

    private static int Flag(ulong[] s, int flagBit) => (SequenceAutomaton.Has(s, flagBit) ? 1 : 0) | (SequenceAutomaton.Has(s, flagBit + 1) ? 2 : 0);

    private static string Name(List<(PositionSet State, int Prev, char Via)> states, int at)
    {
        var sb = new StringBuilder();
        for (int i = at; i > 0; i = states[i].Prev)
        {
            sb.Insert(0, states[i].Via);
        }

        return sb.ToString();
    }

    /// <summary>
    /// One character per class of characters that every token of <paramref name="segments"/> accepts alike (and that
    /// are alike for <see cref="NameRules"/>: name characters or not, <c>.</c> or not), preferring readable ones.
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
            // The cuts isolate each non-name character in a class of its own, which is skipped.
            if (previous >= 0 && NameRules.IsNameChar((char)previous))
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
        foreach (char c in NameRules.Preferred)
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
        int i = NameRules.Preferred.IndexOf(c, StringComparison.Ordinal);
        return i >= 0 ? i : c == '.' ? NameRules.Preferred.Length : NameRules.Preferred.Length + 1 + c;
    }
}
