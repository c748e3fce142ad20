using System.CommandLine;
using System.Globalization;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Cli;

/// <summary>
/// <c>claimgraph decide SCENARIO.json [--json]</c>: replays the scenario from an empty graph and prints every
/// decision, step by step, as a table or (with <c>--json</c>) as JSON Lines, one decision per line.
/// </summary>
internal static class DecideCommand
{
    public static Command Build(CliSession session)
    {
        var json = new Option<bool>("--json") { Description = $"Write JSON Lines: one decision per line, with its step number (fields: {Documentation.Scenario})" };
        return ScenarioCommand.Create(
            session,
            "decide",
            "Replay a scenario file from an empty graph and print the policy's decisions, step by step: kind, run, reason code and evidence.",
            [json],
            (parsed, replay) =>
            {
                session.Stdout.Write(parsed.GetValue(json) ? JsonLines(replay) : Table(replay));
                return CliApp.ExitSuccess;
            });
    }

    /// <summary>Every decision as one compact JSON object per line: <c>"step"</c>, then the decision as <see cref="PolicyJson"/> writes it.</summary>
    public static string JsonLines(ScenarioReplay replay)
    {
        var text = new System.Text.StringBuilder();
        foreach (ScenarioStep step in replay.Steps)
        {
            foreach (Decision decision in step.Decisions)
            {
                text.Append(RelaxedJson.Line(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("step", step.Number);
                    PolicyJson.WriteDecisionProperties(w, decision);
                    w.WriteEndObject();
                }));
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The decisions as a table: step, event, decision, run, reason, evidence (an Admit on a named base names it and its
    /// revision, see <see cref="Decision.Evidence"/>). A hold gets one row per reason it names
    /// (the later ones with only the reason and evidence filled in), and a last row <c>...</c> counting the blockers it
    /// does not name.
    /// </summary>
    public static string Table(ScenarioReplay replay)
    {
        var table = new TextTable("step", "event", "decision", "run", "reason", "evidence");
        foreach (ScenarioStep step in replay.Steps)
        {
            foreach (Decision decision in step.Decisions)
            {
                string number = step.Number.ToString(CultureInfo.InvariantCulture);
                string run = decision.RunId ?? "-";
                if (decision is HoldDecision hold)
                {
                    for (int i = 0; i < hold.Reasons.Length; i++)
                    {
                        HoldReason reason = hold.Reasons[i];
                        table.Add(
                            i == 0 ? number : string.Empty,
                            i == 0 ? decision.EventId : string.Empty,
                            i == 0 ? decision.Kind.ToString() : string.Empty,
                            i == 0 ? run : string.Empty,
                            reason.Code.ToString(),
                            reason.Evidence);
                    }

                    if (hold.MoreBlockers > 0)
                    {
                        table.Add(string.Empty, string.Empty, string.Empty, string.Empty, "...", MoreBlockers(hold.MoreBlockers));
                    }

                    continue;
                }

                table.Add(number, decision.EventId, decision.Kind.ToString(), run, decision.Reason.ToString(), decision.Evidence);
            }
        }

        return table.ToString();
    }

    private static string MoreBlockers(int count) =>
        Invariant($"{count} more {(count == 1 ? "blocker" : "blockers")} (all of them: HoldBlockers.Of)");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
