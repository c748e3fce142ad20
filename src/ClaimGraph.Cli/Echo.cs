using System.Globalization;
using System.Text;

namespace ClaimGraph.Cli;

/// <summary>
/// How the CLI repeats what it was given: every message that quotes an input, and every text cell, goes through here.
/// Control characters are escaped (<c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\u001B</c>), so that one value is always one
/// line, and long values are cut in the middle, so that a 10 MB claim line costs a line of output, not 10 MB.
/// </summary>
internal static class Echo
{
    /// <summary>The most characters of one input a message repeats; longer inputs are not shown under a caret.</summary>
    public const int MaxLength = 160;

    /// <summary>The most characters of a message relayed from the library or the runtime, which may quote inputs.</summary>
    public const int MaxMessageLength = 4 * MaxLength;

    /// <summary>Whether <paramref name="input"/> can be printed on a line of its own with a caret under it.</summary>
    public static bool FitsUnderCaret(string input) => input.Length <= MaxLength && !HasControl(input);

    /// <summary><paramref name="value"/> quoted for a message: <c>'src/**'</c>, escaped and cut to <see cref="MaxLength"/>.</summary>
    public static string Quote(string value) => "'" + Value(value) + "'";

    /// <summary><paramref name="value"/> escaped and cut to <see cref="MaxLength"/> characters (plus the note that says how many were left out).</summary>
    public static string Value(string value) => Shorten(Escape(value), MaxLength);

    /// <summary>A message made elsewhere that may quote an input: escaped, and cut to <see cref="MaxMessageLength"/>.</summary>
    public static string Message(string message) => Shorten(Escape(message), MaxMessageLength);

    /// <summary>
    /// <paramref name="text"/> with every control character escaped: <c>\n</c>, <c>\r</c>, <c>\t</c>, others as
    /// <c>\uXXXX</c>. Other characters, backslashes included, are unchanged: patterns keep their escapes as written.
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
    private static bool HasControl(string text)
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
    private static string Shorten(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        int head = max / 2;
        int tail = max - head;
        if (char.IsHighSurrogate(text[head - 1]))
        {
            head--;
        }

        if (char.IsLowSurrogate(text[^tail]))
        {
            tail--;
        }

        int omitted = text.Length - head - tail;
        return string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, head)}…[{omitted} characters left out]…{text.AsSpan(text.Length - tail)}");
    }
}
