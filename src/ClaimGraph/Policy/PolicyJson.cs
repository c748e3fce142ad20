using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ClaimGraph.Claims;

namespace ClaimGraph.Policy;

/// <summary>
/// JSON for events (read and written, with a <c>"type"</c> discriminator such as <c>"runRequested"</c>, camelCase
/// properties, unknown properties rejected) and for decisions (written, with reason codes as names and numbers).
/// Source-generated: no reflection at run time.
/// </summary>
public static class PolicyJson
{
    /// <summary>Parses one event from JSON.</summary>
    /// <exception cref="PolicyJsonException">The JSON is malformed, has an unknown type or property, or misses a required property.</exception>
    public static PolicyEvent ReadEvent(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            PolicyEvent? e = JsonSerializer.Deserialize(json, PolicyJsonContext.Default.PolicyEvent);
            return Check(e, null);
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

    /// <summary>Parses a JSON array of events.</summary>
    /// <exception cref="PolicyJsonException">As for <see cref="ReadEvent"/>, with the JSON path of the bad element.</exception>
    public static ImmutableArray<PolicyEvent> ReadEvents(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            PolicyEvent[]? events = JsonSerializer.Deserialize(json, PolicyJsonContext.Default.PolicyEventArray);
            if (events is null)
            {
                throw new PolicyJsonException("Expected an array of events, found null.", "$", 0, 0, null);
            }

            for (int i = 0; i < events.Length; i++)
            {
                Check(events[i], $"$[{i}]");
            }

            return [.. events];
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

    /// <summary>Writes a decision as one line of compact JSON with a stable property order.</summary>
    public static string WriteDecision(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            WriteDecision(w, decision);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes a decision to <paramref name="w"/> as a JSON object with a stable property order.</summary>
    public static void WriteDecision(Utf8JsonWriter w, Decision decision)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(decision);
        w.WriteStartObject();
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
        w.WriteEndObject();
    }

    /// <summary>Writes an explanation (history and change packet) as indented JSON.</summary>
    public static string WriteExplanation(RunExplanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
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

        return Encoding.UTF8.GetString(stream.ToArray());
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
