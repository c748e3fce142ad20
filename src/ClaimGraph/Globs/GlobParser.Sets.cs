namespace ClaimGraph.Globs;

internal sealed partial class GlobParser
{
    /// <summary>
    /// Parses the set at <paramref name="i"/> (a <c>[</c>). Inside a set every character is literal except <c>]</c> (which
    /// closes it unless it comes first), <c>-</c> between two members (a range), a leading <c>!</c> or <c>^</c> and
    /// <c>\</c>; <c>:</c> is literal (no namespace can start inside a set), but <c>[:name:]</c>, a POSIX class, is refused.
    /// </summary>
    private Node? ParseSet(ref int i)
    {
        string s = _input;
        int open = i;
        int j = i + 1;
        bool negated = false;
        if (j < s.Length && (s[j] == '!' || s[j] == '^'))
        {
            negated = true;
            j++;
        }

        if (RefusePosixClass(open, j, wholeSet: true))
        {
            return null;
        }

        var low = new List<char>();
        var high = new List<char>();
        bool first = true;
        while (true)
        {
            if (j >= s.Length)
            {
                bool onlyBracket = low.Count == 1 && low[0] == ']' && high[0] == ']' && s[j - 1] == ']' && s[j - 2] != '\\';
                if (onlyBracket)
                {
                    Fail(GlobErrorCode.EmptySet, open, "An empty character set", $"a set needs at least one character, as in '[abc]'; write '{LiteralAt('[', open)}' for a literal '['");
                }
                else
                {
                    Fail(GlobErrorCode.UnclosedSet, open, "'[' has no closing ']'", $"write '{LiteralAt('[', open)}' for a literal '['");
                }

                return null;
            }

            char c = s[j];
            if (c == ']' && !first)
            {
                j++;
                break;
            }

            first = false;
            int memberPos = j;
            if (RefusePosixClass(j, j, wholeSet: false) || !ReadSetChar(ref j, out char lo))
            {
                return null;
            }

            char hi = lo;
            if (j + 1 < s.Length && s[j] == '-' && s[j + 1] != ']')
            {
                j++;
                if (!ReadSetChar(ref j, out hi))
                {
                    return null;
                }

                if (hi < lo)
                {
                    Fail(GlobErrorCode.InvalidRange, memberPos, $"The range '{lo}-{hi}' is empty: its start is after its end", $"did you mean '{hi}-{lo}'?");
                    return null;
                }
            }

            if (lo <= '/' && '/' <= hi)
            {
                string hint = lo == hi
                    ? "use '/' outside the set as a separator"
                    : $"a set never matches '/': write the range without it, as '{SplitAroundSlash(lo, hi)}'";
                Fail(GlobErrorCode.SlashInSet, memberPos, lo == hi ? "A character set cannot match '/'" : $"The range '{lo}-{hi}' contains '/', which a set cannot match", hint);
                return null;
            }

            low.Add(lo);
            high.Add(hi);
        }

        i = j;
        return new Node { Kind = NodeKind.Set, Position = open, Set = new CharSet(low.ToArray(), high.ToArray(), negated, _ignoreCase) };
    }

    private bool ReadSetChar(ref int j, out char c)
    {
        string s = _input;
        c = s[j];
        if (c != '\\')
        {
            j++;
            return true;
        }

        if (j + 1 >= s.Length)
        {
            Fail(GlobErrorCode.UnclosedSet, j, "'[' has no closing ']'", "write '\\[' for a literal '['");
            return false;
        }

        char next = s[j + 1];
        if (!SetEscapable.Contains(next, StringComparison.Ordinal))
        {
            Fail(GlobErrorCode.InvalidEscape, j, $"'\\{next}' is not an escape", "inside a set only * ? [ ] { } , \\ ! : - ^ can be escaped");
            return false;
        }

        c = next;
        j += 2;
        return true;
    }

    /// <summary>The range <paramref name="lo"/>..<paramref name="hi"/> without <c>/</c>, as set members.</summary>
    private static string SplitAroundSlash(char lo, char hi)
    {
        var sb = new System.Text.StringBuilder();
        AppendSetRangeWithoutSlash(sb, lo, hi);
        return sb.ToString();
    }

    /// <summary>
    /// Refuses a POSIX character class (<see cref="GlobErrorCode.PosixCharacterClass"/>): <c>[:name:]</c> as a member
    /// at <paramref name="at"/> (<c>[[:digit:]]</c>), or, when <paramref name="wholeSet"/>, <c>:name:</c> as the whole
    /// body of the set opened at <paramref name="open"/> (<c>[:digit:]</c>, which would otherwise be the set of
    /// <c>: d i g t</c>). The name is one or more ASCII letters.
    /// </summary>
    private bool RefusePosixClass(int open, int at, bool wholeSet)
    {
        string s = _input;
        int k = wholeSet ? at : at + 1;
        if (at >= s.Length || (!wholeSet && s[at] != '[') || k >= s.Length || s[k] != ':')
        {
            return false;
        }

        int nameStart = k + 1;
        int end = nameStart;
        while (end < s.Length && char.IsAsciiLetter(s[end]))
        {
            end++;
        }

        if (end == nameStart || end + 1 >= s.Length || s[end] != ':' || s[end + 1] != ']')
        {
            return false;
        }

        string name = s[nameStart..end];
        string? equivalent = name switch
        {
            "alnum" => "[a-zA-Z0-9]",
            "alpha" => "[a-zA-Z]",
            "digit" => "[0-9]",
            "lower" => "[a-z]",
            "upper" => "[A-Z]",
            "xdigit" => "[0-9a-fA-F]",
            _ => null,
        };
        Fail(
            GlobErrorCode.PosixCharacterClass,
            wholeSet ? open : at,
            $"'[:{name}:]' is a POSIX character class, which patterns do not support",
            equivalent is null
                ? "list the characters or write a range, as in '[0-9]'; write '\\:' for a literal ':' in a set"
                : $"write '{equivalent}' (ASCII) instead");
        return true;
    }
}
