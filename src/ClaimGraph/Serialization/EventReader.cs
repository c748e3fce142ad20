using System.Collections.Immutable;
using System.Text.Json;
using ClaimGraph.Policy;

namespace ClaimGraph.Serialization;

/// <summary>
/// Reads one event object where a <see cref="Utf8JsonReader"/> stands, in place (the input is not copied or parsed
/// again): a look-ahead over the object's fields finds <c>"type"</c> wherever it is and checks every field against the
/// event type's shape (known field, right kind of value, no field twice), then the serializer reads the object as that
/// type. Every fault is a <see cref="JsonReadException"/> with its code, JSON path, line and column.
/// </summary>
/// <remarks>
/// Two levels of strictness. <b>Stored events</b> (<see cref="EventJson"/>) accept what <see cref="PolicyJson.WriteEvent"/>
/// writes for any event, even one the policy rejects (a <c>null</c> id or claim line is the policy's <c>InvalidEvent</c>
/// to give, and a log must read back what it stored). <b>Scenarios</b> (<see cref="ScenarioJson"/>) are written by
/// people: every required field must be there and not <c>null</c>, and claims and changed paths must parse, so that a
/// typo is an error at its line rather than a <c>Reject</c>.
/// </remarks>
internal static class EventReader
{
    private const string AnEvent = "an event: a JSON object with \"type\", \"eventId\", \"time\" and the type's fields";

    /// <summary>Reads the event whose first token the reader is on; the reader ends on the event's last token.</summary>
    public static PolicyEvent Read(JsonSource source, ref Utf8JsonReader reader, string path, bool scenario)
    {
        source.Require(ref reader, JsonTokenType.StartObject, path, AnEvent);
        long objectStart = reader.TokenStartIndex;
        List<Field> fields = LookAhead(source, reader, path);
        Field? typeField = fields.Find(f => f.Name == "type");
        if (typeField is null)
        {
            throw source.Error(JsonReadErrorCode.MissingField, objectStart, path, $"the field 'type' is missing; an event's type is one of {EventShapes.NameList}");
        }

        if (typeField.Kind != JsonTokenType.String)
        {
            throw source.Error(JsonReadErrorCode.UnexpectedValue, typeField.ValueStart, typeField.Path, $"expected a string, found {JsonSource.Describe(typeField.Kind)}");
        }

        if (!EventShapes.ByName.TryGetValue(typeField.Text!, out EventShape? shape))
        {
            throw source.Error(JsonReadErrorCode.UnknownEventType, typeField.ValueStart, typeField.Path, $"unknown event type {JsonSource.Quote(typeField.Text!)}; expected one of {EventShapes.NameList}");
        }

        foreach (Field field in fields)
        {
            if (field == typeField)
            {
                continue;
            }

            if (!shape.FieldTypes.TryGetValue(field.Name, out FieldType? type))
            {
                throw source.Error(JsonReadErrorCode.UnknownField, field.NameStart, field.Path, $"unknown field {JsonSource.Quote(field.Name)} for a '{shape.Name}' event; its fields are {JsonSource.List(shape.Fields)}");
            }

            CheckValue(source, field, type, scenario);
        }

        if (scenario)
        {
            foreach (string required in shape.Required)
            {
                Field? field = fields.Find(f => f.Name == required);
                if (field is null)
                {
                    throw source.Error(JsonReadErrorCode.MissingField, objectStart, path, $"the field '{required}' is missing; a '{shape.Name}' event needs {JsonSource.List(shape.Required)}");
                }

                if (field.Kind == JsonTokenType.Null)
                {
                    throw source.Error(JsonReadErrorCode.UnexpectedValue, field.ValueStart, field.Path, $"the field '{required}' of a '{shape.Name}' event must not be null");
                }
            }
        }

        Blank(source.Bytes, typeField.NameStart, typeField.ValueEnd);
        PolicyEvent? e;
        try
        {
            e = (PolicyEvent?)JsonSerializer.Deserialize(ref reader, shape.Info);
        }
        catch (JsonException ex)
        {
            // Rare after the checks above (a field of a type they do not know). The serializer's path starts at the event.
            string inner = ex.Path is { Length: > 0 } p && p[0] == '$' ? path + p[1..] : path;
            throw source.Error(JsonReadErrorCode.UnexpectedValue, source.OffsetOf(ex), inner, JsonSource.WithoutPosition(ex.Message), ex);
        }

        Field? id = fields.Find(f => f.Name == "eventId");
        if (e is null || string.IsNullOrEmpty(e.EventId))
        {
            throw source.Error(JsonReadErrorCode.InvalidValue, id?.ValueStart ?? objectStart, JsonSource.Property(path, "eventId"), "an event needs a non-empty 'eventId'");
        }

        if (scenario)
        {
            CheckText(source, e, fields);
        }

        return e;
    }

    /// <summary>
    /// Claims and changed paths, each at its string: a claim is one line, not blank, not a comment (the policy's
    /// <see cref="EventIntake"/> rules), and the lines parse together as one claim set, as the policy reads them; a path
    /// is a valid repository path.
    /// </summary>
    private static void CheckText(JsonSource source, PolicyEvent e, List<Field> fields)
    {
        CheckAssumptions(source, e, fields);
        (string Name, ImmutableArray<string> Lines, bool IsClaims, bool IgnoreCase) text = e switch
        {
            RunRequested r => ("claims", r.Claims, true, r.IgnoreCase),
            ClaimsAmended a => ("additionalClaims", a.AdditionalClaims, true, false),
            RunSucceeded s => ("changedPaths", s.ChangedPaths, false, false),
            BaseAdvanced b => ("changedPaths", b.ChangedPaths, false, false),
            NamedBaseAdvanced n => ("changedPaths", n.ChangedPaths, false, false),
            _ => (string.Empty, [], false, false),
        };
        if (text.Lines.IsEmpty)
        {
            return;
        }

        Field field = fields.Find(f => f.Name == text.Name)!;
        if (text.IsClaims)
        {
            // A request's claims are parsed here once, as the policy parses them (the result is kept for it).
            ClaimLineProblem? problem = e is RunRequested request
                ? (EventIntake.TryParseClaims(request, out _, out ClaimLineProblem? p) ? null : p)
                : EventIntake.CheckClaimLines(text.Lines, text.IgnoreCase);
            if (problem is not null)
            {
                (long at, string itemPath) = field.Item(problem.Index);
                throw source.Error(JsonReadErrorCode.InvalidClaim, at, itemPath, Describe(problem, text.Lines[problem.Index]));
            }

            return;
        }

        for (int i = 0; i < text.Lines.Length; i++)
        {
            if (!Globs.GlobPath.TryValidate(text.Lines[i], out Globs.GlobError? error))
            {
                (long at, string itemPath) = field.Item(i);
                throw source.Error(JsonReadErrorCode.InvalidPath, at, itemPath, $"invalid path {JsonSource.Quote(text.Lines[i])}: {error.Message} ({error.Code} at position {error.Position})");
            }
        }
    }

    /// <summary>
    /// A request's named base and <c>resource@version</c> lines, and the fields of the assumption events, as the policy
    /// reads them (<see cref="AssumptionIntake"/>): a problem is an error at its field rather than a <c>Reject</c>.
    /// </summary>
    private static void CheckAssumptions(JsonSource source, PolicyEvent e, List<Field> fields)
    {
        string? problem = null;
        string at = string.Empty;
        switch (e)
        {
            case RunRequested r:
                ImmutableArray<string> lines = r.Assumes.IsDefault ? [] : r.Assumes;
                for (int i = 0; i < lines.Length; i++)
                {
                    if (!AssumptionIntake.TryParseLine(lines[i], out _, out string? lineProblem))
                    {
                        (long start, string itemPath) = fields.Find(f => f.Name == "assumes")!.Item(i);
                        throw source.Error(JsonReadErrorCode.InvalidValue, start, itemPath, "invalid assumption: " + lineProblem);
                    }
                }

                if (!AssumptionIntake.TryRead(r, out _, out problem))
                {
                    at = r.Base is null ? "baseRevision" : "base";
                }

                break;
            case NamedBaseAdvanced n:
                problem = AssumptionIntake.Check(n);
                at = string.IsNullOrEmpty(n.Base) ? "base" : "revision";
                break;
            case ResourceChanged c:
                problem = AssumptionIntake.Check(c);
                at = string.IsNullOrEmpty(c.Version) ? "version" : "resource";
                break;
        }

        if (problem is not null)
        {
            Field? field = fields.Find(f => f.Name == at) ?? fields.Find(f => f.Name == "assumes");
            throw source.Error(JsonReadErrorCode.InvalidValue, field?.ValueStart ?? 0, field?.Path ?? "$", problem);
        }
    }

    private static string Describe(ClaimLineProblem problem, string line) => problem.Kind switch
    {
        ClaimLineProblemKind.LineBreak => "a claim is one line: it must not contain a line break",
        ClaimLineProblemKind.Blank => "a claim is empty; write one claim per string, such as \"write src/**\" (to declare no claims, a barrier, give an empty array)",
        ClaimLineProblemKind.Comment => $"a claim is a comment: {JsonSource.Quote(line.Trim(' ', '\t'))}; the strings are claims only (put notes in \"description\")",
        _ when problem.Error is { } error => $"invalid claim {JsonSource.Quote(line)}: {error.Message} ({error.Code} at position {error.Position})" + (error.Hint is null ? string.Empty : $"; {error.Hint}"),
        _ => "invalid claim",
    };

    /// <summary>
    /// A field's JSON value against its type: a string, a whole number in range, a boolean, an array of strings.
    /// <c>null</c> is allowed where the type is nullable, and for stored events also where the serializer reads it (a
    /// string, an array's item), since a log must read back any event that was written.
    /// </summary>
    private static void CheckValue(JsonSource source, Field field, FieldType type, bool scenario)
    {
        if (field.Kind == JsonTokenType.Null)
        {
            if (!type.Nullable && (scenario || type.Clr != typeof(string)))
            {
                throw source.Error(JsonReadErrorCode.UnexpectedValue, field.ValueStart, field.Path, $"expected {type.Describe()}, found null");
            }

            return;
        }

        bool ok = type.Clr switch
        {
            Type t when t == typeof(string) => field.Kind == JsonTokenType.String,
            Type t when t == typeof(bool) => field.Kind is JsonTokenType.True or JsonTokenType.False,
            Type t when t == typeof(long) => field.Kind == JsonTokenType.Number && field.IsInt64,
            Type t when t == typeof(int) => field.Kind == JsonTokenType.Number && field.IsInt32,
            Type t when t == typeof(ImmutableArray<string>) => field.Kind == JsonTokenType.StartArray,
            _ => true,
        };
        if (!ok)
        {
            string found = field.Kind == JsonTokenType.Number ? field.Text! : JsonSource.Describe(field.Kind);
            throw source.Error(JsonReadErrorCode.UnexpectedValue, field.ValueStart, field.Path, $"expected {type.Describe()}, found {found}");
        }

        if (type.Clr == typeof(ImmutableArray<string>))
        {
            for (int i = 0; i < field.Items.Count; i++)
            {
                (JsonTokenType kind, long at) = field.Items[i];
                if (kind != JsonTokenType.String && (scenario || kind != JsonTokenType.Null))
                {
                    throw source.Error(JsonReadErrorCode.UnexpectedValue, at, JsonSource.Element(field.Path, i), $"expected a string, found {JsonSource.Describe(kind)}");
                }
            }
        }
    }

    /// <summary>
    /// Every field of the object the reader (a copy: the caller's stays put) is on, in order, each with where its name
    /// and value start, its kind, its text (strings, and numbers as written) and, for an array, its items' kinds. A
    /// field twice is an error at the second.
    /// </summary>
    private static List<Field> LookAhead(JsonSource source, Utf8JsonReader ahead, string path)
    {
        var fields = new List<Field>();
        int depth = ahead.CurrentDepth;
        while (true)
        {
            source.Read(ref ahead);
            if (ahead.CurrentDepth == depth)
            {
                return fields; // The object's end.
            }

            long nameStart = ahead.TokenStartIndex;
            string name = source.GetString(ref ahead);
            string fieldPath = JsonSource.Property(path, name);
            if (fields.Exists(f => f.Name == name))
            {
                throw source.Error(JsonReadErrorCode.DuplicateField, nameStart, fieldPath, $"the field {JsonSource.Quote(name)} appears twice in one object");
            }

            source.Read(ref ahead);
            var field = new Field(name, fieldPath, nameStart, ahead.TokenStartIndex, ahead.TokenType);
            switch (ahead.TokenType)
            {
                case JsonTokenType.String:
                    field.Text = source.GetString(ref ahead);
                    break;
                case JsonTokenType.Number:
                    field.Text = System.Text.Encoding.UTF8.GetString(ahead.ValueSpan);
                    field.IsInt64 = ahead.TryGetInt64(out _);
                    field.IsInt32 = ahead.TryGetInt32(out _);
                    break;
                case JsonTokenType.StartArray:
                    while (true)
                    {
                        source.Read(ref ahead);
                        if (ahead.TokenType == JsonTokenType.EndArray)
                        {
                            break;
                        }

                        field.Items.Add((ahead.TokenType, ahead.TokenStartIndex));
                        if (ahead.TokenType == JsonTokenType.String)
                        {
                            _ = source.GetString(ref ahead);
                        }
                        else
                        {
                            source.Skip(ref ahead);
                        }
                    }

                    break;
                case JsonTokenType.StartObject:
                    source.Skip(ref ahead);
                    break;
            }

            field.ValueEnd = ahead.BytesConsumed;
            fields.Add(field);
        }
    }

    /// <summary>
    /// Overwrites the property from <paramref name="start"/> (its name) to <paramref name="end"/> (past its value) and
    /// one comma beside it with spaces, keeping line breaks, so that the serializer reads the object as if it never had
    /// the property and every later position stays where it was.
    /// </summary>
    private static void Blank(byte[] utf8, long start, long end)
    {
        int from = (int)start;
        int to = (int)end;
        int next = to;
        while (next < utf8.Length && IsWhiteSpace(utf8[next]))
        {
            next++;
        }

        if (next < utf8.Length && utf8[next] == (byte)',')
        {
            to = next + 1;
        }
        else
        {
            int previous = from - 1;
            while (previous >= 0 && IsWhiteSpace(utf8[previous]))
            {
                previous--;
            }

            if (previous >= 0 && utf8[previous] == (byte)',')
            {
                from = previous;
            }
        }

        for (int i = from; i < to; i++)
        {
            if (utf8[i] is not ((byte)'\n' or (byte)'\r'))
            {
                utf8[i] = (byte)' ';
            }
        }
    }

    private static bool IsWhiteSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    /// <summary>One field of an event object, as the look-ahead saw it.</summary>
    private sealed class Field(string name, string path, long nameStart, long valueStart, JsonTokenType kind)
    {
        public string Name { get; } = name;

        public string Path { get; } = path;

        public long NameStart { get; } = nameStart;

        public long ValueStart { get; } = valueStart;

        public long ValueEnd { get; set; }

        public JsonTokenType Kind { get; } = kind;

        /// <summary>A string's value, or a number as written.</summary>
        public string? Text { get; set; }

        public bool IsInt64 { get; set; }

        public bool IsInt32 { get; set; }

        /// <summary>An array's items: kind and start.</summary>
        public List<(JsonTokenType Kind, long Start)> Items { get; } = [];

        /// <summary>Where item <paramref name="index"/> starts, and its path.</summary>
        public (long Start, string Path) Item(int index) => (Items[index].Start, JsonSource.Element(Path, index));
    }
}
