using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Postgres.Appending;
using ClaimGraph.Serialization;

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
    /// Applies one logged event to <paramref name="state"/> (the state at the row's version − 1): checks that the row
    /// follows it (version and digest) and, when asked, that the policy makes the logged decisions again.
    /// </summary>
    /// <param name="state">The state before the row.</param>
    /// <param name="row">The row.</param>
    /// <param name="options">The policy's options.</param>
    /// <param name="verify">Whether to check the logged decisions.</param>
    /// <param name="decisions">The decisions the policy made for the row.</param>
    /// <exception cref="ClaimLogException">The row is out of sequence, does not continue the state's history, is malformed, of an unknown format, or its decisions diverge.</exception>
    public static CoordinatorState Apply(CoordinatorState state, LoggedEvent row, PolicyOptions options, bool verify, out ImmutableArray<Decision> decisions)
    {
        EnsureNext(row, state.Version);
        string chain = LogChain.Next(state.Chain, row.Format, row.EventId, row.EventJson, row.DecisionsJson);
        if (!string.Equals(chain, row.Chain, StringComparison.Ordinal))
        {
            throw Diverged(
                row.StreamId,
                row.Version,
                $"the logged event '{row.EventId}' does not continue this history (its digest {Short(row.Chain)} does not follow from {Short(state.Chain)} at version {state.Version})");
        }

        PolicyEvent e = row.ReadEvent();
        PolicyStepResult result = ClaimPolicy.Step(state.Graph, [e], options);
        decisions = result.Decisions;
        if (verify)
        {
            string replayed = WriteDecisions(result.Decisions);
            if (!string.Equals(replayed, row.DecisionsJson, StringComparison.Ordinal))
            {
                throw row.HasWellFormedDecisions()
                    ? new ClaimLogException(
                        ClaimLogErrorCode.DecisionsDiverged,
                        $"replaying event '{row.EventId}' gives other decisions than the log holds (replayed: {Shorten(replayed)}; logged: {Shorten(row.DecisionsJson)})",
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

        return new CoordinatorState(result.Graph, row.Version, chain);
    }

    /// <summary>Applies <paramref name="rows"/> (the tail after <paramref name="state"/>) in order.</summary>
    public static CoordinatorState ApplyAll(CoordinatorState state, IEnumerable<LoggedEvent> rows, PolicyOptions options, bool verify)
    {
        foreach (LoggedEvent row in rows)
        {
            state = Apply(state, row, options, verify, out _);
        }

        return state;
    }

    /// <summary>
    /// Checks that the stream's head (read before the tail) is not behind <paramref name="seen"/> and, when the tail
    /// ended at the head, that the head's digest is the state's.
    /// </summary>
    /// <exception cref="ClaimLogException"><see cref="ClaimLogErrorCode.StreamDiverged"/>.</exception>
    public static void EnsureHead(string streamId, StreamHead head, long seen, CoordinatorState after)
    {
        if (head.Version < seen)
        {
            throw Diverged(
                streamId,
                head.Version,
                $"the stream's head is at version {head.Version}, behind version {seen} that this replica applied: the log lost events this replica saw (a lost commit, a restore, a failover)");
        }

        if (head.Version == after.Version && !string.Equals(head.Chain, after.Chain, StringComparison.Ordinal))
        {
            throw Diverged(
                streamId,
                head.Version,
                $"the stream's head at version {head.Version} has digest {Short(head.Chain)}, but this replica's history there has {Short(after.Chain)}: the log lost events this replica saw and others were appended in their place");
        }
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

    /// <summary>The <see cref="ClaimLogErrorCode.StreamDiverged"/> error.</summary>
    public static ClaimLogException Diverged(string streamId, long version, string detail) =>
        new(
            ClaimLogErrorCode.StreamDiverged,
            detail,
            streamId,
            version,
            "nothing was appended; reload the replica from the log (PostgresCoordinator.ReloadAsync, or open it again) and stop the runs it admitted that the log no longer has active",
            null);

    private static string Short(string chain) => chain.Length > 12 ? chain[..12] : chain;

    private static string Shorten(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "…");
}

/// <summary>A stream's head row: the last event's version, the log's digest there, and the stream's policy options fingerprint (null when not read).</summary>
internal readonly record struct StreamHead(long Version, string Chain, string? OptionsFingerprint = null)
{
    public static StreamHead Empty { get; } = new(0, LogChain.Genesis);
}
