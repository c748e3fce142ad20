using System.Text.Json;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Postgres;

/// <summary>
/// One row of the event log: an event as it was appended, with the decisions the policy made for it. Immutable.
/// </summary>
/// <param name="StreamId">The stream.</param>
/// <param name="Version">The event's stream version: 1 for the first event, then 2, 3, … without gaps.</param>
/// <param name="EventId">The event's id, unique in the stream.</param>
/// <param name="Format">The row format (<see cref="PostgresClaimLog.EventFormat"/> when written by this version).</param>
/// <param name="EventJson">The event as written by <see cref="PolicyJson.WriteEvent"/>.</param>
/// <param name="DecisionsJson">The decisions, a JSON array of objects as written by <see cref="PolicyJson.WriteDecision(System.Text.Json.Utf8JsonWriter, Decision)"/> with default writer options (<c>[]</c> for none).</param>
/// <param name="AppendedAt">The database's clock when the appending transaction started (for the record; the policy never reads it).</param>
/// <param name="Chain">
/// The log's digest at this version, in lower-case hex: SHA-256 over the digest at the version before (64 zeros before
/// the first event) and this row's format, event id, event JSON and decisions JSON. It identifies the whole history up
/// to this row, so a replica can tell the log it appended to from one that lost its events and refilled the versions.
/// </param>
public sealed record LoggedEvent(string StreamId, long Version, string EventId, int Format, string EventJson, string DecisionsJson, DateTimeOffset AppendedAt, string Chain)
{
    /// <summary>Which append call logged the row (for telling a group commit's submitters apart), or null for rows logged before the log kept it.</summary>
    internal Guid? Submission { get; init; }

    /// <summary>Parses <see cref="EventJson"/>.</summary>
    /// <exception cref="ClaimLogException">
    /// <see cref="ClaimLogErrorCode.UnknownEventFormat"/> for a format this version does not read;
    /// <see cref="ClaimLogErrorCode.MalformedEvent"/> when the JSON does not parse or names another event id than the row.
    /// </exception>
    public PolicyEvent ReadEvent()
    {
        if (Format != PostgresClaimLog.EventFormat)
        {
            throw new ClaimLogException(
                ClaimLogErrorCode.UnknownEventFormat,
                $"event '{EventId}' has row format {Format}; this version reads format {PostgresClaimLog.EventFormat}",
                StreamId,
                Version,
                "upgrade ClaimGraph.Postgres on this replica",
                null);
        }

        PolicyEvent e;
        try
        {
            e = ClaimGraph.Serialization.EventJson.Read(EventJson);
        }
        catch (JsonReadException ex)
        {
            throw new ClaimLogException(ClaimLogErrorCode.MalformedEvent, $"event '{EventId}' does not parse: {ex.Message}", StreamId, Version, null, ex);
        }

        if (!string.Equals(e.EventId, EventId, StringComparison.Ordinal))
        {
            throw new ClaimLogException(
                ClaimLogErrorCode.MalformedEvent,
                $"the row's event id '{EventId}' differs from the id '{e.EventId}' in its JSON",
                StreamId,
                Version,
                null,
                null);
        }

        return e;
    }

    /// <summary>Whether <see cref="DecisionsJson"/> is a well-formed JSON array (of anything).</summary>
    public bool HasWellFormedDecisions()
    {
        try
        {
            using var doc = JsonDocument.Parse(DecisionsJson);
            return doc.RootElement.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
