using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ClaimGraph.Oracles.Globs;

/// <summary>
/// An independent brute-force reading of the glob dialect (README, "Patterns"), written plainly: braces are expanded as text, each expansion is
/// translated to one anchored regular expression, and ignore-case is spelled out as explicit character classes built
/// from <see cref="char.ToUpperInvariant(char)"/> over all 65,536 code units. It shares no code with the engine and
/// expects a pattern the engine accepted.
/// </summary>
public sealed class RegexGlobOracle
{
    private static readonly char[] Upper = BuildUpper();

    private static readonly ConcurrentDictionary<char, string> FoldedClasses = new();

    private readonly Regex[] _alternatives;

    private RegexGlobOracle(string ns, Regex[] alternatives)
    {
        Namespace = ns;
        _alternatives = alternatives;
    }

    public string Namespace { get; }

    /// <summary>
    /// The oracle of <paramref name="pattern"/>. <paramref name="options"/> adds to <see cref="RegexOptions.CultureInvariant"/>
    /// and <paramref name="matchTimeout"/> replaces the 10 s default (the benchmarks, which time the expressions as a
    /// competitor, pass <see cref="RegexOptions.Compiled"/> and <see cref="Regex.InfiniteMatchTimeout"/>).
    /// </summary>
    public static RegexGlobOracle Compile(string pattern, bool ignoreCase, RegexOptions options = RegexOptions.None, TimeSpan? matchTimeout = null)
    {
        string ns = string.Empty;
        Match m = Regex.Match(pattern, "^[a-z][a-z0-9_-]+:");
        if (m.Success)
        {
            ns = pattern[..(m.Length - 1)];
            pattern = pattern[m.Length..];
        }

        if (pattern.StartsWith("./", StringComparison.Ordinal))
        {
            pattern = pattern[2..];
        }
        else if (pattern.StartsWith('/'))
        {
            pattern = pattern[1..];
        }

        var regexes = new List<Regex>();
        foreach (string expansion in ExpandBraces(pattern))
        {
            regexes.Add(new Regex(ToRegex(expansion, ignoreCase), options | RegexOptions.CultureInvariant, matchTimeout ?? TimeSpan.FromSeconds(10)));
        }

        return new RegexGlobOracle(ns, [.. regexes]);
    }

    public bool IsMatch(string path)
    {
        foreach (Regex r in _alternatives)
        {
            if (r.IsMatch(path))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The path or one of its ancestors matches.</summary>
    public bool Covers(string path)
    {
        if (IsMatch(path))
        {
            return true;
        }

        for (int i = path.LastIndexOf('/'); i > 0; i = path.LastIndexOf('/', i - 1))
        {
            if (IsMatch(path[..i]))
            {
                return true;
            }
        }

        return false;
    }

    private static char[] BuildUpper()
    {
        var upper = new char[65536];
        for (int i = 0; i < upper.Length; i++)
        {
            upper[i] = char.ToUpperInvariant((char)i);
        }

        return upper;
    }

    /// <summary>Index just past the set that starts at <paramref name="i"/> (a '[').</summary>
    private static int SkipSet(string s, int i)
    {
        int j = i + 1;
        if (j < s.Length && (s[j] == '!' || s[j] == '^'))
        {
            j++;
        }

        bool first = true;
        while (j < s.Length)
        {
            if (s[j] == ']' && !first)
            {
                return j + 1;
            }

            first = false;
            j += s[j] == '\\' ? 2 : 1;
        }

        throw new ArgumentException("unclosed set in " + s);
    }

    /// <summary>Textual brace expansion: the first top-level brace, each of its alternatives, recursively.</summary>
    internal static List<string> ExpandBraces(string s)
    {
        int open = -1;
        for (int i = 0; i < s.Length && open < 0;)
        {
            switch (s[i])
            {
                case '\\':
                    i += 2;
                    break;
                case '[':
                    i = SkipSet(s, i);
                    break;
                case '{':
                    open = i;
                    break;
                default:
                    i++;
                    break;
            }
        }

        if (open < 0)
        {
            return [s];
        }

        var alternatives = new List<string>();
        int depth = 0, start = open + 1, close = -1;
        for (int i = open; close < 0;)
        {
            char c = s[i];
            if (c == '\\')
            {
                i += 2;
            }
            else if (c == '[')
            {
                i = SkipSet(s, i);
            }
            else
            {
                if (c == '{')
                {
                    depth++;
                }
                else if (c == '}' && --depth == 0)
                {
                    alternatives.Add(s[start..i]);
                    close = i;
                }
                else if (c == ',' && depth == 1)
                {
                    alternatives.Add(s[start..i]);
                    start = i + 1;
                }

                i++;
            }
        }

        var result = new List<string>();
        foreach (string alt in alternatives)
        {
            result.AddRange(ExpandBraces(s[..open] + alt + s[(close + 1)..]));
        }

        return result;
    }

    private static string ToRegex(string glob, bool ignoreCase)
    {
        if (glob.EndsWith('/'))
        {
            glob += "**";
        }

        List<string> segments = SplitSegments(glob);
        var sb = new StringBuilder(@"\A");
        for (int k = 0; k < segments.Count; k++)
        {
            bool last = k == segments.Count - 1;
            if (segments[k] == "**")
            {
                sb.Append(last ? "[^/]+(?:/[^/]+)*" : "(?:[^/]+/)*");
                continue;
            }

            AppendSegment(sb, segments[k], ignoreCase);
            if (!last)
            {
                sb.Append('/');
            }
        }

        return sb.Append(@"\z").ToString();
    }

    private static List<string> SplitSegments(string glob)
    {
        var segments = new List<string>();
        int start = 0;
        for (int i = 0; i < glob.Length;)
        {
            if (glob[i] == '\\')
            {
                i += 2;
            }
            else if (glob[i] == '[')
            {
                i = SkipSet(glob, i);
            }
            else if (glob[i] == '/')
            {
                segments.Add(glob[start..i]);
                start = ++i;
            }
            else
            {
                i++;
            }
        }

        segments.Add(glob[start..]);
        return segments;
    }

    private static void AppendSegment(StringBuilder sb, string segment, bool ignoreCase)
    {
        for (int i = 0; i < segment.Length;)
        {
            char c = segment[i];
            switch (c)
            {
                case '*':
                    sb.Append("[^/]*");
                    i++;
                    break;
                case '?':
                    sb.Append("[^/]");
                    i++;
                    break;
                case '[':
                    int end = SkipSet(segment, i);
                    sb.Append(SetClass(segment[i..end], ignoreCase));
                    i = end;
                    break;
                case '\\':
                    sb.Append(CharClass(segment[i + 1], ignoreCase));
                    i += 2;
                    break;
                default:
                    sb.Append(CharClass(c, ignoreCase));
                    i++;
                    break;
            }
        }
    }

    private static string Code(char c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    private static string CharClass(char c, bool ignoreCase) =>
        ignoreCase ? FoldedClasses.GetOrAdd(c, FoldedClass) : Code(c);

    private static string FoldedClass(char c)
    {
        var members = new bool[65536];
        for (int d = 0; d < 65536; d++)
        {
            members[d] = Upper[d] == Upper[c];
        }

        return Class(members);
    }

    private static string SetClass(string set, bool ignoreCase)
    {
        int j = 1;
        bool negated = set[j] is '!' or '^';
        if (negated)
        {
            j++;
        }

        var ranges = new List<(char Lo, char Hi)>();
        bool first = true;
        while (true)
        {
            if (set[j] == ']' && !first)
            {
                break;
            }

            first = false;
            char lo = ReadSetChar(set, ref j);
            char hi = lo;
            if (set[j] == '-' && set[j + 1] != ']')
            {
                j++;
                hi = ReadSetChar(set, ref j);
            }

            ranges.Add((lo, hi));
        }

        var inRanges = new bool[65536];
        foreach ((char lo, char hi) in ranges)
        {
            for (int d = lo; d <= hi; d++)
            {
                inRanges[d] = true;
            }
        }

        var upperHit = new bool[65536];
        for (int d = 0; d < 65536; d++)
        {
            if (inRanges[d])
            {
                upperHit[Upper[d]] = true;
            }
        }

        var members = new bool[65536];
        for (int d = 0; d < 65536; d++)
        {
            bool hit = ignoreCase ? upperHit[Upper[d]] : inRanges[d];
            members[d] = d != '/' && hit != negated;
        }

        return Class(members);
    }

    private static char ReadSetChar(string set, ref int j)
    {
        char c = set[j];
        if (c == '\\')
        {
            c = set[j + 1];
            j += 2;
        }
        else
        {
            j++;
        }

        return c;
    }

    private static string Class(bool[] members)
    {
        var sb = new StringBuilder("[");
        int count = 0;
        for (int d = 0; d < 65536;)
        {
            if (!members[d])
            {
                d++;
                continue;
            }

            int start = d;
            while (d < 65536 && members[d])
            {
                d++;
            }

            sb.Append(Code((char)start)).Append('-').Append(Code((char)(d - 1)));
            count++;
        }

        return count == 0 ? "(?!)" : sb.Append(']').ToString();
    }
}
