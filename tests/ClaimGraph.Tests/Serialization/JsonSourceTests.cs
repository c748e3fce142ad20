using System.Text;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Serialization;

public class JsonSourceTests
{
    [Theory]
    [InlineData("$", "a", "$.a")]
    [InlineData("$", "$schema", "$.$schema")]
    [InlineData("$.x", "a.b", "$.x['a.b']")]
    [InlineData("$", "two words", "$['two words']")]
    public void Property_WritesThePathAsSystemTextJsonDoes(string parent, string name, string expected)
    {
        Assert.Equal(expected, JsonSource.Property(parent, name));
    }

    [Fact]
    public void At_OffsetOnThirdLine_OneBasedLineAndColumn()
    {
        const string Json = "{\r\n  \"a\": [1,\n    {\"b\": true}]\n}";
        var source = new JsonSource(Encoding.UTF8.GetBytes(Json));

        Assert.Equal((3, 11), source.At(Encoding.UTF8.GetByteCount(Json[..Json.IndexOf("true", StringComparison.Ordinal)])));
    }

    [Fact]
    public void At_ColumnsCountCharactersNotBytes()
    {
        const string Json = "{ \"é\": 1 }";
        var source = new JsonSource(Encoding.UTF8.GetBytes(Json));

        Assert.Equal((1, 8), source.At(Encoding.UTF8.GetByteCount(Json[..7])));
    }

    [Fact]
    public void Read_LoneSurrogateEscape_IsAnErrorWithPosition()
    {
        var error = Assert.Throws<JsonReadException>(() => ScenarioJson.Read("{ \"description\": \"\\ud800\", \"steps\": [] }")).Error;

        Assert.Equal((JsonReadErrorCode.MalformedJson, 1, 18), (error.Code, error.Line, error.Column));
        Assert.StartsWith("malformed JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromText_LoneSurrogateCharacter_NotUtf8AtItsColumn()
    {
        var error = Assert.Throws<JsonReadException>(() => EventJson.Read("{\"type\":\"tick\",\n\"eventId\":\"e\ud800\",\"time\":1}")).Error;

        Assert.Equal((JsonReadErrorCode.NotUtf8, 2, 13), (error.Code, error.Line, error.Column));
    }

    [Fact]
    public void Quote_LongValueWithLineBreak_CutAndEscaped()
    {
        string quoted = JsonSource.Quote("a\n" + new string('x', 10_000));

        Assert.StartsWith("'a\\nxxx", quoted, StringComparison.Ordinal);
        Assert.Contains("characters left out", quoted, StringComparison.Ordinal);
        Assert.InRange(quoted.Length, 160, 220);
    }
}
