using System.Text;
using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Cli;

public class JsonPositionsTests
{
    [Theory]
    [InlineData("$", "a", "$.a")]
    [InlineData("$", "$schema", "$.$schema")]
    [InlineData("$.x", "a.b", "$.x['a.b']")]
    [InlineData("$", "two words", "$['two words']")]
    public void Property_WritesThePathAsSystemTextJsonDoes(string parent, string name, string expected)
    {
        Assert.Equal(expected, JsonPositions.Property(parent, name));
    }

    [Fact]
    public void Error_RecordedPath_IsAtItsValue()
    {
        const string Json = "{\r\n  \"a\": [1,\n    {\"b\": true}]\n}";
        JsonPositions positions = JsonPositions.Build("f.json", Encoding.UTF8.GetBytes(Json));

        ScenarioException error = positions.Error("$.a[1].b", "bad");

        Assert.Equal(("f.json", 3, 11, "$.a[1].b"), (error.File, error.Line, error.Column, error.JsonPath));
    }

    [Fact]
    public void Error_AtName_IsAtThePropertyName()
    {
        JsonPositions positions = JsonPositions.Build("f.json", Encoding.UTF8.GetBytes("{ \"key\":   1 }"));

        Assert.Equal(3, positions.Error("$.key", "bad", atName: true).Column);
        Assert.Equal(12, positions.Error("$.key", "bad").Column);
    }

    [Fact]
    public void Error_PathNotRecorded_FallsBackToTheNearestParent()
    {
        JsonPositions positions = JsonPositions.Build("f.json", Encoding.UTF8.GetBytes("{\n  \"a\": { \"b\": [ {} ] }\n}"));

        ScenarioException error = positions.Error("$.a.b[0].missing", "needed");

        Assert.Equal((2, 17, "$.a.b[0].missing"), (error.Line, error.Column, error.JsonPath));
    }

    [Fact]
    public void Build_LoneSurrogateEscape_IsAnErrorWithPosition()
    {
        ScenarioException error = Assert.Throws<ScenarioException>(
            () => JsonPositions.Build("f.json", Encoding.UTF8.GetBytes("{ \"a\": \"\\ud800\" }")));

        Assert.Equal((1, 8), (error.Line, error.Column));
        Assert.StartsWith("malformed JSON", error.Message, StringComparison.Ordinal);
    }
}
