using System.Collections.Immutable;
using System.Text.Json;
using ClaimGraph.Policy;

namespace ClaimGraph.Serialization;

/// <summary>
/// Reads <see cref="PolicyOptions"/> from a JSON object of camelCase fields (<c>{"maxAttempts": 5, "leaseDuration":
/// null}</c>), as in a scenario's <c>"options"</c>: absent fields keep their defaults, times are whole milliseconds,
/// <c>"reservation"</c> is <c>"strict"</c> or <c>"backfill"</c>, <c>"maxActivePerLabel"</c> maps labels to limits.
/// The options read are valid (<see cref="PolicyOptions.Validate"/>): a problem is an error at the field it names.
/// Thread-safe.
/// </summary>
public static class PolicyOptionsJson
{
    /// <summary>The fields: the init properties of <see cref="PolicyOptions"/>, camelCase.</summary>
    internal static readonly ImmutableArray<string> Fields =
        ["maxActiveRuns", "maxActivePerLabel", "backoffBase", "backoffCap", "jitterFraction", "maxAttempts", "leaseDuration", "reservation", "bypassBudget"];

    /// <summary>Reads options from JSON text.</summary>
    /// <exception cref="JsonReadException">
    /// The JSON is malformed, not an object, has an unknown field or a value of the wrong kind, or the options are not
    /// valid (<see cref="JsonReadErrorCode.InvalidOptions"/>, at the field at fault); <see cref="JsonReadException.Error"/> says where.
    /// </exception>
    public static PolicyOptions Read(string json) => Read(JsonSource.FromText(json));

    /// <summary>Reads options from UTF-8 bytes (a leading byte order mark is skipped).</summary>
    /// <exception cref="JsonReadException">As for <see cref="Read(string)"/>.</exception>
    public static PolicyOptions Read(ReadOnlySpan<byte> utf8) => Read(JsonSource.FromUtf8(utf8, "a set of options"));

    private static PolicyOptions Read(JsonSource source)
    {
        var reader = new Utf8JsonReader(source.Bytes, JsonSource.ReaderOptions);
        source.Read(ref reader);
        PolicyOptions options = ReadObject(source, ref reader, "$");
        source.EndOfInput(ref reader);
        return options;
    }

    /// <summary>Reads the options object the reader is on (at JSON path <paramref name="path"/>); the reader ends on its last token.</summary>
    internal static PolicyOptions ReadObject(JsonSource source, ref Utf8JsonReader reader, string path)
    {
        source.Require(ref reader, JsonTokenType.StartObject, path, $"an object with any of {JsonSource.List(Fields)}");
        long objectStart = reader.TokenStartIndex;
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        var labelStarts = new Dictionary<string, long>(StringComparer.Ordinal);
        PolicyOptions options = PolicyOptions.Default;
        while (true)
        {
            source.Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            string name = Name(source, ref reader, path, seen, out string fieldPath);
            source.Read(ref reader);
            seen[name] = reader.TokenStartIndex;
            bool isNull = reader.TokenType == JsonTokenType.Null;
            options = name switch
            {
                "maxActiveRuns" => options with { MaxActiveRuns = isNull ? null : Int(source, ref reader, fieldPath) },
                "maxActivePerLabel" => options with { MaxActivePerLabel = Limits(source, ref reader, fieldPath, labelStarts) },
                "backoffBase" => options with { BackoffBase = Long(source, ref reader, fieldPath) },
                "backoffCap" => options with { BackoffCap = Long(source, ref reader, fieldPath) },
                "jitterFraction" => options with { JitterFraction = Double(source, ref reader, fieldPath) },
                "maxAttempts" => options with { MaxAttempts = Int(source, ref reader, fieldPath) },
                "leaseDuration" => options with { LeaseDuration = isNull ? null : Long(source, ref reader, fieldPath) },
                "reservation" => options with { Reservation = Reservation(source, ref reader, fieldPath) },
                "bypassBudget" => options with { BypassBudget = Int(source, ref reader, fieldPath) },
                _ => options, // Name() refused every other name.
            };
        }

        ImmutableArray<PolicyOptionsProblem> problems = options.Validate();
        if (!problems.IsEmpty)
        {
            // Point at the field the first problem names (at a label's limit for a per-label problem), or at the
            // object when that field was not given (its default clashes with a field that was).
            PolicyOptionsProblem first = problems[0];
            string field = char.ToLowerInvariant(first.Member[0]) + first.Member[1..];
            string at = path;
            long offset = objectStart;
            if (seen.TryGetValue(field, out long fieldStart))
            {
                (at, offset) = (JsonSource.Property(path, field), fieldStart);
                if (first.Key is { } key && labelStarts.TryGetValue(key, out long labelStart))
                {
                    (at, offset) = (JsonSource.Property(at, key), labelStart);
                }
            }

            throw source.Error(JsonReadErrorCode.InvalidOptions, offset, at, "invalid options: " + string.Join(" ", problems.Select(p => p.Message)));
        }

        return options;
    }

    /// <summary>The property name the reader is on; the same name twice in one object is an error.</summary>
    private static string Name(JsonSource source, ref Utf8JsonReader reader, string path, Dictionary<string, long> seen, out string fieldPath)
    {
        long nameStart = reader.TokenStartIndex;
        string name = source.GetString(ref reader);
        fieldPath = JsonSource.Property(path, name);
        if (seen.ContainsKey(name))
        {
            throw source.Error(JsonReadErrorCode.DuplicateField, nameStart, fieldPath, $"the field {JsonSource.Quote(name)} appears twice in one object");
        }

        if (!Fields.Contains(name))
        {
            throw source.Error(JsonReadErrorCode.UnknownField, nameStart, fieldPath, $"unknown option {JsonSource.Quote(name)}; the options are {JsonSource.List(Fields)}");
        }

        return name;
    }

    private static ImmutableSortedDictionary<string, int> Limits(JsonSource source, ref Utf8JsonReader reader, string path, Dictionary<string, long> starts)
    {
        source.Require(ref reader, JsonTokenType.StartObject, path, "an object mapping labels to limits");
        var limits = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        while (true)
        {
            source.Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return limits.ToImmutable();
            }

            long nameStart = reader.TokenStartIndex;
            string label = source.GetString(ref reader);
            string labelPath = JsonSource.Property(path, label);
            if (starts.ContainsKey(label))
            {
                throw source.Error(JsonReadErrorCode.DuplicateField, nameStart, labelPath, $"the field {JsonSource.Quote(label)} appears twice in one object");
            }

            source.Read(ref reader);
            starts[label] = reader.TokenStartIndex;
            limits[label] = Int(source, ref reader, labelPath);
        }
    }

    private static ReservationMode Reservation(JsonSource source, ref Utf8JsonReader reader, string path)
    {
        source.Require(ref reader, JsonTokenType.String, path, "\"strict\" or \"backfill\"");
        string value = source.GetString(ref reader);
        return value switch
        {
            "strict" => ReservationMode.Strict,
            "backfill" => ReservationMode.Backfill,
            _ => throw source.Error(JsonReadErrorCode.InvalidValue, reader.TokenStartIndex, path, $"unknown reservation {JsonSource.Quote(value)}; use \"strict\" or \"backfill\""),
        };
    }

    private static int Int(JsonSource source, ref Utf8JsonReader reader, string path) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int n)
            ? n
            : throw source.Error(JsonReadErrorCode.UnexpectedValue, reader.TokenStartIndex, path, "must be a whole number (32-bit)");

    private static long Long(JsonSource source, ref Utf8JsonReader reader, string path) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long n)
            ? n
            : throw source.Error(JsonReadErrorCode.UnexpectedValue, reader.TokenStartIndex, path, "must be a whole number of milliseconds");

    private static double Double(JsonSource source, ref Utf8JsonReader reader, string path) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double d)
            ? d
            : throw source.Error(JsonReadErrorCode.UnexpectedValue, reader.TokenStartIndex, path, "must be a number");
}
