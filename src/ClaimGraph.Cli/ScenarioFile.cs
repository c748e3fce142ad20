using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Policy;

namespace ClaimGraph.Cli;

/// <summary>A scenario: the policy options and the steps, each a batch of events given to one <c>ClaimPolicy.Step</c>.</summary>
/// <param name="File">The file it was read from, as named on the command line.</param>
/// <param name="Options">The policy options (the defaults where the file says nothing).</param>
/// <param name="Steps">The steps, in order.</param>
internal sealed record Scenario(string File, PolicyOptions Options, ImmutableArray<ImmutableArray<PolicyEvent>> Steps);

/// <summary>
/// Reads scenario files (<c>docs/scenario.md</c>, <c>schemas/scenario.schema.json</c>): one JSON object with an
/// optional <c>"options"</c> object and a <c>"steps"</c> array of non-empty arrays of events. Strict: an unknown
/// field, a missing required field, a value of the wrong type, an unknown event type or a claim or path that does not
/// parse is an error naming the file, line, column and JSON path. Events are read by <see cref="PolicyJson"/>.
/// </summary>
internal static class ScenarioFile
{
    /// <summary>The fields of the top-level object.</summary>
    public static readonly ImmutableArray<string> Fields = ["$schema", "description", "options", "steps"];

    /// <summary>The fields of <c>"options"</c>: the init properties of <see cref="PolicyOptions"/>, camelCase.</summary>
    public static readonly ImmutableArray<string> OptionFields =
        ["maxActiveRuns", "maxActivePerLabel", "backoffBase", "backoffCap", "jitterFraction", "maxAttempts", "leaseDuration", "reservation", "bypassBudget"];

    /// <summary>Every event type: its <c>"type"</c> name, its CLR type, its fields and the fields it requires.</summary>
    public static readonly ImmutableSortedDictionary<string, EventShape> EventTypes = DiscoverEventTypes();

    /// <summary>Reads and checks the scenario in <paramref name="file"/>.</summary>
    /// <exception cref="ScenarioException">The file cannot be read or is not a valid scenario.</exception>
    public static Scenario Load(string file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ScenarioException(file, null, null, null, $"cannot read the scenario file: {Echo.Message(ex.Message)}");
        }

        return Parse(file, bytes);
    }

    /// <summary>Checks a scenario given as UTF-8 bytes (a leading byte order mark is skipped); <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="ScenarioException">It is not a valid scenario.</exception>
    public static Scenario Parse(string file, byte[] bytes)
    {
        bytes = Utf8Input.WithoutBom(bytes);
        int notUtf8 = Utf8Input.FirstInvalid(bytes);
        if (notUtf8 >= 0)
        {
            (int line, int column) = Utf8Input.Locate(bytes, notUtf8);
            throw new ScenarioException(file, line, column, null, $"not valid UTF-8 (byte 0x{bytes[notUtf8]:X2}): a scenario is UTF-8 text");
        }

        JsonPositions positions = JsonPositions.Build(file, bytes);
        using JsonDocument document = JsonDocument.Parse(bytes);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw positions.Error("$", "a scenario is a JSON object with \"steps\" (and optionally \"options\", \"description\", \"$schema\")");
        }

        PolicyOptions options = PolicyOptions.Default;
        ImmutableArray<ImmutableArray<PolicyEvent>>? steps = null;
        foreach (JsonProperty field in root.EnumerateObject())
        {
            string path = JsonPositions.Property("$", field.Name);
            switch (field.Name)
            {
                case "$schema":
                case "description":
                    RequireKind(positions, path, field.Value, JsonValueKind.String, "a string");
                    break;
                case "options":
                    options = ReadOptions(positions, path, field.Value);
                    break;
                case "steps":
                    steps = ReadSteps(positions, path, field.Value);
                    break;
                default:
                    throw positions.Error(path, $"unknown field {Echo.Quote(field.Name)}; a scenario has {List(Fields)}", atName: true);
            }
        }

        if (steps is null)
        {
            throw positions.Error("$", "the field 'steps' is missing: a scenario needs \"steps\", an array of steps (each an array of events)");
        }

        return new Scenario(file, options, steps.Value);
    }

    private static ImmutableArray<ImmutableArray<PolicyEvent>> ReadSteps(JsonPositions positions, string path, JsonElement value)
    {
        RequireKind(positions, path, value, JsonValueKind.Array, "an array of steps, each an array of events");
        var steps = ImmutableArray.CreateBuilder<ImmutableArray<PolicyEvent>>();
        int i = 0;
        foreach (JsonElement step in value.EnumerateArray())
        {
            string stepPath = JsonPositions.Element(path, i++);
            RequireKind(positions, stepPath, step, JsonValueKind.Array, "an array of events (one step)");
            if (step.GetArrayLength() == 0)
            {
                throw positions.Error(stepPath, "a step has at least one event");
            }

            var events = ImmutableArray.CreateBuilder<PolicyEvent>();
            int j = 0;
            foreach (JsonElement e in step.EnumerateArray())
            {
                events.Add(ReadEvent(positions, JsonPositions.Element(stepPath, j++), e));
            }

            steps.Add(events.ToImmutable());
        }

        return steps.ToImmutable();
    }

    private static PolicyEvent ReadEvent(JsonPositions positions, string path, JsonElement value)
    {
        RequireKind(positions, path, value, JsonValueKind.Object, "an event: a JSON object with \"type\", \"eventId\", \"time\" and the type's fields");
        if (!value.TryGetProperty("type", out JsonElement typeValue))
        {
            throw positions.Error(path, $"the field 'type' is missing; an event's type is one of {List(EventTypes.Keys)}");
        }

        string typePath = JsonPositions.Property(path, "type");
        RequireKind(positions, typePath, typeValue, JsonValueKind.String, "a string");
        string type = typeValue.GetString()!;
        if (!EventTypes.TryGetValue(type, out EventShape? shape))
        {
            throw positions.Error(typePath, $"unknown event type {Echo.Quote(type)}; expected one of {List(EventTypes.Keys)}");
        }

        foreach (JsonProperty field in value.EnumerateObject())
        {
            if (field.Name == "type")
            {
                continue;
            }

            string fieldPath = JsonPositions.Property(path, field.Name);
            if (!shape.FieldTypes.TryGetValue(field.Name, out FieldType? fieldType))
            {
                throw positions.Error(fieldPath, $"unknown field {Echo.Quote(field.Name)} for a '{type}' event; its fields are {List(shape.Fields)}", atName: true);
            }

            CheckValue(positions, fieldPath, fieldType, field.Value);
        }

        foreach (string required in shape.Required)
        {
            if (!value.TryGetProperty(required, out JsonElement field))
            {
                throw positions.Error(path, $"the field '{required}' is missing; a '{type}' event needs {List(shape.Required)}");
            }

            if (field.ValueKind == JsonValueKind.Null)
            {
                throw positions.Error(JsonPositions.Property(path, required), $"the field '{required}' of a '{type}' event must not be null");
            }
        }

        PolicyEvent e;
        try
        {
            e = PolicyJson.ReadEvent(value.GetRawText());
        }
        catch (PolicyJsonException ex)
        {
            // The event is read on its own, so its positions are not the file's: locate by path.
            string inner = ex.JsonPath is { Length: > 1 } p && p[0] == '$' ? path + p[1..] : path;
            throw positions.Error(inner, JsonPositions.WithoutPosition(ex.Message));
        }

        CheckPatterns(positions, path, e);
        return e;
    }

    /// <summary>Claims and changed paths are checked here, so that a typo is an error at its line, not a <c>Reject</c>.</summary>
    private static void CheckPatterns(JsonPositions positions, string path, PolicyEvent e)
    {
        switch (e)
        {
            case RunRequested r:
                CheckClaims(positions, JsonPositions.Property(path, "claims"), r.Claims, r.IgnoreCase);
                break;
            case ClaimsAmended a:
                CheckClaims(positions, JsonPositions.Property(path, "additionalClaims"), a.AdditionalClaims, ignoreCase: false);
                break;
            case RunSucceeded s:
                CheckPaths(positions, JsonPositions.Property(path, "changedPaths"), s.ChangedPaths);
                break;
            case BaseAdvanced b:
                CheckPaths(positions, JsonPositions.Property(path, "changedPaths"), b.ChangedPaths);
                break;
        }
    }

    /// <summary>
    /// Each string is one claim: not blank, not a comment, no line break (the policy reads the strings as the lines of
    /// one claim-set text, where a blank or comment line is nothing, so that <c>[""]</c> would silently be a barrier).
    /// Then the strings are checked together, as the policy reads them, so that an exclusion narrows the entries beside
    /// it; an error points at the string it is in.
    /// </summary>
    private static void CheckClaims(JsonPositions positions, string path, ImmutableArray<string> lines, bool ignoreCase)
    {
        for (int i = 0; i < lines.Length; i++)
        {
            string at = JsonPositions.Element(path, i);
            string claim = lines[i].Trim(' ', '\t');
            if (lines[i].Contains('\n', StringComparison.Ordinal) || lines[i].Contains('\r', StringComparison.Ordinal))
            {
                throw positions.Error(at, "a claim is one line: it must not contain a line break");
            }

            if (claim.Length == 0)
            {
                throw positions.Error(at, "a claim is empty; write one claim per string, such as \"write src/**\" (to declare no claims, a barrier, give an empty array)");
            }

            if (claim[0] == '#')
            {
                throw positions.Error(at, $"a claim is a comment: {Echo.Quote(claim)}; the strings are claims only (put notes in \"description\")");
            }
        }

        if (!ClaimSet.TryParse(string.Join("\n", lines), ignoreCase ? GlobOptions.IgnoreCase : GlobOptions.None, out _, out ClaimSetError? error))
        {
            int i = Math.Clamp(error.Line - 1, 0, lines.Length - 1);
            throw positions.Error(
                JsonPositions.Element(path, i),
                $"invalid claim {Echo.Quote(lines[i])}: {error.Message} ({error.Code} at position {error.Position})" + (error.Hint is null ? string.Empty : $"; {error.Hint}"));
        }
    }

    private static void CheckPaths(JsonPositions positions, string path, ImmutableArray<string> paths)
    {
        for (int i = 0; i < paths.Length; i++)
        {
            if (!GlobPath.TryValidate(paths[i], out GlobError? error))
            {
                throw positions.Error(
                    JsonPositions.Element(path, i),
                    $"invalid path {Echo.Quote(paths[i])}: {error.Message} ({error.Code} at position {error.Position})");
            }
        }
    }

    /// <summary>
    /// Checks a field's JSON value against the event property's type (string, whole number, boolean, array of
    /// strings, each possibly nullable), so that a wrong value gets a plain message rather than the serialiser's.
    /// </summary>
    private static void CheckValue(JsonPositions positions, string path, FieldType type, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!type.Nullable)
            {
                throw positions.Error(path, $"expected {type.Describe()}, found null");
            }

            return;
        }

        bool ok = type.Clr switch
        {
            Type t when t == typeof(string) => value.ValueKind == JsonValueKind.String,
            Type t when t == typeof(bool) => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            Type t when t == typeof(long) => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            Type t when t == typeof(int) => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            Type t when t == typeof(ImmutableArray<string>) => value.ValueKind == JsonValueKind.Array,
            _ => true,
        };
        if (!ok)
        {
            string found = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : Describe(value.ValueKind);
            throw positions.Error(path, $"expected {type.Describe()}, found {found}");
        }

        if (type.Clr == typeof(ImmutableArray<string>))
        {
            int i = 0;
            foreach (JsonElement item in value.EnumerateArray())
            {
                string itemPath = JsonPositions.Element(path, i++);
                RequireKind(positions, itemPath, item, JsonValueKind.String, "a string");
            }
        }
    }

    private static PolicyOptions ReadOptions(JsonPositions positions, string path, JsonElement value)
    {
        RequireKind(positions, path, value, JsonValueKind.Object, $"an object with any of {List(OptionFields)}");
        PolicyOptions options = PolicyOptions.Default;
        foreach (JsonProperty field in value.EnumerateObject())
        {
            string fieldPath = JsonPositions.Property(path, field.Name);
            JsonElement v = field.Value;
            options = field.Name switch
            {
                "maxActiveRuns" => options with { MaxActiveRuns = v.ValueKind == JsonValueKind.Null ? null : Int(positions, fieldPath, v) },
                "maxActivePerLabel" => options with { MaxActivePerLabel = Limits(positions, fieldPath, v) },
                "backoffBase" => options with { BackoffBase = Long(positions, fieldPath, v) },
                "backoffCap" => options with { BackoffCap = Long(positions, fieldPath, v) },
                "jitterFraction" => options with { JitterFraction = Double(positions, fieldPath, v) },
                "maxAttempts" => options with { MaxAttempts = Int(positions, fieldPath, v) },
                "leaseDuration" => options with { LeaseDuration = v.ValueKind == JsonValueKind.Null ? null : Long(positions, fieldPath, v) },
                "reservation" => options with { Reservation = Reservation(positions, fieldPath, v) },
                "bypassBudget" => options with { BypassBudget = Int(positions, fieldPath, v) },
                _ => throw positions.Error(fieldPath, $"unknown option {Echo.Quote(field.Name)}; the options are {List(OptionFields)}", atName: true),
            };
        }

        ImmutableArray<string> problems = options.Validate();
        if (!problems.IsEmpty)
        {
            // Every problem starts with the property's name (see PolicyOptions.Validate): point at that field.
            // A per-label problem reads "MaxActivePerLabel['db'] must ...": point at that label's limit.
            string problem = problems[0];
            int end = problem.AsSpan().IndexOfAny(" [");
            string name = end <= 0 ? string.Empty : char.ToLowerInvariant(problem[0]) + problem[1..end];
            string at = OptionFields.Contains(name) ? JsonPositions.Property(path, name) : path;
            if (problem.AsSpan(end).StartsWith("['") && problem.IndexOf("']", end, StringComparison.Ordinal) is int close and > 0)
            {
                at = JsonPositions.Property(at, problem[(end + 2)..close]);
            }
            throw positions.Error(at, "invalid options: " + string.Join(" ", problems));
        }

        return options;
    }

    private static ImmutableSortedDictionary<string, int> Limits(JsonPositions positions, string path, JsonElement value)
    {
        RequireKind(positions, path, value, JsonValueKind.Object, "an object mapping labels to limits");
        var limits = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (JsonProperty label in value.EnumerateObject())
        {
            limits[label.Name] = Int(positions, JsonPositions.Property(path, label.Name), label.Value);
        }

        return limits.ToImmutable();
    }

    private static ReservationMode Reservation(JsonPositions positions, string path, JsonElement value)
    {
        RequireKind(positions, path, value, JsonValueKind.String, "\"strict\" or \"backfill\"");
        return value.GetString() switch
        {
            "strict" => ReservationMode.Strict,
            "backfill" => ReservationMode.Backfill,
            _ => throw positions.Error(path, $"unknown reservation {Echo.Quote(value.GetString()!)}; use \"strict\" or \"backfill\""),
        };
    }

    private static int Int(JsonPositions positions, string path, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n : throw positions.Error(path, "must be a whole number (32-bit)");

    private static long Long(JsonPositions positions, string path, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n : throw positions.Error(path, "must be a whole number of milliseconds");

    private static double Double(JsonPositions positions, string path, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw positions.Error(path, "must be a number");

    private static void RequireKind(JsonPositions positions, string path, JsonElement value, JsonValueKind kind, string what)
    {
        if (value.ValueKind != kind)
        {
            throw positions.Error(path, $"expected {what}, found {Describe(value.ValueKind)}");
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private static string List(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    /// <summary>
    /// The event types from <see cref="PolicyEvent"/>'s <see cref="JsonDerivedTypeAttribute"/>s. A type's fields are
    /// the properties <see cref="PolicyJson.WriteEvent"/> writes; the required ones are its constructor's parameters.
    /// </summary>
    private static ImmutableSortedDictionary<string, EventShape> DiscoverEventTypes()
    {
        var types = ImmutableSortedDictionary.CreateBuilder<string, EventShape>(StringComparer.Ordinal);
        foreach (JsonDerivedTypeAttribute derived in typeof(PolicyEvent).GetCustomAttributes<JsonDerivedTypeAttribute>())
        {
            string name = (string)derived.TypeDiscriminator!;
            PolicyEvent template = PolicyJson.ReadEvent($"{{\"type\":\"{name}\",\"eventId\":\"x\"}}");
            using JsonDocument written = JsonDocument.Parse(PolicyJson.WriteEvent(template));
            ImmutableArray<string> fields = [.. written.RootElement.EnumerateObject().Select(p => p.Name).Where(n => n != "type")];
            ConstructorInfo constructor = derived.DerivedType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            ImmutableArray<string> required = [.. constructor.GetParameters().Select(p => CamelCase(p.Name!))];
            var fieldTypes = ImmutableSortedDictionary.CreateBuilder<string, FieldType>(StringComparer.Ordinal);
            var nullability = new NullabilityInfoContext();
            foreach (PropertyInfo property in derived.DerivedType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                string field = CamelCase(property.Name);
                if (fields.Contains(field))
                {
                    Type? underlying = Nullable.GetUnderlyingType(property.PropertyType);
                    bool nullable = underlying is not null || nullability.Create(property).ReadState == NullabilityState.Nullable;
                    fieldTypes[field] = new FieldType(underlying ?? property.PropertyType, nullable);
                }
            }

            types[name] = new EventShape(name, derived.DerivedType, fields, required, fieldTypes.ToImmutable());
        }

        return types.ToImmutable();
    }

    private static string CamelCase(string name) =>
        name.Length == 0 ? name : char.ToLower(name[0], CultureInfo.InvariantCulture) + name[1..];
}

/// <summary>One event type of the scenario format.</summary>
/// <param name="Name">The <c>"type"</c> value, e.g. <c>runRequested</c>.</param>
/// <param name="Type">The event's CLR type.</param>
/// <param name="Fields">Every field besides <c>"type"</c>, in the order <see cref="PolicyJson"/> writes them.</param>
/// <param name="Required">The fields that must be present (and not null).</param>
/// <param name="FieldTypes">Each field's property type, by field name.</param>
internal sealed record EventShape(
    string Name,
    Type Type,
    ImmutableArray<string> Fields,
    ImmutableArray<string> Required,
    ImmutableSortedDictionary<string, FieldType> FieldTypes);

/// <summary>The type of an event field: its CLR type (without <see cref="Nullable{T}"/>) and whether JSON <c>null</c> is allowed.</summary>
internal sealed record FieldType(Type Clr, bool Nullable)
{
    /// <summary>What the JSON value must be, in words.</summary>
    public string Describe()
    {
        string what = Clr switch
        {
            Type t when t == typeof(string) => "a string",
            Type t when t == typeof(bool) => "true or false",
            Type t when t == typeof(long) => "a whole number (64-bit)",
            Type t when t == typeof(int) => "a whole number (32-bit)",
            Type t when t == typeof(ImmutableArray<string>) => "an array of strings",
            _ => Clr.Name,
        };
        return Nullable ? what + " or null" : what;
    }
}
