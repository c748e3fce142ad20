using ClaimGraph.Serialization;
using ClaimGraph.Tests.Cli;

namespace ClaimGraph.Tests.Docs;

/// <summary><c>docs/scenario.md</c> quotes the example and its output exactly, and lists every event type, field and option.</summary>
public class ScenarioDocsTests
{
    private static readonly Lazy<string> Doc = new(() =>
        File.ReadAllText(Path.Combine(ReadmeTests.RepoRoot(), "docs", "scenario.md")).ReplaceLineEndings("\n"));

    [Fact]
    public void Doc_QuotesTheExampleScenarioAndItsOutput()
    {
        string scenario = File.ReadAllText(ScenarioFixture.ExamplePath("same-service-directory")).ReplaceLineEndings("\n");
        string table = File.ReadAllText(Path.Combine(ScenarioFixture.ExamplesDirectory, "same-service-directory.decide.txt")).ReplaceLineEndings("\n");
        string secondLine = File.ReadAllLines(Path.Combine(ScenarioFixture.ExamplesDirectory, "same-service-directory.decide.jsonl"))[1];

        Assert.Contains("```json\n" + scenario.TrimEnd('\n') + "\n```", Doc.Value, StringComparison.Ordinal);
        Assert.Contains("```\n" + table.TrimEnd('\n') + "\n```", Doc.Value, StringComparison.Ordinal);
        Assert.Contains("```json\n" + secondLine + "\n```", Doc.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Doc_ListsEveryEventTypeWithItsFields()
    {
        foreach (EventShape shape in EventShapes.ByName.Values)
        {
            string row = Assert.Single(Doc.Value.Split('\n'), l => l.StartsWith($"| `{shape.Name}` |", StringComparison.Ordinal));
            string fields = row.Split('|')[2].Trim() + ",";
            foreach (string field in shape.Fields.Where(f => f is not ("eventId" or "time")))
            {
                string expected = shape.Required.Contains(field) ? $"`{field}`," : $"`{field}`?";
                Assert.Contains(expected, fields, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Doc_ListsEveryOptionAndExample()
    {
        foreach (string option in PolicyOptionsJson.Fields)
        {
            Assert.Contains($"| `{option}` |", Doc.Value, StringComparison.Ordinal);
        }

        foreach (string example in ScenarioFixture.ExampleNames)
        {
            Assert.Contains($"| `{example}` |", Doc.Value, StringComparison.Ordinal);
        }
    }
}
