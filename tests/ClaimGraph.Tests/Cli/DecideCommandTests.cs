using System.Text.Json;
using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Cli;

public class DecideCommandTests
{
    [Fact]
    public void Decide_Table_OneRowPerDecisionWithEvidence()
    {
        CliRun run = ScenarioFixture.RunOn(ScenarioFixture.Conflict, "decide", "{file}");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(string.Empty, run.Stderr);
        string[] lines = run.Lines;
        Assert.Equal(4, lines.Length);
        Assert.Equal(["step", "event", "decision", "run", "reason", "evidence"], Cells(lines[0]));
        Assert.Equal(["2", "req-a", "Admit", "a-1", "Admitted", "base", "0,", "token", "1,", "workspace", "ws/a-1", "(new", "workspace)"], Cells(lines[1]));
        Assert.Equal(
            ["2", "req-b", "Hold", "b-1", "ClaimConflict", "blocker", "a-1;", "write", "src/b/**", "vs", "write", "src/**;", "witness", "src/b/a"],
            Cells(lines[2]));
        Assert.StartsWith("3", lines[3], StringComparison.Ordinal);
        Assert.Contains("done-a", lines[3], StringComparison.Ordinal);
        Assert.Contains("Admit", lines[3], StringComparison.Ordinal);
        Assert.Contains("b-1", lines[3], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Equal(l.TrimEnd(), l));
    }

    [Fact]
    public void Decide_Table_ColumnsAreAligned()
    {
        CliRun run = ScenarioFixture.RunOn(ScenarioFixture.Conflict, "decide", "{file}");

        string[] lines = run.Lines;
        int reason = lines[0].IndexOf("reason", StringComparison.Ordinal);
        Assert.Equal("Admitted", lines[1][reason..].Split(' ')[0]);
        Assert.Equal("ClaimConflict", lines[2][reason..].Split(' ')[0]);
    }

    [Fact]
    public void Decide_HoldWithTenBlockers_NamesEightAndCountsTheRest()
    {
        string readers = string.Join(",\n", Enumerable.Range(0, 10).Select(i =>
            $$"""{ "type": "workItemAdded", "eventId": "add-{{i}}", "time": 0, "workItemId": "r{{i}}" }, { "type": "runRequested", "eventId": "req-{{i}}", "time": 1, "runId": "r{{i}}-1", "workItemId": "r{{i}}", "claims": ["read x/y"] }"""));
        string json = $$"""
            { "steps": [ [
                {{readers}},
                { "type": "workItemAdded", "eventId": "add-w", "time": 0, "workItemId": "w" },
                { "type": "runRequested", "eventId": "req-w", "time": 2, "runId": "w-1", "workItemId": "w", "claims": ["write x/**"] }
            ] ] }
            """;

        CliRun table = ScenarioFixture.RunOn(json, "decide", "{file}");
        CliRun lines = ScenarioFixture.RunOn(json, "decide", "{file}", "--json");

        Assert.Equal(CliApp.ExitSuccess, table.ExitCode);
        Assert.Equal(1 + 10 + 8 + 1, table.Lines.Length);
        Assert.Equal(["...", "2", "more", "blockers", "(all", "of", "them:", "HoldBlockers.Of)"], Cells(table.Lines[^1]));
        using JsonDocument hold = JsonDocument.Parse(lines.Lines[^1]);
        Assert.Equal(8, hold.RootElement.GetProperty("reasons").GetArrayLength());
        Assert.Equal(2, hold.RootElement.GetProperty("moreBlockers").GetInt32());
        Assert.EndsWith("; and 2 more blockers; it may be overtaken 64 times before it reserves its place.", hold.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_HoldWithTwoReasons_OneRowPerReason()
    {
        const string Json = """
            { "steps": [ [
                { "type": "workItemAdded", "eventId": "add-a", "time": 0, "workItemId": "a" },
                { "type": "workItemAdded", "eventId": "add-b", "time": 0, "workItemId": "b", "dependsOn": ["a"] },
                { "type": "runRequested", "eventId": "req-a", "time": 1, "runId": "a-1", "workItemId": "a", "claims": ["write x/**"] },
                { "type": "runRequested", "eventId": "req-b", "time": 2, "runId": "b-1", "workItemId": "b", "claims": ["read x/y"] }
            ] ] }
            """;

        CliRun run = ScenarioFixture.RunOn(Json, "decide", "{file}");

        string[] lines = run.Lines;
        Assert.Equal(4, lines.Length);
        Assert.Equal(["1", "req-b", "Hold", "b-1", "DependencyPending", "item", "a,", "run", "a-1"], Cells(lines[2]));
        Assert.Equal(["ClaimConflict", "blocker", "a-1;", "read", "x/y", "vs", "write", "x/**;", "witness", "x/y"], Cells(lines[3]));
        Assert.Equal(lines[2].IndexOf("DependencyPending", StringComparison.Ordinal), lines[3].IndexOf("ClaimConflict", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_Json_OneObjectPerDecisionWithStepAndReasonCode()
    {
        CliRun run = ScenarioFixture.RunOn(ScenarioFixture.Conflict, "decide", "{file}", "--json");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        JsonElement[] lines = run.JsonLines;
        Assert.Equal(3, lines.Length);
        Assert.Equal([2, 2, 3], lines.Select(l => l.GetProperty("step").GetInt32()));
        Assert.Equal(["Admit", "Hold", "Admit"], lines.Select(l => l.GetProperty("kind").GetString()));
        JsonElement hold = lines[1];
        Assert.Equal(("ClaimConflict", 10), (hold.GetProperty("reason").GetString(), hold.GetProperty("reasonCode").GetInt32()));
        JsonElement reason = hold.GetProperty("reasons")[0];
        Assert.Equal("a-1", reason.GetProperty("blockingRun").GetString());
        JsonElement conflict = reason.GetProperty("conflict");
        Assert.Equal(
            ("write src/b/**", "write src/**", "src/b/a"),
            (conflict.GetProperty("entry").GetString(), conflict.GetProperty("blockingEntry").GetString(), conflict.GetProperty("witness").GetString()));
        Assert.Equal("step", lines[0].EnumerateObject().First().Name);
    }

    [Fact]
    public void Decide_Json_QuotesAreNotEscaped()
    {
        CliRun run = ScenarioFixture.RunOn(ScenarioFixture.Conflict, "decide", "{file}", "--json");

        Assert.Contains("Run 'a-1' starts", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_RejectedEvent_IsADecisionNotAnError()
    {
        const string Json = """
            { "steps": [ [ { "type": "runHeartbeat", "eventId": "hb", "time": 1, "runId": "ghost", "fencingToken": 1 } ] ] }
            """;

        CliRun run = ScenarioFixture.RunOn(Json, "decide", "{file}", "--json");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        JsonElement reject = Assert.Single(run.JsonLines);
        Assert.Equal(("Reject", "UnknownRun", 61), (reject.GetProperty("kind").GetString(), reject.GetProperty("reason").GetString(), reject.GetProperty("reasonCode").GetInt32()));
    }

    [Fact]
    public void Decide_NoDecisions_PrintsTheHeaderOnly()
    {
        CliRun run = ScenarioFixture.RunOn("""{ "steps": [] }""", "decide", "{file}");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(["step  event  decision  run  reason  evidence"], run.Lines);
    }

    [Fact]
    public void Decide_MissingFile_ExitTwoNamingTheFile()
    {
        CliRun run = CliRun.Of("decide", "no/such/scenario.json");

        run.AssertUsageError();
        Assert.StartsWith("claimgraph: no/such/scenario.json: cannot read the scenario file:", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("{ \"steps\": [ [ { \"type\": \"tick\", \"eventId\": \"e\", \"time\": 1, \"color\": 1 } ] ] }", "$.steps[0][0].color: unknown field 'color'")]
    [InlineData("{ \"steps\": [ [ { \"type\": \"explode\", \"eventId\": \"e\", \"time\": 1 } ] ] }", "$.steps[0][0].type: unknown event type 'explode'")]
    [InlineData("{ \"steps\": [ [ { \"type\": \"runRequested\", \"eventId\": \"e\", \"time\": 1, \"runId\": \"r\", \"workItemId\": \"w\", \"claims\": [\"write a/[\"] } ] ] }", "$.steps[0][0].claims[0]: invalid claim 'write a/['")]
    [InlineData("{ \"steps\": [ [ { \"type\": \"tick\", \"eventId\": \"e\", \"time\": 1 } ] ], }", "malformed JSON")]
    [InlineData("{ \"steps\": [], \"extra\": true }", "$.extra: unknown field 'extra'")]
    public void Decide_BadScenario_ExitTwoWithFileLineColumnAndField(string json, string expected)
    {
        CliRun run = ScenarioFixture.RunOn(json, out string file, "decide", "{file}", "--json");

        run.AssertUsageError();
        string line = Assert.Single(run.Stderr.TrimEnd().Split('\n'));
        Assert.Matches($"^claimgraph: {System.Text.RegularExpressions.Regex.Escape(file)}:1:[0-9]+: ", line);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NoScenarioArgument_UsageError()
    {
        CliRun run = CliRun.Of("decide");

        run.AssertUsageError();
    }

    [Fact]
    public void Run_NoCommand_NamesTheScenarioCommands()
    {
        CliRun run = CliRun.Of();

        run.AssertUsageError();
        Assert.Contains("decide, explain or graph", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsTheScenarioCommands()
    {
        CliRun run = CliRun.Of("--help");

        Assert.Contains("decide <SCENARIO>", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("explain <SCENARIO>", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("graph <SCENARIO>", run.Stdout, StringComparison.Ordinal);
    }

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Decide_WitnessWithALineBreak_StaysOnItsRow()
    {
        // The set admits one character only: the line feed. The claim itself holds no line break.
        const string Json = """
            { "steps": [
              [ { "type": "workItemAdded", "eventId": "add-a", "time": 0, "workItemId": "a" },
                { "type": "workItemAdded", "eventId": "add-b", "time": 0, "workItemId": "b" } ],
              [ { "type": "runRequested", "eventId": "req-a", "time": 1, "runId": "a-1", "workItemId": "a", "claims": ["write src/*"] },
                { "type": "runRequested", "eventId": "req-b", "time": 2, "runId": "b-1", "workItemId": "b", "claims": ["write src/[!\u0001-\t\u000b-.0-\uffff]"] } ]
            ] }
            """;

        CliRun run = ScenarioFixture.RunOn(Json, "decide", "{file}");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(3, run.Lines.Length);
        Assert.EndsWith("; witness src/\\n", run.Lines[2], StringComparison.Ordinal);
    }
}
