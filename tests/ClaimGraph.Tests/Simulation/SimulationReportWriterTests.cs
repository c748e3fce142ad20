using System.Text.Json;
using System.Xml.Linq;
using ClaimGraph.Simulation;

namespace ClaimGraph.Tests.Simulation;

public class SimulationReportWriterTests
{
    private static readonly SimulationReport Report =
        Simulator.Sweep(SyntheticHistory.Generate(new() { Commits = 60 }), new SimulationOptions { AgentCounts = [1, 4, 16] });

    [Fact]
    public void FormatTable_OneRowPerResultWithAlignedColumns()
    {
        string[] lines = SimulationReportWriter.FormatTable(Report).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("history synthetic(seed=1): 60 commits, 60 tasks", lines[0], StringComparison.Ordinal);
        int header = Array.FindIndex(lines, l => l.StartsWith("policy", StringComparison.Ordinal));
        Assert.Equal(Report.Results.Length, lines.Length - header - 1);
        string[] rows = lines[(header + 1)..];
        Assert.Equal(["fan-out", "fan-out", "fan-out", "serial", "serial", "serial", "claimgraph", "claimgraph", "claimgraph"], rows.Select(r => r.Split(' ')[0]));
        Assert.All(rows, r => Assert.Equal(lines[header].Length, r.Length));
        Assert.Contains("60/60", rows[0], StringComparison.Ordinal);
    }

    [Fact]
    public void FormatJson_HoldsOptionsAndEveryResult()
    {
        using JsonDocument json = JsonDocument.Parse(SimulationReportWriter.FormatJson(Report));
        JsonElement root = json.RootElement;

        Assert.Equal(SimulationReportWriter.JsonSchema, root.GetProperty("schema").GetString());
        Assert.Equal(60, root.GetProperty("tasks").GetInt32());
        Assert.Equal("file", root.GetProperty("options").GetProperty("granularity").GetString());
        Assert.Equal([1, 4, 16], root.GetProperty("options").GetProperty("agentCounts").EnumerateArray().Select(e => e.GetInt32()));
        JsonElement[] results = [.. root.GetProperty("results").EnumerateArray()];
        Assert.Equal(Report.Results.Length, results.Length);
        for (int i = 0; i < results.Length; i++)
        {
            PolicyRunResult r = Report.Results[i];
            Assert.Equal(SimulationReportWriter.PolicyName(r.Policy), results[i].GetProperty("policy").GetString());
            Assert.Equal(r.Agents, results[i].GetProperty("agents").GetInt32());
            Assert.Equal(r.Conflicts, results[i].GetProperty("conflicts").GetInt32());
            Assert.Equal(r.MergedPerHour, results[i].GetProperty("mergedPerHour").GetDouble(), 4);
        }
    }

    [Fact]
    public void FormatSvg_WellFormedWithOneLinePerPolicyInEachOfFourPanels()
    {
        XDocument svg = XDocument.Parse(SimulationReportWriter.FormatSvg(Report));
        XNamespace ns = "http://www.w3.org/2000/svg";

        Assert.Equal(ns + "svg", svg.Root!.Name);
        var lines = svg.Descendants(ns + "polyline").ToList();
        Assert.Equal(4 * 3, lines.Count);
        Assert.All(lines, l => Assert.Equal(3, l.Attribute("points")!.Value.Split(' ').Length));
        Assert.Equal(4 * 3 * 3, svg.Descendants(ns + "circle").Count(c => c.Element(ns + "title") is not null));
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "Merged tasks per hour");
    }

    [Fact]
    public void FormatSvg_HigherThroughputDrawnHigher()
    {
        XDocument svg = XDocument.Parse(SimulationReportWriter.FormatSvg(Report));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var claimGraph = svg.Descendants(ns + "polyline").Where(l => l.Attribute("stroke")!.Value == "#1f77b4").First();
        double[] ys = [.. claimGraph.Attribute("points")!.Value.Split(' ').Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture))];
        double[] rates = [.. Report.Results.Where(r => r.Policy == SimulationPolicy.ClaimGraph).Select(r => r.MergedPerHour)];

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
