using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Cli;

public class JsonLineTests
{
    private static readonly FieldSpec[] Spec =
    [
        new("a", FieldKind.String, Required: true),
        new("b", FieldKind.String, Required: true),
        new("ignoreCase", FieldKind.Boolean, Required: false),
    ];

    [Fact]
    public void TryRead_WellFormed_ReadsEveryField()
    {
        CliError? error = JsonLine.TryRead("""  {"ignoreCase": true, "b": "y\u00e9", "a": "x\\y"}  """, Spec, out JsonLineValues values);

        Assert.Null(error);
        Assert.Equal("x\\y", values.Strings[0]);
        Assert.Equal("yé", values.Strings[1]);
        Assert.True(values.Booleans[2]);
    }

    [Fact]
    public void TryRead_OptionalFieldAbsent_IsNull()
    {
        Assert.Null(JsonLine.TryRead("""{"a":"x","b":"y"}""", Spec, out JsonLineValues values));
        Assert.Null(values.Booleans[2]);
    }

    [Theory]
    [InlineData("", 0, null)]
    [InlineData("   \t", 0, null)]
    [InlineData("nope", 1, null)]
    [InlineData("[1,2]", 0, null)]
    [InlineData("\"x\"", 0, null)]
    [InlineData("""{"a":"x","b":"y"} {}""", 18, null)]
    [InlineData("""{"a":"x","b":"y"}x""", 17, null)]
    [InlineData("""{"a":"x","b":"y","c":1}""", 17, "c")]
    [InlineData("""{"a":"x","a":"y"}""", 9, "a")]
    [InlineData("""{"a":2,"b":"y"}""", 5, "a")]
    [InlineData("""{"a":null,"b":"y"}""", 5, "a")]
    [InlineData("""{"a":{"x":1},"b":"y"}""", 5, "a")]
    [InlineData("""{"a":"x","b":"y","ignoreCase":1}""", 30, "ignoreCase")]
    [InlineData("""{"a":"x","b":"y","ignoreCase":"true"}""", 30, "ignoreCase")]
    [InlineData("""{"a":"x","b":"y",}""", 17, null)]
    [InlineData("""{"a":"x", /* c */ "b":"y"}""", 10, null)]
    [InlineData("""{"a":"x","b":"y" """, 17, null)]
    [InlineData("""{"a":"\ud800","b":"y"}""", 5, null)]
    [InlineData("""{"é":"x","a":"x","b":"y"}""", 1, "é")]
    [InlineData("""{"a":"é","b":"y","c":1}""", 17, "c")]
    public void TryRead_Malformed_InvalidInputAtColumn(string line, int column, string? field)
    {
        CliError? error = JsonLine.TryRead(line, Spec, out _);

        Assert.NotNull(error);
        Assert.Equal(CliError.InvalidInput, error.Code);
        Assert.Equal(column, error.Position);
        Assert.Equal(field, error.Field);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"b":"y"}""", "a")]
    [InlineData("""{"a":"x"}""", "b")]
    [InlineData("{}", "a")]
    public void TryRead_MissingRequiredField_NamesItWithoutPosition(string line, string field)
    {
        CliError? error = JsonLine.TryRead(line, Spec, out _);

        Assert.NotNull(error);
        Assert.Equal(field, error.Field);
        Assert.Null(error.Position);
        Assert.Contains($"'{field}' is missing", error.Message, StringComparison.Ordinal);
    }
}
