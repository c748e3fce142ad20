using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Postgres;

/// <summary>Replays logged events through the policy and writes decisions the way the log stores them.</summary>
internal static class Replay
{
    /// <summary>The decisions as the log stores them: a JSON array of <see cref="PolicyJson.WriteDecision(Utf8JsonWriter, Decision)"/> objects.</summary>
    public static string WriteDecisions(ImmutableArray<Decision> decisions)
    {
        if (decisions.IsEmpty)
        {
            return "[]";
        }

        var buffer = new ArrayBufferWriter<byte>(256 * decisions.Length);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (Decision d in decisions)
            {
                PolicyJson.WriteDecision(w, d);
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Applies one logged event to <paramref name="graph"/> (the graph at the row's version − 1) and, when asked,
    /// checks that the policy makes the logged decisions again.
    /// </summary>
    /// <exception cref="ClaimLogException">The row is malformed, of an unknown format, or its decisions diverge.</exception>
    public static WorkGraph Apply(WorkGraph graph, LoggedEvent row, PolicyOptions options, bool verify)
    {
        PolicyEvent e = row.ReadEvent();
        PolicyStepResult result = ClaimPolicy.Step(graph, [e], options);
        if (verify)
        {
            string decisions = WriteDecisions(result.Decisions);
            if (!string.Equals(decisions, row.DecisionsJson, StringComparison.Ordinal))
            {
                throw row.HasWellFormedDecisions()
                    ? new ClaimLogException(
                        ClaimLogErrorCode.DecisionsDiverged,
                        $"replaying event '{row.EventId}' gives other decisions than the log holds (replayed: {Shorten(decisions)}; logged: {Shorten(row.DecisionsJson)})",
                        row.StreamId,
                        row.Version,
                        "every replica must run the same ClaimGraph version with equal policy options; set VerifyReplayedDecisions = false only to read such a log on purpose",
                        null)
                    : new ClaimLogException(
                        ClaimLogErrorCode.MalformedEvent,
                        $"the decisions of event '{row.EventId}' are not a JSON array",
                        row.StreamId,
                        row.Version,
                        null,
                        null);
            }
        }

        return result.Graph;
    }

    /// <summary>Checks that <paramref name="row"/> is the event expected next after <paramref name="previous"/>.</summary>
    /// <exception cref="ClaimLogException"><see cref="ClaimLogErrorCode.VersionGap"/>.</exception>
    public static void EnsureNext(LoggedEvent row, long previous)
    {
        if (row.Version != previous + 1)
        {
            throw new ClaimLogException(
                ClaimLogErrorCode.VersionGap,
                $"expected the event at version {previous + 1}, found version {row.Version}",
                row.StreamId,
                previous + 1,
                "events are never deleted; restore the missing rows from a backup",
                null);
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "…");
}
