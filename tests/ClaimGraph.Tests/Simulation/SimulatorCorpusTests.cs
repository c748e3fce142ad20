using ClaimGraph.Policy;
using ClaimGraph.Simulation;

namespace ClaimGraph.Tests.Simulation;

/// <summary>The simulator on the real commit histories of the corpus (skipped when CLAIMGRAPH_CORPUS is not set).</summary>
public class SimulatorCorpusTests
{
    private static readonly string? Corpus = Environment.GetEnvironmentVariable("CLAIMGRAPH_CORPUS");

    private static CommitHistory Load(string name) =>
        CommitHistory.ReadJsonLines(Path.Combine(Corpus!, "history", name + ".jsonl.gz"));

    [SkippableTheory]
    [InlineData("prometheus__prometheus")]
    [InlineData("open-telemetry__opentelemetry-collector")]
    [InlineData("dotnet__aspire")]
    public void Sweep_CorpusHistoryWithDefaults_ClaimGraphNeverConflictsWhileFanOutDoes(string name)
    {
        Skip.If(Corpus is null, "CLAIMGRAPH_CORPUS is not set");

        // The default model (exact claims, mergeable files, every waiting run shown) on the 500 newest commits.
        var options = new SimulationOptions { MaxCommits = 500, AgentCounts = [8, 64], ConflictCosts = [1], Policies = [SimulationPolicy.FanOut, SimulationPolicy.ClaimGraph] };

        SimulationReport report = Simulator.Sweep(Load(name), options);

        Assert.Equal(500, report.Tasks);
        Assert.All(report.Results, r => Assert.Equal(r.Tasks, r.Merged));
        Assert.All(report.Results.Where(r => r.Policy == SimulationPolicy.ClaimGraph), r =>
        {
            Assert.Equal(0, r.Conflicts);
            Assert.Equal(0, r.Restarts);
            Assert.Equal(0, r.WastedAgentHours);
            Assert.InRange(r.LargestBypass, 0, PolicyOptions.Default.BypassBudget);
            Assert.InRange(r.PeakConcurrency, 1, r.Agents);
            Assert.True(r.MakespanHours >= r.LowerBoundHours, $"{r}");
        });
        PolicyRunResult fanOut = report.Find(SimulationPolicy.FanOut, 64)!;
        Assert.True(fanOut.Conflicts > 0 && fanOut.WastedAgentHours > 0, $"fan-out with 64 agents: {fanOut}");
    }

    [SkippableFact]
    public void Sweep_CorpusHistoryTwice_ByteIdenticalJson()
    {
        Skip.If(Corpus is null, "CLAIMGRAPH_CORPUS is not set");
        var options = new SimulationOptions { MaxCommits = 150, AgentCounts = [1, 8, 64], MissingClaimShare = 0.1 };

        string first = SimulationReportWriter.FormatJson(Simulator.Sweep(Load("prometheus__prometheus"), options));
        string second = SimulationReportWriter.FormatJson(Simulator.Sweep(Load("prometheus__prometheus"), options));

        Assert.Equal(first, second);
        Assert.Contains("\"source\": \"prometheus__prometheus.jsonl.gz\"", first, StringComparison.Ordinal);
    }
}
