using System.CommandLine;
using System.Globalization;
using System.Text;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

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
                    session.Stderr.WriteLine($"claimgraph: {replay.Scenario.File}: --run: no run '{runId}' after replaying the scenario; {known}");
                    return CliApp.ExitBadInput;
                }

                session.Stdout.Write(parsed.GetValue(json)
                    ? PolicyJson.WriteExplanation(explanation) + "\n"
                    : Text(explanation));
                return CliApp.ExitSuccess;
            });
    }

    /// <summary>The explanation for people: the run, its claims, its history (one line per entry), its change packet.</summary>
    public static string Text(RunExplanation explanation)
    {
        Run run = explanation.Run;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"run {run.Id}: work item {run.WorkItemId}, attempt {run.Attempt}, {run.Status}\n");
        text.Append("claims:");
        if (run.Claims.IsBarrier)
        {
            text.Append(" none (a barrier: writes everything)");
        }

        text.Append('\n');
        foreach (ClaimEntry entry in run.Claims.Entries)
        {
            text.Append("  ").Append(entry).Append('\n');
        }

        foreach (Glob exclusion in run.Claims.Exclusions)
        {
            text.Append("  !").Append(exclusion).Append('\n');
        }

        text.Append("history:\n");
        var history = new TextTable("time", "event", "decision", "reason", "message");
        foreach (RunHistoryEntry h in explanation.History)
        {
            history.Add(
                h.At.ToString(CultureInfo.InvariantCulture),
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
            text.Append(CultureInfo.InvariantCulture, $"  {other.RunId} (work item {other.WorkItemId}): {other.Safety}: {other.Detail}\n");
            foreach (EntryPair pair in other.Pairs)
            {
                text.Append("    ").Append(pair.Entry).Append(" / ").Append(pair.OtherEntry).Append(": ");
                text.Append(pair.Witness is not null
                    ? $"both cover {pair.Witness}{(pair.ModesConflict ? string.Empty : " (compatible modes)")}"
                    : pair.Parting is null ? "disjoint" : $"disjoint, parting at {pair.Parting}");
                text.Append('\n');
            }
        }

        return text.ToString();
    }

    private static void Indent(StringBuilder text, string block)
    {
        foreach (string line in block.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append("  ").Append(line).Append('\n');
        }
    }
}
