using System.Text;
using ClaimGraph.Cli;
using ClaimGraph.Serialization;
using ClaimGraph.Tests.Docs;

namespace ClaimGraph.Tests.Cli;

/// <summary>Scenario texts for tests: written to temporary files for the CLI, or parsed in memory.</summary>
internal static class ScenarioFixture
{
    /// <summary>The example scenarios in <c>examples/</c>, by name (without <c>.json</c>).</summary>
    public static readonly string[] ExampleNames =
        ["safe-fan-out", "same-service-directory", "schema-dependency", "blocker-fails", "issue-changes-state", "restart", "schema-moved"];

    public static string ExamplesDirectory => Path.Combine(ReadmeTests.RepoRoot(), "examples");

    public static string ExamplePath(string name) => Path.Combine(ExamplesDirectory, name + ".json");

    /// <summary>A small valid scenario: two work items, two runs that conflict on <c>src/**</c>, the first finishes.</summary>
    public const string Conflict = """
        {
          "options": { "leaseDuration": null },
          "steps": [
            [
              { "type": "workItemAdded", "eventId": "add-a", "time": 0, "workItemId": "a" },
              { "type": "workItemAdded", "eventId": "add-b", "time": 0, "workItemId": "b" }
            ],
            [
              { "type": "runRequested", "eventId": "req-a", "time": 10, "runId": "a-1", "workItemId": "a", "claims": ["write src/**"] },
              { "type": "runRequested", "eventId": "req-b", "time": 20, "runId": "b-1", "workItemId": "b", "claims": ["write src/b/**", "read docs/**"] }
            ],
            [
              { "type": "runSucceeded", "eventId": "done-a", "time": 30, "runId": "a-1", "fencingToken": 1, "newBaseVersion": 1, "changedPaths": ["src/a.cs"] }
            ]
          ]
        }
        """;

    /// <summary>The one-based line and column of character <paramref name="index"/> of <paramref name="text"/>, counted plainly.</summary>
    public static (int? Line, int? Column) LineColumn(string text, int index)
    {
        Assert.True(index >= 0, "the marker is not in the text");
        int lineStart = text[..index].LastIndexOf('\n') + 1;
        return (text[..index].Count(c => c == '\n') + 1, index - lineStart + 1);
    }

    public static Scenario Parse(string json, string file = "test.json") => ScenarioFile.Parse(file, Encoding.UTF8.GetBytes(json)).Scenario;

    public static ScenarioException ParseError(string json) => Assert.Throws<ScenarioException>(() => Parse(json));

    /// <summary>Runs the CLI on <paramref name="json"/> written to a temporary file; <c>{file}</c> in the arguments is its path.</summary>
    public static CliRun RunOn(string json, params string[] args) => RunOn(json, out _, args);

    /// <summary>As <see cref="RunOn(string, string[])"/>, also giving the temporary file's path (gone by the time it returns).</summary>
    public static CliRun RunOn(string json, out string file, params string[] args)
    {
        file = Path.Combine(Path.GetTempPath(), $"claimgraph-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);
        try
        {
            string path = file;
            return CliRun.Of(args.Select(a => a == "{file}" ? path : a).ToArray());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
