using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ClaimGraph.Claims;
using ClaimGraph.Policy;

namespace ClaimGraph.Serialization;

/// <summary>
/// JSON written for events (with a <c>"type"</c> discriminator such as <c>"runRequested"</c> and camelCase properties;
/// <see cref="EventJson"/> reads them back), for decisions and for explanations (with reason
/// codes as names and numbers; as text with relaxed escaping and <c>\n</c> line ends, or to a caller's
/// <see cref="Utf8JsonWriter"/>). Source-generated: no reflection at run time. Every member is thread-safe.
/// </summary>
public static class PolicyJson
{
    /// <summary>Writes one event as compact JSON.</summary>
    public static string WriteEvent(PolicyEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return JsonSerializer.Serialize(e, PolicyJsonContext.Default.PolicyEvent);
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
                if (a.NamedBase is not null)
                {
                    w.WriteString("namedBase", a.NamedBase);
                    w.WriteString("baseRevision", a.BaseRevision);
                }

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
                    WriteHoldEvidence(w, r);
                    w.WriteString("message", r.Message);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                if (h.MoreBlockers > 0)
                {
                    // Written only when the hold names fewer blockers than it has, so holds that name them all read as before.
                    w.WriteNumber("moreBlockers", h.MoreBlockers);
                }

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
                if (c.LeaseExpired)
                {
                    w.WriteBoolean("leaseExpired", true);
                }

                if (c.BrokenAssumption is { } broken)
                {
                    w.WritePropertyName("assumption");
                    WriteAssumption(w, broken);
                }

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
        WriteAssumptions(w, run.Assumptions);
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
            WriteAssumptions(w, c.Assumptions);
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

    /// <summary>An assumption as an object: kind, subject, expected version, and whether it holds (else actual version and event).</summary>
    private static void WriteAssumption(Utf8JsonWriter w, Graph.Assumption a)
    {
        w.WriteStartObject();
        w.WriteString("kind", a.Kind == Graph.AssumptionKind.Base ? "base" : "resource");
        w.WriteString("subject", a.Subject);
        w.WriteString("expected", a.Version);
        w.WriteBoolean("holds", a.Holds);
        if (!a.Holds)
        {
            w.WriteString("actual", a.ActualVersion);
            w.WriteString("brokenBy", a.BrokenByEventId);
        }

        w.WriteEndObject();
    }

    private static void WriteAssumptions(Utf8JsonWriter w, ImmutableArray<Graph.Assumption> assumptions)
    {
        if (assumptions.IsDefaultOrEmpty)
        {
            return;
        }

        w.WriteStartArray("assumptions");
        foreach (Graph.Assumption a in assumptions)
        {
            WriteAssumption(w, a);
        }

        w.WriteEndArray();
    }

    /// <summary>A hold reason's evidence in the slots every reason object has: blockingRun, blockingWorkItem, conflict, notBefore, limit.</summary>
    private static void WriteHoldEvidence(Utf8JsonWriter w, HoldReason reason)
    {
        (string? run, string? item, ClaimConflict? conflict, long? notBefore, string? limit) = reason switch
        {
            ClaimHold c => (c.BlockingRunId, c.BlockingWorkItemId, c.Conflict, null, null),
            DependencyPendingHold d => (d.ActiveRunId, d.WorkItemId, null, null, null),
            DependencyUnknownHold d => (null, d.WorkItemId, null, null, null),
            BackoffPendingHold b => (null, null, null, b.NotBefore, null),
            ConcurrencyLimitHold l => (null, null, null, null, l.Label ?? "*"),
            _ => ((string?)null, (string?)null, (ClaimConflict?)null, (long?)null, (string?)null),
        };
        WriteNullableString(w, "blockingRun", run);
        WriteNullableString(w, "blockingWorkItem", item);
        WriteConflict(w, conflict);
        WriteNullableNumber(w, "notBefore", notBefore);
        WriteNullableString(w, "limit", limit);
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

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PolicyEvent))]
[JsonSerializable(typeof(PolicyEvent[]))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
