using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ClaimGraph.Policy;

namespace ClaimGraph.Simulation;

/// <summary>
/// Renders a <see cref="SimulationReport"/> as a text table, as JSON and as an SVG chart. Every output is a pure
/// function of the report (invariant culture, <c>\n</c> line ends, fixed key order, numbers rounded to 4 decimals in
/// JSON), so equal reports give byte-identical text. Thread-safe.
/// </summary>
public static class SimulationReportWriter
{
    /// <summary>The <c>schema</c> value of the JSON output; bumped when its shape changes incompatibly.</summary>
    public const string JsonSchema = "claimgraph-simulation/2";

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
    /// A fixed-width text table: a header naming the history, the model and the lower bound, then for each conflict
    /// cost one row per policy and agent count with merged tasks, merged per hour, makespan and its ratio to the lower
    /// bound, conflicts, wasted and busy agent-hours, waits and arrival-to-merge latencies, the largest bypass count,
    /// out-of-order merges and peak concurrency (and, with imperfect claims, stale cancels, amendments and violations).
    /// Units are in the headers.
    /// </summary>
    public static string FormatTable(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        SimulationOptions o = report.Options;
        LowerBound b = report.Bound;
        var text = new StringBuilder();
        text.Append(Invariant($"history {report.Source}: {report.Commits} commits, {report.Tasks} tasks arriving over {report.ArrivalSpanHours:0.0} h (time compressed {o.TimeCompression:0.##}x, {ArrivalName(o.ArrivalTime)} times)\n"));
        text.Append(Invariant($"claims per {GranularityName(o.Granularity)} ({EntryLimit(o.MaxClaimEntries)}), {MergeableText(o.Mergeable)}, {FootprintText(o)};\n"));
        text.Append(Invariant($"ClaimGraph: lookahead {Limit(o.ClaimGraphLookahead)}, {PolicyText(o.Policy)}{SpeculationText(o)}; seed {o.Seed};\n"));
        text.Append(Invariant($"duration {o.Duration.BaseMinutes:0.##} min + {o.Duration.PerFileMinutes:0.##} min/file (at most {o.Duration.MaxCountedFiles} files), +/-{o.Duration.Variation * 100:0.##}%\n"));
        text.Append(Invariant($"lower bound: {b.FileHours:0.0} h for the tasks of {b.File ?? "no file"} one after another; {b.WorkHours:0.0} agent-h of work / agents; {b.TaskHours:0.0} h for the latest task alone\n"));
        bool footprint = o.MissingClaimShare > 0;
        bool speculation = o.SpeculativeRuns is not 0;
        string[] header =
        [
            "policy", "agents", "merged", "merged/h", "makespan (h)", "vs bound", "conflicts", "wasted (agent-h)", "agent-h/merge",
            "wait p50 (h)", "wait p95 (h)", "wait max (h)", "to merge p50 (h)", "to merge p95 (h)", "bypass max", "out of order", "peak",
            .. footprint ? (string[])["stale cancels", "amend granted", "amend denied", "violations"] : [],
            .. speculation ? (string[])["speculative starts", "speculative (agent-h)", "rebases", "preempted"] : [],
        ];
        var blocks = new List<(double Cost, List<string[]> Rows)>();
        foreach (double cost in o.ConflictCosts)
        {
            var rows = new List<string[]>();
            foreach (PolicyRunResult r in report.Results.Where(r => r.ConflictCost.Equals(cost)))
            {
                rows.Add(
                [
                    PolicyName(r.Policy),
                    Invariant($"{r.Agents}"),
                    Invariant($"{r.Merged}/{r.Tasks}"),
                    Invariant($"{r.MergedPerHour:0.00}"),
                    Invariant($"{r.MakespanHours:0.0}"),
                    Invariant($"{r.MakespanOverBound:0.00}x"),
                    Invariant($"{r.Conflicts}"),
                    Invariant($"{r.WastedAgentHours:0.0}"),
                    Invariant($"{r.AgentHoursPerMerge:0.00}"),
                    Invariant($"{r.MedianWaitHours:0.00}"),
                    Invariant($"{r.P95WaitHours:0.00}"),
                    Invariant($"{r.LongestWaitHours:0.00}"),
                    Invariant($"{r.MedianLatencyHours:0.00}"),
                    Invariant($"{r.P95LatencyHours:0.00}"),
                    Invariant($"{r.LargestBypass}"),
                    Invariant($"{r.OutOfOrderMerges}"),
                    Invariant($"{r.PeakConcurrency}"),
                    .. footprint
                        ? (string[])[Invariant($"{r.StaleCancels}"), Invariant($"{r.AmendmentsGranted}"), Invariant($"{r.AmendmentsDenied}"), Invariant($"{r.ClaimViolations}")]
                        : [],
                    .. speculation
                        ? (string[])[Invariant($"{r.SpeculativeStarts}"), Invariant($"{r.SpeculativeAgentHours:0.0}"), Invariant($"{r.SpeculativeRebases}"), Invariant($"{r.SpeculativePreemptions}")]
                        : [],
                ]);
            }

            blocks.Add((cost, rows));
        }

        var widths = new int[header.Length];
        foreach (string[] row in blocks.SelectMany(b => b.Rows).Prepend(header))
        {
            for (int c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        foreach ((double cost, List<string[]> rows) in blocks)
        {
            text.Append(Invariant($"\nconflict cost {cost:0.###}: {CostText(cost)}\n"));
            foreach (string[] row in rows.Prepend(header))
            {
                var line = new StringBuilder();
                for (int c = 0; c < row.Length; c++)
                {
                    // The policy name reads left-aligned, numbers right-aligned.
                    line.Append(c == 0 ? row[c].PadRight(widths[c]) : "  " + row[c].PadLeft(widths[c]));
                }

                text.Append(line.ToString().TrimEnd()).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The report as indented JSON (schema <see cref="JsonSchema"/>): <c>source</c>, <c>commits</c>, <c>tasks</c>,
    /// <c>arrivalSpanHours</c>, <c>lowerBound</c>, <c>options</c> and <c>results</c> (one object per conflict cost,
    /// policy and agent count, in report order; times in hours). Ends with a newline.
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
            json.WriteStartObject("lowerBound");
            json.WriteNumber("fileHours", Round(report.Bound.FileHours));
            json.WriteString("file", report.Bound.File);
            json.WriteNumber("workHours", Round(report.Bound.WorkHours));
            json.WriteNumber("taskHours", Round(report.Bound.TaskHours));
            json.WriteEndObject();
            WriteOptions(json, o);
            json.WriteStartArray("results");
            foreach (PolicyRunResult r in report.Results)
            {
                json.WriteStartObject();
                json.WriteString("policy", PolicyName(r.Policy));
                json.WriteNumber("agents", r.Agents);
                json.WriteNumber("conflictCost", Round(r.ConflictCost));
                json.WriteNumber("tasks", r.Tasks);
                json.WriteNumber("merged", r.Merged);
                json.WriteNumber("conflicts", r.Conflicts);
                json.WriteNumber("staleCancels", r.StaleCancels);
                json.WriteNumber("restarts", r.Restarts);
                json.WriteNumber("mergedPerHour", Round(r.MergedPerHour));
                json.WriteNumber("makespanHours", Round(r.MakespanHours));
                json.WriteNumber("lowerBoundHours", Round(r.LowerBoundHours));
                json.WriteNumber("makespanOverBound", Round(r.MakespanOverBound));
                json.WriteNumber("wastedAgentHours", Round(r.WastedAgentHours));
                json.WriteNumber("busyAgentHours", Round(r.BusyAgentHours));
                json.WriteNumber("agentHoursPerMerge", Round(r.AgentHoursPerMerge));
                json.WriteNumber("medianWaitHours", Round(r.MedianWaitHours));
                json.WriteNumber("p95WaitHours", Round(r.P95WaitHours));
                json.WriteNumber("longestWaitHours", Round(r.LongestWaitHours));
                json.WriteNumber("medianLatencyHours", Round(r.MedianLatencyHours));
                json.WriteNumber("p95LatencyHours", Round(r.P95LatencyHours));
                json.WriteNumber("largestBypass", r.LargestBypass);
                json.WriteNumber("outOfOrderMerges", r.OutOfOrderMerges);
                json.WriteNumber("amendmentsGranted", r.AmendmentsGranted);
                json.WriteNumber("amendmentsDenied", r.AmendmentsDenied);
                json.WriteNumber("claimViolations", r.ClaimViolations);
                json.WriteNumber("peakConcurrency", r.PeakConcurrency);
                json.WriteNumber("speculativeStarts", r.SpeculativeStarts);
                json.WriteNumber("speculativeAgentHours", Round(r.SpeculativeAgentHours));
                json.WriteNumber("speculativeRebases", r.SpeculativeRebases);
                json.WriteNumber("speculativePreemptions", r.SpeculativePreemptions);
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

    /// <summary>The name of an undeclared-file action in every output: <c>amend</c>, <c>silent</c>.</summary>
    public static string UndeclaredName(UndeclaredFileAction action) => action switch
    {
        UndeclaredFileAction.Amend => "amend",
        UndeclaredFileAction.ChangeSilently => "silent",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown action"),
    };

    private static void WriteOptions(Utf8JsonWriter json, SimulationOptions o)
    {
        json.WriteStartObject("options");
        json.WriteString("granularity", GranularityName(o.Granularity));
        WriteNullable(json, "maxClaimEntries", o.MaxClaimEntries);
        json.WriteStartArray("mergeable");
        foreach (string pattern in o.Mergeable)
        {
            json.WriteStringValue(pattern);
        }

        json.WriteEndArray();
        json.WriteNumber("missingClaimShare", Round(o.MissingClaimShare));
        json.WriteString("undeclaredFiles", UndeclaredName(o.UndeclaredFiles));
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
        json.WriteStartArray("conflictCosts");
        foreach (double cost in o.ConflictCosts)
        {
            json.WriteNumberValue(Round(cost));
        }

        json.WriteEndArray();
        json.WriteNumber("timeCompression", Round(o.TimeCompression));
        json.WriteString("arrivalTime", ArrivalName(o.ArrivalTime));
        WriteNullable(json, "maxCommits", o.MaxCommits);
        WriteNullable(json, "claimGraphLookahead", o.ClaimGraphLookahead);
        WriteNullable(json, "speculativeRuns", o.SpeculativeRuns);
        json.WriteNumber("seed", o.Seed);
        json.WriteStartObject("duration");
        json.WriteNumber("baseMinutes", Round(o.Duration.BaseMinutes));
        json.WriteNumber("perFileMinutes", Round(o.Duration.PerFileMinutes));
        json.WriteNumber("maxCountedFiles", o.Duration.MaxCountedFiles);
        json.WriteNumber("variation", Round(o.Duration.Variation));
        json.WriteEndObject();
        json.WriteStartObject("policy");
        json.WriteString("reservation", ReservationName(o.Policy.Reservation));
        json.WriteNumber("bypassBudget", o.Policy.BypassBudget);
        json.WriteNumber("maxAttempts", o.Policy.MaxAttempts);
        json.WriteNumber("backoffBaseMilliseconds", o.Policy.BackoffBase);
        json.WriteNumber("backoffCapMilliseconds", o.Policy.BackoffCap);
        json.WriteNumber("jitterFraction", Round(o.Policy.JitterFraction));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string Limit(int? limit) => limit is { } l ? l.ToString(CultureInfo.InvariantCulture) : "unlimited";

    private static string EntryLimit(int? limit) => limit is { } l ? Invariant($"at most {l} entries, then coarser") : "exact, no entry limit";

    private static string MergeableText(ImmutableArray<string> mergeable) =>
        mergeable.IsEmpty ? "no mergeable file" : Invariant($"{mergeable.Length} mergeable globs claimed append");

    private static string FootprintText(SimulationOptions o) =>
        o.MissingClaimShare > 0
            ? Invariant($"{o.MissingClaimShare * 100:0.##}% of files missing from the declared claims ({UndeclaredName(o.UndeclaredFiles)})")
            : "declared claims exact";

    private static string SpeculationText(SimulationOptions o) => o.SpeculativeRuns switch
    {
        0 => string.Empty,
        null => ", speculation on every idle agent at conflict costs below 1",
        int runs => Invariant($", speculation on up to {runs} idle agent{(runs == 1 ? string.Empty : "s")} at conflict costs below 1"),
    };

    private static string PolicyText(PolicyOptions policy) => policy.Reservation == ReservationMode.Strict
        ? Invariant($"strict reservation, at most {policy.MaxAttempts} attempts")
        : Invariant($"backfill with bypass budget {policy.BypassBudget}, at most {policy.MaxAttempts} attempts");

    /// <summary>The name of a reservation mode in every output: <c>strict</c>, <c>backfill</c>.</summary>
    public static string ReservationName(ReservationMode mode) => mode switch
    {
        ReservationMode.Strict => "strict",
        ReservationMode.Backfill => "backfill",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown reservation mode"),
    };

    private static string CostText(double cost) =>
        cost >= 1 ? "a conflict loses all the work done on the task" : Invariant($"a conflict loses {cost * 100:0.#}% of the work done on the task");

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
