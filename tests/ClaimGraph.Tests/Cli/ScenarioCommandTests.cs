using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Cli;

/// <summary>What <c>decide</c>, <c>explain</c> and <c>graph</c> share: the <c>SCENARIO</c> argument, <c>-</c> for standard input.</summary>
public class ScenarioCommandTests
{
    [Theory]
    [InlineData("decide")]
    [InlineData("decide --json")]
    [InlineData("explain --run b-1")]
    [InlineData("explain --run b-1 --json")]
    [InlineData("graph")]
    [InlineData("graph --format dot")]
    public void Stdin_Dash_GivesTheSameOutputAsTheFile(string commandLine)
    {
        string command = commandLine.Split(' ')[0];
        string[] options = commandLine.Split(' ')[1..];
        CliRun fromFile = ScenarioFixture.RunOn(ScenarioFixture.Conflict, [command, "{file}", .. options]);
        CliRun fromStdin = CliRun.WithInput(ScenarioFixture.Conflict, [command, "-", .. options]);

        Assert.Equal(CliApp.ExitSuccess, fromStdin.ExitCode);
        Assert.Equal(string.Empty, fromStdin.Stderr);
        Assert.NotEqual(string.Empty, fromStdin.Stdout);
        Assert.Equal(fromFile.Stdout, fromStdin.Stdout);
    }

    [Fact]
    public void Stdin_Decide_ReplaysTheScenarioRead()
    {
        CliRun run = CliRun.WithInput(ScenarioFixture.Conflict, "decide", "-", "--json");

        // Admit a-1, hold b-1, then admit b-1 when a-1 is done.
        Assert.Equal(
            [("Admit", "a-1"), ("Hold", "b-1"), ("Admit", "b-1")],
            run.JsonLines.Select(l => (l.GetProperty("kind").GetString(), l.GetProperty("run").GetString())).ToArray());
    }

    [Fact]
    public void Stdin_ByteOrderMark_IsSkipped()
    {
        CliRun run = CliRun.WithInput("\uFEFF" + ScenarioFixture.Conflict, "decide", "-", "--json");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(3, run.JsonLines.Length);
    }

    [Fact]
    public void Stdin_BadScenario_PositionNamesStdin()
    {
        const string Json = "{\n  \"steps\": [ [\n    { \"type\": \"tick\", \"eventId\": \"e\", \"time\": 1, \"color\": 1 }\n  ] ]\n}\n";

        CliRun run = CliRun.WithInput(Json, "decide", "-");

        run.AssertUsageError();
        string line = Assert.Single(run.Stderr.TrimEnd().Split('\n'));
        (int? row, int? column) = ScenarioFixture.LineColumn(Json, Json.IndexOf("\"color\"", StringComparison.Ordinal));
        Assert.StartsWith($"claimgraph: <stdin>:{row}:{column}: $.steps[0][0].color: unknown field 'color'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Stdin_MalformedJson_PositionNamesStdin()
    {
        CliRun run = CliRun.WithInput("{ \"steps\": [ ], }", "graph", "-");

        run.AssertUsageError();
        Assert.Matches("^claimgraph: <stdin>:1:[0-9]+: ", run.Stderr);
    }

    [Fact]
    public void Stdin_Empty_IsBadInputNamingStdin()
    {
        CliRun run = CliRun.WithInput(string.Empty, "explain", "-", "--run", "r");

        run.AssertUsageError();
        Assert.StartsWith("claimgraph: <stdin>", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Stdin_ExplainUnknownRun_NamesStdin()
    {
        CliRun run = CliRun.WithInput(ScenarioFixture.Conflict, "explain", "-", "--run", "zz-9");

        run.AssertUsageError();
        Assert.StartsWith("claimgraph: <stdin>: --run: no run 'zz-9'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_SaysDashReadsStandardInput()
    {
        CliRun run = CliRun.Of("decide", "--help");

        // Help wraps long descriptions: compare with the whitespace collapsed.
        string help = System.Text.RegularExpressions.Regex.Replace(run.Stdout, @"\s+", " ");
        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Contains("'-' for standard input", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Stdin_NotUtf8_RefusedAsTheSameFileIs()
    {
        byte[] bytes = [.. System.Text.Encoding.UTF8.GetBytes(ScenarioFixture.Conflict.Replace("\"a-1\"", "\"a-\u00e9\"", StringComparison.Ordinal))];
        int at = Array.IndexOf(bytes, (byte)0xC3);
        bytes[at + 1] = 0x28; // 0xC3 0x28: a lead byte without its continuation
        string file = Path.Combine(Path.GetTempPath(), $"claimgraph-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(file, bytes);
        using var output = new StringWriter();
        using var error = new StringWriter();

        CliRun fromFile = CliRun.Of("decide", file);
        int code = CliApp.RunWithStdinBytes(["decide", "-"], new MemoryStream(bytes), output, error);
        File.Delete(file);

        fromFile.AssertUsageError();
        Assert.Equal(CliApp.ExitBadInput, code);
        Assert.Equal(string.Empty, output.ToString());
        Assert.Equal(fromFile.Stderr.Replace(file, "<stdin>", StringComparison.Ordinal), error.ToString());
        Assert.Contains("not valid UTF-8 (byte 0xC3)", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Stdin_Bytes_SameOutputAsText()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = CliApp.RunWithStdinBytes(["decide", "-"], new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ScenarioFixture.Conflict)), output, error);

        Assert.Equal(CliApp.ExitSuccess, code);
        Assert.Equal(CliRun.WithInput(ScenarioFixture.Conflict, "decide", "-").Stdout, output.ToString());
    }
}
