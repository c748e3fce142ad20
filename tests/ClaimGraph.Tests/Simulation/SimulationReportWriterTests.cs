using System.Text.Json;
using System.Xml.Linq;
using ClaimGraph.Simulation;

namespace ClaimGraph.Tests.Simulation;

public class SimulationReportWriterTests
{
    private static readonly SimulationReport Report =
        Simulator.Sweep(SyntheticHistory.Generate(new() { Commits = 60 }), new SimulationOptions { AgentCounts = [1, 4, 16] });

    [Fact]
    public void FormatTable_OneBlockPerConflictCostWithOneRowPerResultAndAlignedColumns()
    {
        string[] lines = SimulationReportWriter.FormatTable(Report).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("history synthetic(seed=1): 60 commits, 60 tasks", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith($"lower bound: {Report.Bound.FileHours:0.0} h for the tasks of {Report.Bound.File} ", StringComparison.Ordinal));
        int[] headers = [.. lines.Select((l, i) => (l, i)).Where(p => p.l.StartsWith("policy ", StringComparison.Ordinal)).Select(p => p.i)];
        Assert.Equal(2, headers.Length);
        Assert.StartsWith("conflict cost 1: ", lines[headers[0] - 1], StringComparison.Ordinal);
        Assert.StartsWith("conflict cost 0.5: ", lines[headers[1] - 1], StringComparison.Ordinal);
        string[] rows = lines[(headers[0] + 1)..(headers[1] - 1)];
        Assert.Equal(["fan-out", "fan-out", "fan-out", "serial", "serial", "serial", "claimgraph", "claimgraph", "claimgraph"], rows.Select(r => r.Split(' ')[0]));
        Assert.All(rows, r => Assert.Equal(lines[headers[0]].Length, r.Length));
        Assert.Equal(9, lines.Length - headers[1] - 1);
        Assert.Contains("60/60", rows[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wait p50 (h)")]
    [InlineData("wait max (h)")]
    [InlineData("to merge p95 (h)")]
    [InlineData("wasted (agent-h)")]
    [InlineData("makespan (h)")]
    [InlineData("vs bound")]
    [InlineData("bypass max")]
    [InlineData("out of order")]
    public void FormatTable_HeaderNamesEachMetricWithItsUnit(string column)
    {
        string header = SimulationReportWriter.FormatTable(Report).Split('\n').First(l => l.StartsWith("policy ", StringComparison.Ordinal));

        Assert.Contains("  " + column, header, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatTable_ImperfectClaims_AddAmendmentColumns()
    {
        SimulationReport report = Simulator.Sweep(
            SyntheticHistory.Generate(new() { Commits = 30 }),
            new SimulationOptions { AgentCounts = [2], ConflictCosts = [1], MissingClaimShare = 0.3 });

        string table = SimulationReportWriter.FormatTable(report);

        Assert.Contains("  amend granted  amend denied  violations", table, StringComparison.Ordinal);
        Assert.Contains("30% of files missing from the declared claims (amend)", table, StringComparison.Ordinal);
        Assert.DoesNotContain("amend granted", SimulationReportWriter.FormatTable(Report), StringComparison.Ordinal);
    }

    [Fact]
    public void FormatJson_HoldsOptionsBoundAndEveryResult()
    {
        using JsonDocument json = JsonDocument.Parse(SimulationReportWriter.FormatJson(Report));
        JsonElement root = json.RootElement;

        Assert.Equal(SimulationReportWriter.JsonSchema, root.GetProperty("schema").GetString());
        Assert.Equal(60, root.GetProperty("tasks").GetInt32());
        JsonElement options = root.GetProperty("options");
        Assert.Equal("file", options.GetProperty("granularity").GetString());
        Assert.Equal([1, 4, 16], options.GetProperty("agentCounts").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([1.0, 0.5], options.GetProperty("conflictCosts").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(MergeableFiles.Defaults.Length, options.GetProperty("mergeable").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, options.GetProperty("claimGraphLookahead").ValueKind);
        Assert.Equal(JsonValueKind.Null, options.GetProperty("maxClaimEntries").ValueKind);
        Assert.Equal(Report.Bound.File, root.GetProperty("lowerBound").GetProperty("file").GetString());
        JsonElement[] results = [.. root.GetProperty("results").EnumerateArray()];
        Assert.Equal(Report.Results.Length, results.Length);
        for (int i = 0; i < results.Length; i++)
        {
            PolicyRunResult r = Report.Results[i];
            Assert.Equal(SimulationReportWriter.PolicyName(r.Policy), results[i].GetProperty("policy").GetString());
            Assert.Equal(r.Agents, results[i].GetProperty("agents").GetInt32());
            Assert.Equal(r.ConflictCost, results[i].GetProperty("conflictCost").GetDouble());
            Assert.Equal(r.Conflicts, results[i].GetProperty("conflicts").GetInt32());
            Assert.Equal(r.MergedPerHour, results[i].GetProperty("mergedPerHour").GetDouble(), 4);
            Assert.Equal(r.MakespanOverBound, results[i].GetProperty("makespanOverBound").GetDouble(), 4);
            Assert.Equal(r.P95LatencyHours, results[i].GetProperty("p95LatencyHours").GetDouble(), 4);
            Assert.Equal(r.LargestBypass, results[i].GetProperty("largestBypass").GetInt32());
        }
    }

    [Fact]
    public void FormatSvg_WellFormedWithOneLinePerPolicyAndCostInEachOfFourPanels()
    {
        XDocument svg = XDocument.Parse(SimulationReportWriter.FormatSvg(Report));
        XNamespace ns = "http://www.w3.org/2000/svg";

        Assert.Equal(ns + "svg", svg.Root!.Name);
        var lines = svg.Descendants(ns + "polyline").ToList();
        Assert.Equal(4 * 3 * 2, lines.Count);
        Assert.All(lines, l => Assert.Equal(3, l.Attribute("points")!.Value.Split(' ').Length));
        Assert.Equal(4 * 3 * 2 / 2, lines.Count(l => l.Attribute("stroke-dasharray") is not null)); // the second cost is dashed
        Assert.Equal(4 * 3 * 3 * 2, svg.Descendants(ns + "circle").Count(c => c.Element(ns + "title") is not null));
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "Merged tasks per hour");
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "conflict cost 0.5");
    }

    [Fact]
    public void FormatSvg_HigherThroughputDrawnHigher()
    {
        XDocument svg = XDocument.Parse(SimulationReportWriter.FormatSvg(Report));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var claimGraph = svg.Descendants(ns + "polyline").Where(l => l.Attribute("stroke")!.Value == "#1f77b4").First();
        double[] ys = [.. claimGraph.Attribute("points")!.Value.Split(' ').Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture))];
        double[] rates = [.. Report.Results.Where(r => r.Policy == SimulationPolicy.ClaimGraph && r.ConflictCost == 1).Select(r => r.MergedPerHour)];

        for (int i = 1; i < ys.Length; i++)
        {
            Assert.Equal(Math.Sign(rates[i] - rates[i - 1]), -Math.Sign(Math.Round(ys[i] - ys[i - 1], 2)));
        }
    }

    [Fact]
    public void Formats_SameReport_SameText()
    {
        SimulationReport again = Simulator.Sweep(SyntheticHistory.Generate(new() { Commits = 60 }), new SimulationOptions { AgentCounts = [1, 4, 16] });

        Assert.Equal(SimulationReportWriter.FormatTable(Report), SimulationReportWriter.FormatTable(again));
        Assert.Equal(SimulationReportWriter.FormatSvg(Report), SimulationReportWriter.FormatSvg(again));
    }
}
