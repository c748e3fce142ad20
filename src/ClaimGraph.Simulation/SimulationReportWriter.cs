using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ClaimGraph.Simulation;

/// <summary>
/// Renders a <see cref="SimulationReport"/> as a text table, as JSON and as an SVG chart. Every output is a pure
/// function of the report (invariant culture, <c>\n</c> line ends, fixed key order, numbers rounded to 4 decimals in
/// JSON), so equal reports give byte-identical text. Thread-safe.
/// </summary>
public static class SimulationReportWriter
{
    /// <summary>The <c>schema</c> value of the JSON output; bumped when its shape changes incompatibly.</summary>
    public const string JsonSchema = "claimgraph-simulation/1";

    /// <summary>The name a policy has in every output: <c>fan-out</c>, <c>serial</c>, <c>claimgraph</c>.</summary>
    public static string PolicyName(SimulationPolicy policy) => policy switch
    {
        SimulationPolicy.FanOut => "fan-out",
        SimulationPolicy.Serial => "serial",
        SimulationPolicy.ClaimGraph => "claimgraph",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown policy"),
    };

    /// <summary>The name a granularity has in every output: <c>file</c>, <c>directory</c>, <c>top-level-directory</c>.</summary>
    public static string GranularityName(ClaimGranularity granularity) => granularity switch
    {
        ClaimGranularity.File => "file",
        ClaimGranularity.Directory => "directory",
        ClaimGranularity.TopLevelDirectory => "top-level-directory",
        _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "unknown granularity"),
    };

    /// <summary>
    /// A fixed-width text table: a header naming the history and the model, then one row per result with merged
    /// tasks, merged per hour, conflicts, wasted agent-hours, median and p95 wait, makespan and peak concurrency.
    /// </summary>
    public static string FormatTable(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        SimulationOptions o = report.Options;
        var text = new StringBuilder();
        text.Append(Invariant($"history {report.Source}: {report.Commits} commits, {report.Tasks} tasks arriving over {report.ArrivalSpanHours:0.0} h (time compressed {o.TimeCompression:0.##}x, {ArrivalName(o.ArrivalTime)} times)\n"));
        text.Append(Invariant($"claims per {GranularityName(o.Granularity)} (at most {Limit(o.MaxClaimEntries)} entries, then coarser), claimgraph lookahead {Limit(o.ClaimGraphLookahead)}, seed {o.Seed};\n"));
        text.Append(Invariant($"duration {o.Duration.BaseMinutes:0.##} min + {o.Duration.PerFileMinutes:0.##} min/file (at most {o.Duration.MaxCountedFiles} files), +/-{o.Duration.Variation * 100:0.##}%\n\n"));
        string[] header = ["policy", "agents", "merged", "merged/h", "conflicts", "wasted agent-h", "wait p50 min", "wait p95 min", "makespan h", "peak"];
        var rows = new List<string[]> { header };
        foreach (PolicyRunResult r in report.Results)
        {
            rows.Add(
            [
                PolicyName(r.Policy),
                Invariant($"{r.Agents}"),
                Invariant($"{r.Merged}/{r.Tasks}"),
                Invariant($"{r.MergedPerHour:0.00}"),
                Invariant($"{r.Conflicts}"),
                Invariant($"{r.WastedAgentHours:0.0}"),
                Invariant($"{r.MedianWaitMinutes:0.0}"),
                Invariant($"{r.P95WaitMinutes:0.0}"),
                Invariant($"{r.MakespanHours:0.0}"),
                Invariant($"{r.PeakConcurrency}"),
            ]);
        }

        var widths = new int[header.Length];
        foreach (string[] row in rows)
        {
            for (int c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        foreach (string[] row in rows)
        {
            var line = new StringBuilder();
            for (int c = 0; c < row.Length; c++)
            {
                // The policy name reads left-aligned, numbers right-aligned.
                line.Append(c == 0 ? row[c].PadRight(widths[c]) : "  " + row[c].PadLeft(widths[c]));
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The report as indented JSON (schema <see cref="JsonSchema"/>): <c>source</c>, <c>commits</c>, <c>tasks</c>,
    /// <c>arrivalSpanHours</c>, <c>options</c> and <c>results</c> (one object per policy and agent count, in report
    /// order). Ends with a newline.
    /// </summary>
    public static string FormatJson(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        SimulationOptions o = report.Options;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("schema", JsonSchema);
            json.WriteString("source", report.Source);
            json.WriteNumber("commits", report.Commits);
            json.WriteNumber("tasks", report.Tasks);
            json.WriteNumber("arrivalSpanHours", Round(report.ArrivalSpanHours));
            json.WriteStartObject("options");
            json.WriteString("granularity", GranularityName(o.Granularity));
            json.WriteStartArray("agentCounts");
            foreach (int agents in o.AgentCounts)
            {
                json.WriteNumberValue(agents);
            }

            json.WriteEndArray();
            json.WriteStartArray("policies");
            foreach (SimulationPolicy policy in o.Policies)
            {
                json.WriteStringValue(PolicyName(policy));
            }

            json.WriteEndArray();
            json.WriteNumber("timeCompression", Round(o.TimeCompression));
            json.WriteString("arrivalTime", ArrivalName(o.ArrivalTime));
            WriteNullable(json, "maxCommits", o.MaxCommits);
            WriteNullable(json, "maxClaimEntries", o.MaxClaimEntries);
            WriteNullable(json, "claimGraphLookahead", o.ClaimGraphLookahead);
            json.WriteNumber("seed", o.Seed);
            json.WriteStartObject("duration");
            json.WriteNumber("baseMinutes", Round(o.Duration.BaseMinutes));
            json.WriteNumber("perFileMinutes", Round(o.Duration.PerFileMinutes));
            json.WriteNumber("maxCountedFiles", o.Duration.MaxCountedFiles);
            json.WriteNumber("variation", Round(o.Duration.Variation));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("results");
            foreach (PolicyRunResult r in report.Results)
            {
                json.WriteStartObject();
                json.WriteString("policy", PolicyName(r.Policy));
                json.WriteNumber("agents", r.Agents);
                json.WriteNumber("tasks", r.Tasks);
                json.WriteNumber("merged", r.Merged);
                json.WriteNumber("conflicts", r.Conflicts);
                json.WriteNumber("restarts", r.Restarts);
                json.WriteNumber("mergedPerHour", Round(r.MergedPerHour));
                json.WriteNumber("wastedAgentHours", Round(r.WastedAgentHours));
                json.WriteNumber("busyAgentHours", Round(r.BusyAgentHours));
                json.WriteNumber("medianWaitMinutes", Round(r.MedianWaitMinutes));
                json.WriteNumber("p95WaitMinutes", Round(r.P95WaitMinutes));
                json.WriteNumber("makespanHours", Round(r.MakespanHours));
                json.WriteNumber("peakConcurrency", r.PeakConcurrency);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    /// <summary>
    /// A self-contained SVG chart (no scripts, no external fonts or images): four panels against the agent count on a
    /// log₂ axis — merged tasks per hour, merge conflicts, wasted agent-hours and p95 wait — one line per policy.
    /// </summary>
    public static string FormatSvg(SimulationReport report) => SvgChart.Render(report);

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Limit(int? limit) => limit is { } l ? l.ToString(CultureInfo.InvariantCulture) : "unlimited";

    private static string ArrivalName(ArrivalTimeSource source) => source == ArrivalTimeSource.Author ? "author" : "committer";

    private static double Round(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    private static void WriteNullable(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
