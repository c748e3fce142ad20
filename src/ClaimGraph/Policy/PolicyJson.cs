using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ClaimGraph.Claims;

namespace ClaimGraph.Policy;

/// <summary>
/// JSON for events (read and written, with a <c>"type"</c> discriminator such as <c>"runRequested"</c> anywhere in the
/// object, camelCase properties, unknown properties rejected), for decisions and for explanations (written, with reason
/// codes as names and numbers; as text with relaxed escaping and <c>\n</c> line ends, or to a caller's
/// <see cref="Utf8JsonWriter"/>). Source-generated: no reflection at run time. Every member is thread-safe.
/// </summary>
public static class PolicyJson
{
    /// <summary>
    /// Parses one event from JSON. The <c>"type"</c> property may come anywhere in the object (not only first, as
    /// System.Text.Json's polymorphic reader wants it), so JSON that was reordered on the way (a <c>jsonb</c> column, a
    /// hand-written file) still reads. Thread-safe; linear in the length of <paramref name="json"/>.
    /// </summary>
    /// <exception cref="PolicyJsonException">
    /// The JSON is malformed, is not an object, has no <c>"type"</c> or an unknown one, has an unknown property, or
    /// misses the event id. <see cref="PolicyJsonException.JsonPath"/> names the property at fault (e.g. <c>$.type</c>).
    /// </exception>
    public static PolicyEvent ReadEvent(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        return Guard(utf8, static bytes =>
        {
            var r = new Utf8JsonReader(bytes);
            r.Read();
            PolicyEvent e = ReadOne(bytes, ref r, "$");
            EndOfInput(ref r);
            return e;
        });
    }

    /// <summary>Parses a JSON array of events, each read as by <see cref="ReadEvent"/> (<c>"type"</c> anywhere in its object).</summary>
    /// <exception cref="PolicyJsonException">As for <see cref="ReadEvent"/>, with the JSON path of the bad element (e.g. <c>$[3].claims</c>).</exception>
    public static ImmutableArray<PolicyEvent> ReadEvents(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        return Guard(utf8, static bytes =>
        {
            var r = new Utf8JsonReader(bytes);
            r.Read();
            if (r.TokenType == JsonTokenType.Null)
            {
                throw new PolicyJsonException("Expected an array of events, found null.", "$", 0, 0, null);
            }

            if (r.TokenType != JsonTokenType.StartArray)
            {
                throw Error(bytes, r.TokenStartIndex, $"Expected an array of events, found {Describe(r.TokenType)}.", "$");
            }

            var events = ImmutableArray.CreateBuilder<PolicyEvent>();
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                events.Add(ReadOne(bytes, ref r, $"$[{events.Count}]"));
            }

            EndOfInput(ref r);
            return events.ToImmutable();
        });
    }

    /// <summary>Runs <paramref name="read"/> on <paramref name="utf8"/>, turning the reader's and the serializer's exceptions into <see cref="PolicyJsonException"/>.</summary>
    private static T Guard<T>(byte[] utf8, Func<byte[], T> read)
    {
        try
        {
            return read(utf8);
        }
        catch (JsonException ex)
        {
            throw new PolicyJsonException(ex.Message, ex.Path, ex.LineNumber, ex.BytePositionInLine, ex);
        }
        catch (NotSupportedException ex)
        {
            throw new PolicyJsonException(ex.Message, null, null, null, ex);
        }
    }

    /// <summary>
    /// Reads the event whose first token the reader is on, at JSON path <paramref name="path"/>. A look-ahead on a copy
    /// of the reader finds <c>"type"</c>; that property is then blanked out of <paramref name="utf8"/> (spaces of the
    /// same length, line breaks kept, so every later error keeps its line and byte position) and the rest is read as the
    /// event type it names.
    /// </summary>
    private static PolicyEvent ReadOne(byte[] utf8, ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            throw new PolicyJsonException("An event is null.", path, null, null, null);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(utf8, reader.TokenStartIndex, $"An event is a JSON object, found {Describe(reader.TokenType)}.", path);
        }

        long objectStart = reader.TokenStartIndex;
        Utf8JsonReader ahead = reader;
        int depth = ahead.CurrentDepth;
        while (ahead.Read() && ahead.CurrentDepth > depth)
        {
            if (!ahead.ValueTextEquals("type"u8))
            {
                ahead.Read();
                ahead.Skip();
                continue;
            }

            long nameStart = ahead.TokenStartIndex;
            ahead.Read();
            string typePath = path + ".type";
            if (ahead.TokenType != JsonTokenType.String)
            {
                throw Error(utf8, ahead.TokenStartIndex, $"An event's 'type' is a string, one of {TypeList}; found {Describe(ahead.TokenType)}.", typePath);
            }

            string type;
            try
            {
                type = ahead.GetString()!;
            }
            catch (InvalidOperationException ex)
            {
                // A string escape that is not valid UTF-16 (a lone surrogate such as "\ud800").
                throw new PolicyJsonException(ex.Message, typePath, null, null, ex);
            }

            if (!EventTypes.TryGetValue(type, out JsonTypeInfo? info))
            {
                throw Error(utf8, ahead.TokenStartIndex, $"Unknown event type '{type}'; expected one of {TypeList}.", typePath);
            }

            Blank(utf8, nameStart, ahead.BytesConsumed);
            try
            {
                return Check((PolicyEvent?)JsonSerializer.Deserialize(ref reader, info), path);
            }
            catch (JsonException ex) when (path != "$" && ex.Path is { } inner)
            {
                // The serializer saw only this element, so its path starts at the element: put the element's path in front.
                string full = path + inner[1..];
                string message = ex.Message.Replace(" Path: " + inner + " ", " Path: " + full + " ", StringComparison.Ordinal);
                throw new PolicyJsonException(message, full, ex.LineNumber, ex.BytePositionInLine, ex);
            }
        }

        throw Error(utf8, objectStart, $"An event needs a 'type', one of {TypeList}.", path);
    }

    /// <summary>
    /// Overwrites the property from <paramref name="start"/> (its name) to <paramref name="end"/> (past its value) and
    /// one comma beside it with spaces, keeping line breaks, so that the object reads as if it never had the property.
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

    /// <summary>Reads past the end of the value: anything but white space after it is malformed JSON (the reader throws).</summary>
    private static void EndOfInput(ref Utf8JsonReader reader) => reader.Read();

    /// <summary>An error at byte <paramref name="offset"/>, with the zero-based line and byte position the serializer would give.</summary>
    private static PolicyJsonException Error(byte[] utf8, long offset, string message, string path)
    {
        long line = 0;
        long lineStart = 0;
        for (long i = 0; i < offset; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new PolicyJsonException(message, path, line, offset - lineStart, null);
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>Every event type by its <c>"type"</c> name, from <see cref="PolicyEvent"/>'s derived-type list.</summary>
    private static readonly ImmutableSortedDictionary<string, JsonTypeInfo> EventTypes = DiscoverEventTypes();

    private static readonly string TypeList = string.Join(", ", EventTypes.Keys.Select(k => "'" + k + "'"));

    private static ImmutableSortedDictionary<string, JsonTypeInfo> DiscoverEventTypes()
    {
        var types = ImmutableSortedDictionary.CreateBuilder<string, JsonTypeInfo>(StringComparer.Ordinal);
        foreach (JsonDerivedType derived in PolicyJsonContext.Default.PolicyEvent.PolymorphismOptions!.DerivedTypes)
        {
            types[(string)derived.TypeDiscriminator!] = PolicyJsonContext.Default.GetTypeInfo(derived.DerivedType)!;
        }

        return types.ToImmutable();
    }

    /// <summary>Writes one event as compact JSON.</summary>
    public static string WriteEvent(PolicyEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return JsonSerializer.Serialize(e, PolicyJsonContext.Default.PolicyEvent);
    }

    private static PolicyEvent Check(PolicyEvent? e, string? path)
    {
        string where = path ?? "$";
        if (e is null)
        {
            throw new PolicyJsonException("An event is null.", where, null, null, null);
        }

        if (string.IsNullOrEmpty(e.EventId))
        {
            throw new PolicyJsonException("An event needs a non-empty 'eventId'.", where + ".eventId", null, null, null);
        }

        return e;
    }

    /// <summary>
    /// Writes a decision as one line of compact JSON with a stable property order (as
    /// <see cref="WriteDecision(Utf8JsonWriter, Decision)"/>). Strings are escaped only where JSON requires it: quotes,
    /// <c>+</c>, <c>&lt;</c> and non-ASCII letters are written as they are, so the text reads as it is and needs no
    /// re-encoding; do not embed it in HTML or a script unescaped. Thread-safe.
    /// </summary>
    public static string WriteDecision(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return ToText(decision, indented: false, static (w, d) => WriteDecision(w, d));
    }

    /// <summary>
    /// Writes a decision to <paramref name="w"/> as a JSON object with a stable property order. Escaping, indentation
    /// and line ends are the writer's: configure it (<see cref="JsonWriterOptions"/>) for the output you need.
    /// </summary>
    public static void WriteDecision(Utf8JsonWriter w, Decision decision)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(decision);
        w.WriteStartObject();
        WriteDecisionProperties(w, decision);
        w.WriteEndObject();
    }

    /// <summary>
    /// Writes a decision's properties (those of <see cref="WriteDecision(Utf8JsonWriter, Decision)"/>, in the same
    /// order) into the JSON object <paramref name="w"/> is in: the caller writes the braces, and may write properties of
    /// its own before or after, such as a step number.
    /// </summary>
    public static void WriteDecisionProperties(Utf8JsonWriter w, Decision decision)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(decision);
        w.WriteString("event", decision.EventId);
        w.WriteString("kind", decision.Kind.ToString());
        w.WriteString("reason", decision.Reason.ToString());
        w.WriteNumber("reasonCode", (int)decision.Reason);
        if (decision.RunId is null)
        {
            w.WriteNull("run");
        }
        else
        {
            w.WriteString("run", decision.RunId);
        }

        switch (decision)
        {
            case AdmitDecision a:
                w.WriteNumber("base", a.BaseVersion);
                w.WriteString("workspace", a.WorkspaceKey);
                w.WriteBoolean("reuseWorkspace", a.ReuseWorkspace);
                w.WriteString("workspaceNote", a.WorkspaceNote);
                w.WriteNumber("fencingToken", a.FencingToken);
                WriteNullableNumber(w, "leaseExpiresAt", a.LeaseExpiresAt);
                break;
            case HoldDecision h:
                w.WriteBoolean("reservesPlace", h.ReservesPlace);
                w.WriteStartArray("reasons");
                foreach (HoldReason r in h.Reasons)
                {
                    w.WriteStartObject();
                    w.WriteString("reason", r.Code.ToString());
                    w.WriteNumber("reasonCode", (int)r.Code);
                    WriteNullableString(w, "blockingRun", r.BlockingRunId);
                    WriteNullableString(w, "blockingWorkItem", r.BlockingWorkItemId);
                    WriteConflict(w, r.Conflict);
                    WriteNullableNumber(w, "notBefore", r.NotBefore);
                    WriteNullableString(w, "limit", r.Limit);
                    w.WriteString("message", r.Message);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                if (h.Bypass is { } bypass)
                {
                    w.WriteStartObject("bypass");
                    w.WriteNumber("used", bypass.Used);
                    w.WriteNumber("budget", bypass.Budget);
                    w.WriteNumber("left", bypass.Left);
                    WriteNullableString(w, "lastBypassedBy", bypass.LastBypassedBy);
                    w.WriteEndObject();
                }

                break;
            case CancelDecision c:
                WriteNullableString(w, "causeWorkItem", c.CauseWorkItemId);
                WriteNullableString(w, "causeRun", c.CauseRunId);
                WriteStrings(w, "paths", c.Paths);
                break;
            case RetryDecision r:
                w.WriteString("newRun", r.NewRunId);
                w.WriteNumber("attempt", r.Attempt);
                w.WriteNumber("notBefore", r.NotBefore);
                w.WriteString("workspace", r.WorkspaceKey);
                w.WriteBoolean("reuseWorkspace", r.ReuseWorkspace);
                w.WriteString("workspaceNote", r.WorkspaceNote);
                break;
            case AmendmentDeniedDecision d:
                w.WriteString("blockingRun", d.BlockingRunId);
                WriteConflict(w, d.Conflict);
                break;
            case ClaimViolationDecision v:
                WriteStrings(w, "paths", v.Paths);
                break;
            case RejectDecision j:
                w.WriteString("detail", j.Detail);
                break;
        }

        w.WriteString("message", decision.Message);
    }

    /// <summary>
    /// Writes an explanation (history and change packet) as JSON indented by two spaces, lines ended by <c>\n</c> on
    /// every platform, without a final line end; strings escaped only where JSON requires it, as
    /// <see cref="WriteDecision(Decision)"/>. Thread-safe.
    /// </summary>
    public static string WriteExplanation(RunExplanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        return ToText(explanation, indented: true, static (w, e) => WriteExplanation(w, e));
    }

    /// <summary>
    /// Writes an explanation to <paramref name="w"/> as one JSON object, properties in the order of
    /// <see cref="WriteExplanation(RunExplanation)"/>. Escaping, indentation and line ends are the writer's.
    /// </summary>
    public static void WriteExplanation(Utf8JsonWriter w, RunExplanation explanation)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(explanation);
        Graph.Run run = explanation.Run;
        w.WriteStartObject();
        w.WriteString("run", run.Id);
        w.WriteString("workItem", run.WorkItemId);
        w.WriteString("status", run.Status.ToString());
        w.WriteNumber("attempt", run.Attempt);
        w.WriteStartArray("claims");
        foreach (ClaimEntry e in run.Claims.Entries)
        {
            w.WriteStringValue(e.ToString());
        }

        foreach (Globs.Glob x in run.Claims.Exclusions)
        {
            w.WriteStringValue("!" + x);
        }

        w.WriteEndArray();
        w.WriteStartArray("history");
        foreach (Graph.RunHistoryEntry h in explanation.History)
        {
            w.WriteStartObject();
            w.WriteString("event", h.EventId);
            w.WriteNumber("time", h.At);
            w.WriteNumber("sequence", h.Sequence);
            w.WriteString("kind", h.Kind == DecisionKind.None ? "Note" : h.Kind.ToString());
            w.WriteString("reason", h.Reason.ToString());
            w.WriteString("message", h.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("changePacket");
        foreach (ConcurrentRun c in explanation.ChangePacket)
        {
            w.WriteStartObject();
            w.WriteString("run", c.RunId);
            w.WriteString("workItem", c.WorkItemId);
            w.WriteString("safety", c.Safety.ToString());
            w.WriteString("detail", c.Detail);
            w.WriteStartArray("pairs");
            foreach (EntryPair p in c.Pairs)
            {
                w.WriteStartObject();
                w.WriteString("entry", p.Entry.ToString());
                w.WriteString("otherEntry", p.OtherEntry.ToString());
                WriteNullableString(w, "witness", p.Witness);
                WriteNullableString(w, "parting", p.Parting);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>What <paramref name="write"/> writes, as text: relaxed escaping; when indented, <c>\n</c> line ends.</summary>
    private static string ToText<T>(T value, bool indented, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            // Not HTML-safe by design: the output is for programs and people, and a quote or a '+' in a path reads as it is.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Indented = indented,
#if NET9_0_OR_GREATER
            NewLine = "\n",
#endif
        }))
        {
            write(w, value);
        }

        string text = Encoding.UTF8.GetString(buffer.WrittenSpan);
#if !NET9_0_OR_GREATER
        // .NET 8's writer ends indented lines with the platform's new line. A JSON string never holds a raw line break
        // (the writer escapes it), so this changes only the layout.
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
#endif
        return text;
    }

    private static void WriteConflict(Utf8JsonWriter w, ClaimConflict? c)
    {
        if (c is null)
        {
            w.WriteNull("conflict");
            return;
        }

        w.WriteStartObject("conflict");
        w.WriteString("entry", c.Left.ToString());
        w.WriteString("blockingEntry", c.Right.ToString());
        w.WriteString("witness", c.Witness);
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, ImmutableArray<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void WriteNullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteNullableNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteNumber(name, value.Value);
        }
    }
}

/// <summary>Malformed event JSON: the message, the JSON path and, where known, the line and position.</summary>
public sealed class PolicyJsonException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public PolicyJsonException(string message, string? path, long? lineNumber, long? bytePositionInLine, Exception? inner)
        : base(message, inner)
    {
        JsonPath = path;
        LineNumber = lineNumber;
        BytePositionInLine = bytePositionInLine;
    }

    /// <summary>The JSON path of the problem (e.g. <c>$[3].claims</c>), if known.</summary>
    public string? JsonPath { get; }

    /// <summary>Zero-based line of the problem, if known.</summary>
    public long? LineNumber { get; }

    /// <summary>Zero-based byte position in that line, if known.</summary>
    public long? BytePositionInLine { get; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PolicyEvent))]
[JsonSerializable(typeof(PolicyEvent[]))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
