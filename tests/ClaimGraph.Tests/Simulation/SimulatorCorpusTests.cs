using ClaimGraph.Simulation;

namespace ClaimGraph.Tests.Simulation;

/// <summary>The simulator on the real commit histories of the corpus (skipped when CLAIMGRAPH_CORPUS is not set).</summary>
public class SimulatorCorpusTests
{
    private static readonly string? Corpus = Environment.GetEnvironmentVariable("CLAIMGRAPH_CORPUS");

    private static CommitHistory Load(string name) =>
        CommitHistory.ReadJsonLines(Path.Combine(Corpus!, "history", name + ".jsonl.gz"));

    [SkippableTheory]
    // The newest commits only, fewer where commits are large (aspire: up to 464 files), so the class stays within ~30 s.
    [InlineData("prometheus__prometheus", 400)]
    [InlineData("open-telemetry__opentelemetry-collector", 300)]
    [InlineData("dotnet__aspire", 200)]
    public void Sweep_CorpusHistory_ClaimGraphAndSerialNeverConflictWhileFanOutDoes(string name, int window)
    {
        Skip.If(Corpus is null, "CLAIMGRAPH_CORPUS is not set");
        var options = new SimulationOptions { MaxCommits = window, AgentCounts = [1, 8, 64] };

        SimulationReport report = Simulator.Sweep(Load(name), options);

        Assert.Equal(window, report.Commits);
        Assert.Equal(window, report.Tasks);
        Assert.All(report.Results, r => Assert.Equal(r.Tasks, r.Merged));
        Assert.All(report.Results.Where(r => r.Policy != SimulationPolicy.FanOut), r =>
        {
            Assert.Equal(0, r.Conflicts);
            Assert.Equal(0, r.Restarts);
            Assert.Equal(0, r.WastedAgentHours);
        });
        Assert.All(report.Results.Where(r => r.Policy == SimulationPolicy.ClaimGraph), r => Assert.InRange(r.PeakConcurrency, 1, r.Agents));
        Assert.Equal(0, report.Find(SimulationPolicy.FanOut, 1)!.Conflicts);
        PolicyRunResult fanOut = report.Find(SimulationPolicy.FanOut, 64)!;
        Assert.True(fanOut.Conflicts > 0 && fanOut.WastedAgentHours > 0, $"fan-out with 64 agents: {fanOut}");
        Assert.True(
            report.Find(SimulationPolicy.ClaimGraph, 8)!.MergedPerHour > report.Find(SimulationPolicy.Serial, 8)!.MergedPerHour,
            SimulationReportWriter.FormatTable(report));
    }

    [SkippableFact]
    public void Sweep_CorpusHistoryTwice_ByteIdenticalJson()
    {
        Skip.If(Corpus is null, "CLAIMGRAPH_CORPUS is not set");
        var options = new SimulationOptions { MaxCommits = 150, AgentCounts = [1, 8, 64] };

        string first = SimulationReportWriter.FormatJson(Simulator.Sweep(Load("prometheus__prometheus"), options));
        string second = SimulationReportWriter.FormatJson(Simulator.Sweep(Load("prometheus__prometheus"), options));

        Assert.Equal(first, second);
        Assert.Contains("\"source\": \"prometheus__prometheus.jsonl.gz\"", first, StringComparison.Ordinal);
    }
}
