using ClaimGraph.Policy;

namespace ClaimGraph.Cli;

/// <summary>
/// How the CLI repeats what it was given: every message that quotes an input, and every text cell, goes through here.
/// Control characters are escaped (<c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\u001B</c>), so that one value is always one
/// line, and long values are cut in the middle, so that a 10 MB claim line costs a line of output, not 10 MB.
/// </summary>
internal static class Echo
{
    /// <summary>The most characters of one input a message repeats; longer inputs are not shown under a caret.</summary>
    public const int MaxLength = QuotedText.MaxLength;

    /// <summary>The most characters of a message relayed from the library or the runtime, which may quote inputs.</summary>
    public const int MaxMessageLength = 4 * MaxLength;

    /// <summary>Whether <paramref name="input"/> can be printed on a line of its own with a caret under it.</summary>
    public static bool FitsUnderCaret(string input) => input.Length <= MaxLength && !QuotedText.HasControl(input);

    /// <summary><paramref name="value"/> quoted for a message: <c>'src/**'</c>, escaped and cut to <see cref="MaxLength"/>.</summary>
    public static string Quote(string value) => QuotedText.Quote(value, '\'');

    /// <summary><paramref name="value"/> escaped and cut to <see cref="MaxLength"/> characters (plus the note that says how many were left out).</summary>
    public static string Value(string value) => QuotedText.Shorten(Escape(value), MaxLength);

    /// <summary>A message made elsewhere that may quote an input: escaped, and cut to <see cref="MaxMessageLength"/>.</summary>
    public static string Message(string message) => QuotedText.Shorten(Escape(message), MaxMessageLength);

    /// <summary>
    /// <paramref name="text"/> with every control character escaped: <c>\n</c>, <c>\r</c>, <c>\t</c>, others as
    /// <c>\uXXXX</c>. Other characters, backslashes included, are unchanged: patterns keep their escapes as written.
    /// </summary>
    public static string Escape(string text) => QuotedText.Escape(text);
}
