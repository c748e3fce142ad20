using System.CommandLine;
using System.Globalization;
using System.Text;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Cli;

/// <summary>
/// <c>claimgraph explain SCENARIO.json --run ID [--json]</c>: replays the scenario, then prints the run's decision
/// history and its change packet (every run active beside it, and why that was safe).
/// </summary>
internal static class ExplainCommand
{
    public static Command Build(CliSession session)
    {
        var run = new Option<string>("--run") { Description = "The run to explain", HelpName = "ID", Required = true };
        var json = new Option<bool>("--json") { Description = "Write the explanation as one indented JSON object" };
        return ScenarioCommand.Create(
            session,
            "explain",
            "Replay a scenario file, then print one run's decision history and change packet: the runs active beside it and why that was safe.",
            [run, json],
            (parsed, replay) =>
            {
                string runId = parsed.GetValue(run)!;
                RunExplanation? explanation = RunExplainer.Explain(replay.Graph, runId);
                if (explanation is null)
                {
                    string known = replay.Graph.Runs.IsEmpty ? "it has none" : "its runs are " + string.Join(", ", replay.Graph.Runs.Keys);
                    session.Stderr.WriteLine($"claimgraph: {Echo.Value(replay.Source.File)}: --run: no run {Echo.Quote(runId)} after replaying the scenario; {Echo.Message(known)}");
                    return CliApp.ExitBadInput;
                }

                session.Stdout.Write(parsed.GetValue(json)
                    ? PolicyJson.WriteExplanation(explanation) + "\n"
                    : Text(explanation));
                return CliApp.ExitSuccess;
            });
    }

    /// <summary>
    /// The explanation for people: the run, its claims, its history (one line per entry, times in milliseconds of the
    /// scenario's clock), its change packet. Ids, claims and messages are escaped (<see cref="Echo.Escape"/>): one
    /// value, one line.
    /// </summary>
    public static string Text(RunExplanation explanation)
    {
        Run run = explanation.Run;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"run {Echo.Escape(run.Id)}: work item {Echo.Escape(run.WorkItemId)}, attempt {run.Attempt}, {run.Status}\n");
        text.Append("claims:");
        if (run.Claims.IsBarrier)
        {
            text.Append(" none (a barrier: writes everything)");
        }

        text.Append('\n');
        foreach (ClaimEntry entry in run.Claims.Entries)
        {
            text.Append("  ").Append(Echo.Escape(entry.ToString())).Append('\n');
        }

        foreach (Glob exclusion in run.Claims.Exclusions)
        {
            text.Append("  !").Append(Echo.Escape(exclusion.ToString())).Append('\n');
        }

        AppendAssumptions(text, run.Assumptions, "assumes:\n", "  ");
        text.Append("history:\n");
        var history = new TextTable("time", "event", "decision", "reason", "message");
        foreach (RunHistoryEntry h in explanation.History)
        {
            history.Add(
                Milliseconds(h.At),
                h.EventId,
                h.Kind == DecisionKind.None ? "Note" : h.Kind.ToString(),
                h.Reason.ToString(),
                h.Message);
        }

        Indent(text, history.ToString());
        if (explanation.ChangePacket.IsEmpty)
        {
            text.Append("change packet: no run was active beside it\n");
            return text.ToString();
        }

        text.Append("change packet:\n");
        foreach (ConcurrentRun other in explanation.ChangePacket)
        {
            text.Append(Echo.Escape($"  {other.RunId} (work item {other.WorkItemId}): {other.Safety}: {other.Detail}")).Append('\n');
            foreach (EntryPair pair in other.Pairs)
            {
                string verdict = pair.Witness is not null
                    ? $"both cover {pair.Witness}{(pair.ModesConflict ? string.Empty : " (compatible modes)")}"
                    : pair.Parting is null ? "disjoint" : $"disjoint, parting at {pair.Parting}";
                text.Append("    ").Append(Echo.Escape($"{pair.Entry} / {pair.OtherEntry}: {verdict}")).Append('\n');
            }

            AppendAssumptions(text, other.Assumptions, string.Empty, "    assumed ");
        }

        return text.ToString();
    }

    /// <summary>One line per assumption (nothing when the run assumed nothing): what it expected and whether it held.</summary>
    private static void AppendAssumptions(StringBuilder text, System.Collections.Immutable.ImmutableArray<Assumption> assumptions, string header, string indent)
    {
        if (assumptions.IsEmpty)
        {
            return;
        }

        text.Append(header);
        foreach (Assumption a in assumptions)
        {
            string state = a.Holds ? "held" : $"broken by {a.BrokenByEventId}: now {a.ActualVersion}";
            string what = (a.Kind == AssumptionKind.Base ? "base " : string.Empty) + a.Subject + " at " + a.Version;
            text.Append(indent).Append(Echo.Escape($"{what} ({state})")).Append('\n');
        }
    }

    /// <summary>A time of the scenario's clock with its unit: <c>30000 ms</c>.</summary>
    private static string Milliseconds(long time) => time.ToString(CultureInfo.InvariantCulture) + " ms";

    private static void Indent(StringBuilder text, string block)
    {
        foreach (string line in block.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append("  ").Append(line).Append('\n');
        }
    }
}
