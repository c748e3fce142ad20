using System.Text;
using System.Text.RegularExpressions;

namespace ClaimGraph.Oracles.Globs;

/// <summary>
/// The naive overlap check the benchmarks compare against: build candidate paths that one pattern matches, using
/// the other pattern's literals to fill its wildcards, and test each with the other pattern's <see cref="RegexGlobOracle"/>;
/// then the same the other way round. It never answers a false "yes" (every candidate is matched by
/// its own pattern and checked against the other); it answers "no" only when no candidate works, which is exact for
/// the benchmark inputs (the benchmarks check it against <c>Glob.Overlaps</c> in their setup). Its cost is the number
/// of candidates: exponential in the number of wildcards.
/// </summary>
public sealed class NaiveOverlap
{
    /// <summary>How many segments a <c>**</c> stands for at most in a candidate (fewer when the other side is shorter).</summary>
    private const int MaxGlobstarDepth = 3;

    private readonly Side _a;
    private readonly Side _b;

    /// <summary>Patterns of literals, <c>*</c>, <c>?</c> and <c>**</c> segments (no sets, braces, escapes or namespaces).</summary>
    public NaiveOverlap(string a, string b)
    {
        _a = new Side(a);
        _b = new Side(b);
    }

    /// <summary>Whether some path is covered by both patterns, and a path that shows it.</summary>
    public bool Overlaps(out string? witness)
    {
        witness = FindCovered(_a, _b) ?? FindCovered(_b, _a);
        return witness is not null;
    }

    /// <summary>A path that <paramref name="source"/> matches and <paramref name="other"/> covers, or null.</summary>
    private static string? FindCovered(Side source, Side other)
    {
        var fillers = new List<string> { string.Empty, "x" };
        fillers.AddRange(other.Fragments);
        var names = new List<string> { "x" };
        names.AddRange(other.Segments.Where(s => s != "**").Select(s => s.Replace("*", string.Empty, StringComparison.Ordinal).Replace('?', 'x')));
        names.RemoveAll(n => n.Length == 0);
        int depth = Math.Clamp(other.Segments.Count(s => s != "**"), 1, MaxGlobstarDepth);
        return Walk(source.Segments, 0, new List<string>(), fillers.Distinct().ToArray(), names.Distinct().ToArray(), other.Cover, depth);
    }

    private static string? Walk(string[] segments, int index, List<string> path, string[] fillers, string[] names, RegexGlobOracle cover, int depth)
    {
        if (index == segments.Length)
        {
            string candidate = string.Join('/', path);
            return cover.Covers(candidate) ? candidate : null;
        }

        string segment = segments[index];
        if (segment == "**")
        {
            // Zero segments (not at the end, where '**' needs at least one), then one, then two.
            bool atEnd = index == segments.Length - 1;
            return (atEnd ? null : Walk(segments, index + 1, path, fillers, names, cover, depth))
                ?? Deeper(segments, index, path, fillers, names, cover, depth, depth);
        }

        foreach (string name in Instantiate(segment, fillers))
        {
            path.Add(name);
            string? found = Walk(segments, index + 1, path, fillers, names, cover, depth);
            path.RemoveAt(path.Count - 1);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private static string? Deeper(string[] segments, int index, List<string> path, string[] fillers, string[] names, RegexGlobOracle cover, int depth, int left)
    {
        foreach (string name in names)
        {
            path.Add(name);
            string? found = Walk(segments, index + 1, path, fillers, names, cover, depth)
                ?? (left > 1 ? Deeper(segments, index, path, fillers, names, cover, depth, left - 1) : null);
            path.RemoveAt(path.Count - 1);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Every name the segment matches with each '*' replaced by a filler and each '?' by 'x'.</summary>
    private static IEnumerable<string> Instantiate(string segment, string[] fillers)
    {
        var partial = new List<string> { string.Empty };
        foreach (char c in segment)
        {
            partial = c switch
            {
                '*' => partial.SelectMany(p => fillers.Select(f => p + f)).ToList(),
                '?' => partial.Select(p => p + "x").ToList(),
                _ => partial.Select(p => p + c).ToList(),
            };
        }

        return partial.Where(n => n.Length > 0 && n != "." && n != "..").Distinct();
    }

    private sealed class Side
    {
        public Side(string pattern)
        {
            if (pattern.IndexOfAny(['[', ']', '{', '}', '\\', ':']) >= 0)
            {
                throw new ArgumentException($"'{pattern}' uses syntax the candidate enumeration does not cover", nameof(pattern));
            }

            Segments = pattern.Split('/');
            Cover = RegexGlobOracle.Compile(pattern, ignoreCase: false, RegexOptions.Compiled);
            var fragments = new StringBuilder();
            var list = new List<string>();
            foreach (char c in pattern)
            {
                if (c is '*' or '?' or '/')
                {
                    if (fragments.Length > 0)
                    {
                        list.Add(fragments.ToString());
                        fragments.Clear();
                    }
                }
                else
                {
                    fragments.Append(c);
                }
            }

            if (fragments.Length > 0)
            {
                list.Add(fragments.ToString());
            }

            Fragments = list.Distinct().ToArray();
        }

        public string[] Segments { get; }

        /// <summary>The literal runs between wildcards and separators: what may fill the other side's '*'.</summary>
        public string[] Fragments { get; }

        public RegexGlobOracle Cover { get; }
    }
}
