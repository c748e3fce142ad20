using System.Collections.Immutable;
using System.Text.Json;
using ClaimGraph.Policy;

namespace ClaimGraph.Serialization;

/// <summary>
/// Reads policy events from JSON, as <see cref="PolicyJson.WriteEvent"/> writes them: one object per event with a
/// <c>"type"</c> discriminator such as <c>"runRequested"</c> anywhere in it (so JSON that was reordered on the way, a
/// <c>jsonb</c> column or a hand-written file, still reads), camelCase fields, no unknown field, no field twice, a
/// non-empty <c>"eventId"</c>. Anything <see cref="PolicyJson.WriteEvent"/> wrote reads back, including events the
/// policy would reject (a <c>null</c> id is the policy's <c>InvalidEvent</c> to give). Each input is read once, in
/// place; every member is thread-safe and linear in the input's length.
/// </summary>
public static class EventJson
{
    /// <summary>Reads one event from JSON text.</summary>
    /// <exception cref="JsonReadException">
    /// The JSON is malformed or not an event; <see cref="JsonReadException.Error"/> gives the code, the JSON path of
    /// the value at fault (e.g. <c>$.type</c>) and its line and column.
    /// </exception>
    public static PolicyEvent Read(string json) => Read(JsonSource.FromText(json));

    /// <summary>Reads one event from UTF-8 bytes (a leading byte order mark is skipped).</summary>
    /// <exception cref="JsonReadException">As for <see cref="Read(string)"/>; bytes that are not UTF-8 are <see cref="JsonReadErrorCode.NotUtf8"/>.</exception>
    public static PolicyEvent Read(ReadOnlySpan<byte> utf8) => Read(JsonSource.FromUtf8(utf8, "an event"));

    /// <summary>Reads a JSON array of events, each as by <see cref="Read(string)"/>.</summary>
    /// <exception cref="JsonReadException">As for <see cref="Read(string)"/>, with the path of the bad element (e.g. <c>$[3].claims</c>).</exception>
    public static ImmutableArray<PolicyEvent> ReadArray(string json) => ReadArray(JsonSource.FromText(json));

    /// <summary>Reads a JSON array of events from UTF-8 bytes (a leading byte order mark is skipped).</summary>
    /// <exception cref="JsonReadException">As for <see cref="ReadArray(string)"/>.</exception>
    public static ImmutableArray<PolicyEvent> ReadArray(ReadOnlySpan<byte> utf8) => ReadArray(JsonSource.FromUtf8(utf8, "a list of events"));

    private static PolicyEvent Read(JsonSource source)
    {
        var reader = new Utf8JsonReader(source.Bytes, JsonSource.ReaderOptions);
        source.Read(ref reader);
        PolicyEvent e = EventReader.Read(source, ref reader, "$", scenario: false);
        source.EndOfInput(ref reader);
        return e;
    }

    private static ImmutableArray<PolicyEvent> ReadArray(JsonSource source)
    {
        var reader = new Utf8JsonReader(source.Bytes, JsonSource.ReaderOptions);
        source.Read(ref reader);
        source.Require(ref reader, JsonTokenType.StartArray, "$", "an array of events");
        var events = ImmutableArray.CreateBuilder<PolicyEvent>();
        while (true)
        {
            source.Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            events.Add(EventReader.Read(source, ref reader, JsonSource.Element("$", events.Count), scenario: false));
        }

        source.EndOfInput(ref reader);
        return events.ToImmutable();
    }
}
