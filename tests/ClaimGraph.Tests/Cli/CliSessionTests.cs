using System.Text.Json;
using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Cli;

public class CliSessionTests
{
    private static readonly FieldSpec[] Spec = [new("x", FieldKind.String, Required: true)];

    [Fact]
    public void RunBatch_AnswerThrows_InternalErrorLineAndTheBatchGoesOn()
    {
        using var output = new StringWriter();
        var session = new CliSession(new StringReader("{\"x\":\"boom\"}\n{\"x\":\"fine\"}\n"), output, TextWriter.Null);

        int code = session.RunBatch("-", Spec, values => values.Strings[0] == "boom" ? throw new InvalidOperationException("bad line") : "{\"ok\":true}");

        Assert.Equal(CliApp.ExitSuccess, code);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        JsonElement error = JsonDocument.Parse(lines[0]).RootElement.GetProperty("error");
        Assert.Equal("InternalError", error.GetProperty("code").GetString());
        Assert.Equal("InvalidOperationException: bad line", error.GetProperty("message").GetString());
        Assert.Equal("{\"ok\":true}", lines[1]);
    }

    [Fact]
    public void RunBatch_FileIsADirectory_ExitTwo()
    {
        using var error = new StringWriter();
        var session = new CliSession(TextReader.Null, TextWriter.Null, error);

        int code = session.RunBatch(Path.GetTempPath(), Spec, _ => "{}");

        Assert.Equal(CliApp.ExitBadInput, code);
        Assert.Contains("cannot read the batch file", error.ToString(), StringComparison.Ordinal);
    }
}
