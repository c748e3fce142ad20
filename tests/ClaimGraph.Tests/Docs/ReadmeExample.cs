// The README's library example: this file is compiled and run by ReadmeTests, and the README must quote the two
// regions between the markers exactly.
// readme-usings:start
using ClaimGraph.Globs;
using ClaimGraph.Policy;
using WorkGraph = ClaimGraph.Graph.WorkGraph;
// readme-usings:end

namespace ClaimGraph.Tests.Docs;

internal static class ReadmeExample
{
    public static IReadOnlyList<string> Run()
    {
        var lines = new List<string>();
        void Print(string line) => lines.Add(line);

        // readme-example:start
        // Exact overlap, with a witness path both patterns cover.
        Glob.TryGetWitness(Glob.Parse("src/billing/**"), Glob.Parse("src/*/schema.sql"), out string? witness);
        Print($"witness: {witness}"); // src/billing/schema.sql

        // Three work items and their runs: docs and detectors run side by side; the second detector run waits.
        PolicyStepResult step = ClaimPolicy.Step(WorkGraph.Empty,
        [
            new WorkItemAdded("e1", 0, "docs"),
            new WorkItemAdded("e2", 0, "detector"),
            new WorkItemAdded("e3", 0, "yaml-detector"),
            new RunRequested("e4", 0, "r1", "docs", ["write docs/**"]),
            new RunRequested("e5", 0, "r2", "detector", ["write src/detectors/**", "read src/common/**"]),
            new RunRequested("e6", 0, "r3", "yaml-detector", ["write src/detectors/yaml/**"]),
        ]);
        foreach (Decision d in step.Decisions)
        {
            Print($"{d.Kind} {d.RunId} ({d.Reason}): {d.Message}");
        }

        // Why could r1 run beside r2? The change packet says.
        RunExplanation why = RunExplainer.Explain(step.Graph, "r1")!;
        Print(why.ChangePacket[0].Detail);
        // readme-example:end
        return lines;
    }
}
