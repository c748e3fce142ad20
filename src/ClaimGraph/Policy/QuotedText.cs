using System.Globalization;
using System.Text;

namespace ClaimGraph.Policy;

/// <summary>
/// An input value repeated in a message (a Reject's detail, a read error): quoted, control characters escaped, and cut
/// in the middle past <see cref="MaxLength"/> characters, so that a 10 MB claim line costs a line of message, not 10 MB.
/// The one such helper: the policy's intake and the Serialization readers use it, and the CLI compiles this file into
/// its own assembly for its messages and table cells.
/// </summary>
internal static class QuotedText
{
    /// <summary>The most characters of one input value a message repeats: 160 (escapes included).</summary>
    public const int MaxLength = 160;

    /// <summary>
    /// <paramref name="value"/> between two <paramref name="quote"/> characters, escaped (<see cref="Escape"/>) and cut
    /// to <see cref="MaxLength"/> (<see cref="Shorten"/>).
    /// </summary>
    public static string Quote(string value, char quote) => quote + Shorten(Escape(value), MaxLength) + quote;

    /// <summary>
    /// <paramref name="text"/> with every control character escaped: <c>\n</c>, <c>\r</c>, <c>\t</c>, others as
    /// <c>\uXXXX</c>. Other characters, backslashes included, are unchanged.
    /// </summary>
    public static string Escape(string text)
    {
        if (!HasControl(text))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            _ = c switch
            {
                '\n' => escaped.Append("\\n"),
                '\r' => escaped.Append("\\r"),
                '\t' => escaped.Append("\\t"),
                _ when char.IsControl(c) => escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    /// <summary>Whether <paramref name="text"/> holds a control character (a line break, a tab, an escape...).</summary>
    public static bool HasControl(string text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <paramref name="text"/> when it has at most <paramref name="max"/> characters; otherwise its first and last
    /// <paramref name="max"/>/2 characters around <c>…[N characters left out]…</c>, never splitting a surrogate pair.
    /// </summary>
    public static string Shorten(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        int head = max / 2;
        int tail = max - head;
        head -= char.IsHighSurrogate(text[head - 1]) ? 1 : 0;
        tail -= char.IsLowSurrogate(text[^tail]) ? 1 : 0;
        int omitted = text.Length - head - tail;
        return string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, head)}…[{omitted} characters left out]…{text.AsSpan(text.Length - tail)}");
    }
}
