using System.Collections.Immutable;
using System.Text;

namespace ClaimGraph.Graph;

/// <summary>
/// One decision in a run's history: the event that caused it, when, what was decided and why, and the evidence
/// (related runs, a witness path). Immutable; equality is structural.
/// </summary>
public sealed class RunHistoryEntry : IEquatable<RunHistoryEntry>
{
    /// <summary>Creates an entry.</summary>
    /// <param name="eventId">The id of the event that led to the decision.</param>
    /// <param name="at">When, in the orchestrator's milliseconds.</param>
    /// <param name="kind">What was decided.</param>
    /// <param name="reason">Why.</param>
    /// <param name="message">A sentence built from the evidence.</param>
    /// <exception cref="ArgumentNullException"><paramref name="eventId"/> or <paramref name="message"/> is null.</exception>
    public RunHistoryEntry(string eventId, long at, DecisionKind kind, ReasonCode reason, string message)
    {
        EventId = eventId;
        At = at;
        Kind = kind;
        Reason = reason;
        Message = message;
    }

    /// <summary>The id of the event that led to the decision.</summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public string EventId
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(EventId));
    }

    /// <summary>When the decision was made, in the orchestrator's milliseconds.</summary>
    public long At { get; init; }

    /// <summary>What was decided.</summary>
    public DecisionKind Kind { get; init; }

    /// <summary>Why.</summary>
    public ReasonCode Reason { get; init; }

    /// <summary>A sentence built from the evidence.</summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public string Message
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Message));
    }

    /// <summary>The runs the decision involves (e.g. the blocking run), in a meaningful order. Empty by default; never default.</summary>
    /// <exception cref="ArgumentNullException">Set to an array containing null.</exception>
    public ImmutableArray<string> RelatedRunIds
    {
        get;
        init => field = Structural.Normalize(value, nameof(RelatedRunIds));
    } = [];

    /// <summary>A concrete path that shows the conflict or violation, or <see langword="null"/>.</summary>
    public string? WitnessPath { get; init; }

    /// <summary>
    /// The number of events the graph had processed before the event that produced this entry: a total order of
    /// events, used to tell which runs were active at the same time. Default 0.
    /// </summary>
    public long Sequence { get; init; }

    /// <summary>Structural equality.</summary>
    public bool Equals(RunHistoryEntry? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (string.Equals(EventId, other.EventId, StringComparison.Ordinal)
                && At == other.At
                && Kind == other.Kind
                && Reason == other.Reason
                && string.Equals(Message, other.Message, StringComparison.Ordinal)
                && Structural.ArrayEqual(RelatedRunIds, other.RelatedRunIds)
                && string.Equals(WitnessPath, other.WitnessPath, StringComparison.Ordinal)
                && Sequence == other.Sequence));

    /// <summary>A hash consistent with <see cref="Equals(RunHistoryEntry?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(
        StringComparer.Ordinal.GetHashCode(EventId),
        At,
        Kind,
        Reason,
        StringComparer.Ordinal.GetHashCode(Message),
        Structural.ArrayHash(RelatedRunIds),
        WitnessPath is null ? 0 : StringComparer.Ordinal.GetHashCode(WitnessPath),
        Sequence);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as RunHistoryEntry);

    /// <summary>Structural equality (see <see cref="Equals(RunHistoryEntry?)"/>).</summary>
    public static bool operator ==(RunHistoryEntry? left, RunHistoryEntry? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Structural inequality (see <see cref="Equals(RunHistoryEntry?)"/>).</summary>
    public static bool operator !=(RunHistoryEntry? left, RunHistoryEntry? right) => !(left == right);

    /// <summary>Every property, as <c>RunHistoryEntry { Name = value, … }</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder("RunHistoryEntry { ");
        PrintMembers(builder);
        return builder.Append(" }").ToString();
    }

    private void PrintMembers(StringBuilder builder)
    {
        builder.Append("EventId = ").Append(EventId)
            .Append(", At = ").Append(At)
            .Append(", Kind = ").Append(Kind)
            .Append(", Reason = ").Append(Reason)
            .Append(", Message = ").Append(Message)
            .Append(", RelatedRunIds = [").AppendJoin(", ", RelatedRunIds).Append(']')
            .Append(", WitnessPath = ").Append(WitnessPath)
            .Append(", Sequence = ").Append(Sequence);
    }
}
