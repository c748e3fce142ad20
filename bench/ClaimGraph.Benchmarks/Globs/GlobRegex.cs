using System.Text;
using System.Text.RegularExpressions;

namespace ClaimGraph.Benchmarks.Globs;

/// <summary>
/// Translates the benchmark patterns (literals, <c>*</c>, <c>?</c>, <c>**</c> segments; no sets, braces or escapes) to
/// anchored regular expressions with ClaimGraph's meaning: <c>*</c> and <c>?</c> stay within a segment, <c>**</c> is
/// zero or more segments in the middle and one or more at the end. Written plainly to be obviously right.
/// </summary>
public static class GlobRegex
{
    /// <summary>The expression for "the pattern matches the path".</summary>
    public static string MatchExpression(string pattern) => @"\A" + Body(pattern) + @"\z";

    /// <summary>The expression for "the pattern covers the path": it matches the path or one of its ancestors.</summary>
    public static string CoverExpression(string pattern) => @"\A" + Body(pattern) + @"(?:/.*)?\z";

    public static Regex Match(string pattern, RegexOptions options = RegexOptions.None) =>
        new(MatchExpression(pattern), options | RegexOptions.CultureInvariant);

    public static Regex Cover(string pattern, RegexOptions options = RegexOptions.None) =>
        new(CoverExpression(pattern), options | RegexOptions.CultureInvariant);

    private static string Body(string pattern)
    {
        if (pattern.IndexOfAny(['[', ']', '{', '}', '\\', ':']) >= 0)
        {
            throw new ArgumentException($"'{pattern}' uses syntax this translation does not cover", nameof(pattern));
        }

        string[] segments = pattern.Split('/');
        var regex = new StringBuilder();
        for (int i = 0; i < segments.Length; i++)
        {
            bool last = i == segments.Length - 1;
            if (segments[i] == "**")
            {
                regex.Append(last ? "[^/]+(?:/[^/]+)*" : "(?:[^/]+/)*");
                continue;
            }

            foreach (char c in segments[i])
            {
                regex.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }

            if (!last)
            {
                regex.Append('/');
            }
        }

        return regex.ToString();
    }
}
