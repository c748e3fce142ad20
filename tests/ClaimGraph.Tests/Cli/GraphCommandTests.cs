using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Cli;

public class GraphCommandTests
{
    private const string Dependent = """
        { "steps": [ [
            { "type": "workItemAdded", "eventId": "add-a", "time": 0, "workItemId": "schema" },
            { "type": "workItemAdded", "eventId": "add-b", "time": 0, "workItemId": "api", "dependsOn": ["schema"] },
            { "type": "runRequested", "eventId": "req-a", "time": 1, "runId": "schema-1", "workItemId": "schema", "claims": ["write db/**"] },
            { "type": "runRequested", "eventId": "req-b", "time": 2, "runId": "api-1", "workItemId": "api", "claims": ["write api/**"] }
        ] ] }
        """;

    [Fact]
    public void Graph_DefaultFormat_IsMermaidWithRunStates()
    {
        CliRun run = ScenarioFixture.RunOn(Dependent, "graph", "{file}");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal("flowchart LR", run.Lines[0]);
        Assert.Contains("  n0[\"api<br/>Open<br/>api-1#58; Held\"]:::held", run.Lines);
        Assert.Contains("  n1[\"schema<br/>Open<br/>schema-1#58; Active\"]:::active", run.Lines);
        Assert.Contains("  n1 --> n0", run.Lines);
    }

    [Fact]
    public void Graph_Dot_IsADigraphWithTheEdge()
    {
        CliRun run = ScenarioFixture.RunOn(Dependent, "graph", "{file}", "--format", "dot");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal("digraph WorkGraph {", run.Lines[0]);
        Assert.Contains("  n1 -> n0;", run.Lines);
        Assert.Contains(run.Lines, l => l.StartsWith("  n0 [label=\"api\\nOpen\\napi-1: Held\"", StringComparison.Ordinal));
        Assert.Equal("}", run.Lines[^1]);
    }

    [Fact]
    public void Graph_SameAsTheLibraryPicture()
    {
        CliRun run = CliRun.Of("graph", ScenarioFixture.ExamplePath("schema-dependency"), "--format", "mermaid");
        ScenarioReplay replay = ScenarioReplay.Run(ScenarioFile.Load(ScenarioFixture.ExamplePath("schema-dependency")));

        Assert.Equal(ClaimGraph.Graph.WorkGraphPictures.ToMermaid(replay.Graph), run.Stdout);
    }

    [Fact]
    public void Graph_UnknownFormat_UsageError()
    {
        CliRun run = ScenarioFixture.RunOn(Dependent, "graph", "{file}", "--format", "svg");

        run.AssertUsageError();
        Assert.Contains("svg", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_BadScenario_ExitTwoWithLocation()
    {
        CliRun run = ScenarioFixture.RunOn("{ \"steps\": [ [ { \"type\": \"tick\" } ] ] }", out string file, "graph", "{file}");

        run.AssertUsageError();
        Assert.Equal($"claimgraph: {file}:1:16: $.steps[0][0]: the field 'eventId' is missing; a 'tick' event needs 'eventId', 'time'", run.Stderr.TrimEnd());
    }
}
