using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using ClaimGraph.Policy;

namespace ClaimGraph.Serialization;

/// <summary>
/// Reads scenario files (docs/scenario.md, schemas/scenario.schema.json): one JSON object with an optional
/// <c>"options"</c> object (<see cref="PolicyOptionsJson"/>), a <c>"steps"</c> array of non-empty arrays of events
/// (<see cref="EventJson"/>'s format), and optionally <c>"description"</c> and <c>"$schema"</c> strings. Strict, since
/// people write them: an unknown field, a missing required field, a field twice, a value of the wrong type, an unknown
/// event type, or a claim or changed path that does not parse is an error with its code, JSON path, line and column.
/// The input is read once, in place; claims are parsed once, as the policy parses them. Thread-safe.
/// </summary>
public static class ScenarioJson
{
    /// <summary>The fields of the top-level object.</summary>
    internal static readonly ImmutableArray<string> Fields = ["$schema", "description", "options", "steps"];

    /// <summary>Reads a scenario from UTF-8 bytes (a leading byte order mark is skipped).</summary>
    /// <exception cref="JsonReadException">The input is not a valid scenario; <see cref="JsonReadException.Error"/> says why and where.</exception>
    public static Scenario Read(ReadOnlySpan<byte> utf8) => Read(JsonSource.FromUtf8(utf8, "a scenario"));

    /// <summary>Reads a scenario from JSON text.</summary>
    /// <exception cref="JsonReadException">The input is not a valid scenario; <see cref="JsonReadException.Error"/> says why and where.</exception>
    public static Scenario Read(string json) => Read(JsonSource.FromText(json));

    /// <summary>Reads a scenario from UTF-8 bytes without throwing: the scenario, or the error that says why and where it is not one.</summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out Scenario? scenario, [NotNullWhen(false)] out JsonReadError? error)
    {
        try
        {
            scenario = Read(utf8);
            error = null;
            return true;
        }
        catch (JsonReadException ex)
        {
            scenario = null;
            error = ex.Error;
            return false;
        }
    }

    private static Scenario Read(JsonSource source)
    {
        var reader = new Utf8JsonReader(source.Bytes, JsonSource.ReaderOptions);
        source.Read(ref reader);
        long rootStart = reader.TokenStartIndex;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw source.Error(JsonReadErrorCode.UnexpectedValue, rootStart, "$", "a scenario is a JSON object with \"steps\" (and optionally \"options\", \"description\", \"$schema\")");
        }

        PolicyOptions options = PolicyOptions.Default;
        ImmutableArray<ImmutableArray<PolicyEvent>>? steps = null;
        string? description = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            source.Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            long nameStart = reader.TokenStartIndex;
            string name = source.GetString(ref reader);
            string path = JsonSource.Property("$", name);
            if (!seen.Add(name))
            {
                throw source.Error(JsonReadErrorCode.DuplicateField, nameStart, path, $"the field {JsonSource.Quote(name)} appears twice in one object");
            }

            if (!Fields.Contains(name))
            {
                throw source.Error(JsonReadErrorCode.UnknownField, nameStart, path, $"unknown field {JsonSource.Quote(name)}; a scenario has {JsonSource.List(Fields)}");
            }

            source.Read(ref reader);
            switch (name)
            {
                case "$schema":
                    source.Require(ref reader, JsonTokenType.String, path, "a string");
                    _ = source.GetString(ref reader);
                    break;
                case "description":
                    source.Require(ref reader, JsonTokenType.String, path, "a string");
                    description = source.GetString(ref reader);
                    break;
                case "options":
                    options = PolicyOptionsJson.ReadObject(source, ref reader, path);
                    break;
                default:
                    steps = ReadSteps(source, ref reader, path);
                    break;
            }
        }

        source.EndOfInput(ref reader);
        if (steps is null)
        {
            throw source.Error(JsonReadErrorCode.MissingField, rootStart, "$", "the field 'steps' is missing: a scenario needs \"steps\", an array of steps (each an array of events)");
        }

        return new Scenario(options, steps.Value, description);
    }

    private static ImmutableArray<ImmutableArray<PolicyEvent>> ReadSteps(JsonSource source, ref Utf8JsonReader reader, string path)
    {
        source.Require(ref reader, JsonTokenType.StartArray, path, "an array of steps, each an array of events");
        var steps = ImmutableArray.CreateBuilder<ImmutableArray<PolicyEvent>>();
        while (true)
        {
            source.Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return steps.ToImmutable();
            }

            string stepPath = JsonSource.Element(path, steps.Count);
            source.Require(ref reader, JsonTokenType.StartArray, stepPath, "an array of events (one step)");
            long stepStart = reader.TokenStartIndex;
            var events = ImmutableArray.CreateBuilder<PolicyEvent>();
            while (true)
            {
                source.Read(ref reader);
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }

                events.Add(EventReader.Read(source, ref reader, JsonSource.Element(stepPath, events.Count), scenario: true));
            }

            if (events.Count == 0)
            {
                throw source.Error(JsonReadErrorCode.InvalidValue, stepStart, stepPath, "a step has at least one event");
            }

            steps.Add(events.ToImmutable());
        }
    }
}
