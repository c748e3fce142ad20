using System.Globalization;
using System.Text;

namespace ClaimGraph.Policy;

/// <summary>
/// An input value repeated in a message (a Reject's detail, a read error): quoted, control characters escaped, and cut
/// in the middle past <see cref="MaxLength"/> characters, so that a 10 MB claim line costs a line of message, not 10 MB.
/// The one such helper of the core: the policy's intake and the Serialization readers use it.
/// </summary>
internal static class QuotedText
{
    /// <summary>The most characters of one input value a message repeats: 160 (escapes included).</summary>
    public const int MaxLength = 160;

    /// <summary>
    /// <paramref name="value"/> between two <paramref name="quote"/> characters: <c>\n</c>, <c>\r</c>, <c>\t</c> and
    /// other control characters escaped (<c>\u001B</c>); longer than <see cref="MaxLength"/>, its middle is replaced by
    /// <c>…[N characters left out]…</c>, never splitting a surrogate pair.
    /// </summary>
    public static string Quote(string value, char quote)
    {
        var escaped = new StringBuilder(Math.Min(value.Length, 2 * MaxLength) + 2);
        foreach (char c in value)
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

        string text = escaped.ToString();
        if (text.Length > MaxLength)
        {
            int head = MaxLength / 2;
            int tail = MaxLength - head;
            head -= char.IsHighSurrogate(text[head - 1]) ? 1 : 0;
            tail -= char.IsLowSurrogate(text[^tail]) ? 1 : 0;
            int omitted = text.Length - head - tail;
            text = string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, head)}…[{omitted} characters left out]…{text.AsSpan(text.Length - tail)}");
        }

        return quote + text + quote;
    }
}
