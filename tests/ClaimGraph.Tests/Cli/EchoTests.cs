using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Cli;

public class EchoTests
{
    [Theory]
    [InlineData("src/**", "'src/**'")]
    [InlineData("a\nb\tc\rd", "'a\\nb\\tc\\rd'")]
    [InlineData("x\u001b[31m", "'x\\u001B[31m'")]
    [InlineData("a\\*", "'a\\*'")]
    public void Quote_ShortValue_WholeAndOnOneLine(string value, string expected) => Assert.Equal(expected, Echo.Quote(value));

    [Fact]
    public void Quote_LongValue_CutInTheMiddleSayingHowMuch()
    {
        string value = "write " + new string('a', 10_000_000) + "[";

        string quoted = Echo.Quote(value);

        Assert.StartsWith("'write aaa", quoted, StringComparison.Ordinal);
        Assert.EndsWith("aaa['", quoted, StringComparison.Ordinal);
        Assert.Contains($"…[{value.Length - Echo.MaxLength} characters left out]…", quoted, StringComparison.Ordinal);
        Assert.InRange(quoted.Length, Echo.MaxLength, Echo.MaxLength + 40);
    }

    [Fact]
    public void Value_CutAtASurrogatePair_KeepsThePairWhole()
    {
        string value = new string('a', (Echo.MaxLength / 2) - 1) + "😀" + new string('b', 1000) + "😀" + new string('c', (Echo.MaxLength / 2) - 1);

        string shown = Echo.Value(value);

        // A strict encoder throws on a lone surrogate.
        Assert.True(new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(shown) > 0);
        Assert.StartsWith(new string('a', (Echo.MaxLength / 2) - 1) + "…", shown, StringComparison.Ordinal);
        Assert.EndsWith("…" + new string('c', (Echo.MaxLength / 2) - 1), shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_LongerThanItsCap_IsCutButShortOnesAreWhole()
    {
        string shortMessage = "Invalid pattern '" + new string('a', 300) + "': '[' has no closing ']'";
        string longMessage = "Invalid pattern '" + new string('a', 100_000) + "': '[' has no closing ']'";

        Assert.Equal(shortMessage, Echo.Message(shortMessage));
        Assert.EndsWith("': '[' has no closing ']'", Echo.Message(longMessage), StringComparison.Ordinal);
        Assert.InRange(Echo.Message(longMessage).Length, 1, Echo.MaxMessageLength + 40);
    }

    [Theory]
    [InlineData("src/**", true)]
    [InlineData("a\tb", false)]
    public void FitsUnderCaret_ShortWithoutControlCharacters(string input, bool expected) => Assert.Equal(expected, Echo.FitsUnderCaret(input));

    [Fact]
    public void FitsUnderCaret_LongerThanTheCap_False() => Assert.False(Echo.FitsUnderCaret(new string('a', Echo.MaxLength + 1)));
}
