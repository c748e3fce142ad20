using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Policy;

public class PolicyJsonTests
{
    [Fact]
    public void ReadEvents_AllKinds_RoundTripThroughWriteEvent()
    {
        const string json = """
            [
              {"type":"workItemAdded","eventId":"e1","time":0,"workItemId":"A","dependsOn":["S"],"labels":["docs"],"priority":2},
              {"type":"runRequested","eventId":"e2","time":5,"runId":"r1","workItemId":"A","claims":["write docs/**","read src/**"]},
              {"type":"runSucceeded","eventId":"e3","time":9,"runId":"r1","fencingToken":1,"newBaseVersion":2,"changedPaths":["docs/a.md"]},
              {"type":"tick","eventId":"e4","time":10},
              {"type":"recovered","eventId":"e5","time":11,"aliveRunIds":["r1"]}
            ]
            """;
        var events = EventJson.ReadArray(json);
        Assert.Equal(5, events.Length);
        var added = Assert.IsType<WorkItemAdded>(events[0]);
        Assert.Equal(new[] { "S" }, added.DependsOn.ToArray());
        Assert.Equal(2, added.Priority);
        var requested = Assert.IsType<RunRequested>(events[1]);
        Assert.Equal(new[] { "write docs/**", "read src/**" }, requested.Claims.ToArray());
        foreach (PolicyEvent e in events)
        {
            string text = PolicyJson.WriteEvent(e);
            PolicyEvent back = EventJson.Read(text);
            Assert.Equal(text, PolicyJson.WriteEvent(back));
        }
    }

    [Theory]
    [InlineData("""[{"type":"tick","eventId":"e","time":1,"bogus":1}]""")]
    [InlineData("""[{"type":"nope","eventId":"e","time":1}]""")]
    [InlineData("""[{"type":"tick","time":1}]""")]
    [InlineData("""[{"type":"tick","eventId":"e","time":"x"}]""")]
    [InlineData("""[{"type":"tick","eventId":"e","time":1""")]
    public void ReadEvents_MalformedInput_ThrowsJsonReadException(string json)
    {
        var ex = Assert.Throws<JsonReadException>(() => EventJson.ReadArray(json));
        Assert.False(string.IsNullOrEmpty(ex.Message));
    }

    [Fact]
    public void ReadEvent_TypeAfterOtherProperties_ReadsTheEvent()
    {
        PolicyEvent e = EventJson.Read("""{"eventId":"e1","runId":"r1","time":5,"type":"runRequested","workItemId":"A","claims":["write docs/**"],"priority":3}""");

        var requested = Assert.IsType<RunRequested>(e);
        Assert.Equal(("e1", 5L, "r1", "A", 3), (requested.EventId, requested.Time, requested.RunId, requested.WorkItemId, requested.Priority));
        Assert.Equal(["write docs/**"], requested.Claims.ToArray());
    }

    [Fact]
    public void ReadEvent_EveryEventTypeWithTypeLast_ReadsAsWithTypeFirst()
    {
        PolicyEvent[] samples =
        [
            new WorkItemAdded("e1", 0, "A") { DependsOn = ["S"], Labels = ["docs"], Priority = 2 },
            new WorkItemChanged("e2", 1, "A") { Labels = ["x"], Priority = 1 },
            new WorkItemClosed("e3", 2, "A", Abandoned: true),
            new WorkItemReopened("e4", 3, "A"),
            new DependencyAdded("e5", 4, "A", "B"),
            new DependencyRemoved("e6", 5, "A", "B"),
            new RunRequested("e7", 6, "r1", "A", ["write src/**"]) { IgnoreCase = true },
            new RunHeartbeat("e8", 7, "r1", 1),
            new RunSucceeded("e9", 8, "r1", 1, 2) { ChangedPaths = ["src/a.cs"], WorkItemContinues = true },
            new RunFailed("e10", 9, "r1", 1, Transient: true) { Message = "it's broken" },
            new RunCancelRequested("e11", 10, "r1"),
            new ClaimsAmended("e12", 11, "r1", 1, ["read docs/**"]),
            new BaseAdvanced("e13", 12, 3) { ChangedPaths = ["docs/x.md"] },
            new Tick("e14", 13),
            new Recovered("e15", 14) { AliveRunIds = ["r1"] },
        ];

        foreach (PolicyEvent sample in samples)
        {
            string written = PolicyJson.WriteEvent(sample);
            string typeLast = TypeLast(written);
            Assert.NotEqual(written, typeLast);

            Assert.Equal(written, PolicyJson.WriteEvent(EventJson.Read(typeLast)));
        }
    }

    [Fact]
    public void ReadEvent_ErrorAfterAnInnerType_KeepsLineAndColumn()
    {
        const string typeFirst = "{\"type\":\"tick\",\n \"eventId\":\"e\",\n \"time\":\"x\"}";
        const string typeInside = "{\"eventId\":\"e\",\n \"type\":\"tick\",\n \"time\":\"x\"}";

        JsonReadError expected = Assert.Throws<JsonReadException>(() => EventJson.Read(typeFirst)).Error;
        JsonReadError error = Assert.Throws<JsonReadException>(() => EventJson.Read(typeInside)).Error;

        Assert.Equal(("$.time", 3, 9), (error.JsonPath, error.Line, error.Column));
        Assert.Equal((expected.JsonPath, expected.Line, expected.Column, expected.Message), (error.JsonPath, error.Line, error.Column, error.Message));
        Assert.Equal(JsonReadErrorCode.UnexpectedValue, error.Code);
    }

    [Theory]
    [InlineData("""{"eventId":"e","time":1}""", "$", JsonReadErrorCode.MissingField, "the field 'type' is missing")]
    [InlineData("""{"eventId":"e","time":1,"type":"nope"}""", "$.type", JsonReadErrorCode.UnknownEventType, "unknown event type 'nope'")]
    [InlineData("""{"type":"nope","eventId":"e","time":1}""", "$.type", JsonReadErrorCode.UnknownEventType, "unknown event type 'nope'")]
    [InlineData("""{"eventId":"e","type":7,"time":1}""", "$.type", JsonReadErrorCode.UnexpectedValue, "expected a string, found a number")]
    [InlineData("""[{"type":"tick","eventId":"e","time":1}]""", "$", JsonReadErrorCode.UnexpectedValue, "found an array")]
    [InlineData("""{"time":1,"type":"tick"}""", "$.eventId", JsonReadErrorCode.InvalidValue, "non-empty 'eventId'")]
    [InlineData("""{"time":1,"type":"tick","eventId":"e","bogus":2}""", "$.bogus", JsonReadErrorCode.UnknownField, "unknown field 'bogus' for a 'tick' event")]
    [InlineData("""{"time":1,"type":"tick","eventId":"e","time":2}""", "$.time", JsonReadErrorCode.DuplicateField, "the field 'time' appears twice")]
    [InlineData("""{"time":1.5,"type":"tick","eventId":"e"}""", "$.time", JsonReadErrorCode.UnexpectedValue, "expected a whole number (64-bit), found 1.5")]
    public void ReadEvent_BadEvent_ThrowsJsonReadExceptionWithCodeAndPath(string json, string path, JsonReadErrorCode code, string message)
    {
        JsonReadError error = Assert.Throws<JsonReadException>(() => EventJson.Read(json)).Error;

        Assert.Equal((code, path), (error.Code, error.JsonPath));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadEvent_UnknownTypeOnSecondLine_GivesItsLineAndColumn()
    {
        var ex = Assert.Throws<JsonReadException>(() => EventJson.Read("{\"eventId\":\"e\",\n  \"type\":\"nope\"}"));

        Assert.Equal((2, 10), (ex.Error.Line, ex.Error.Column));
        Assert.StartsWith("2:10: $.type: unknown event type 'nope'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadEvent_NullsTheWriterWrites_ReadBack()
    {
        // A log must read back every event that was written, even one the policy rejects (its InvalidEvent to give).
        var written = new RunRequested("e1", 1, null!, "w", ["write a/**", null!]);

        PolicyEvent back = EventJson.Read(PolicyJson.WriteEvent(written));

        Assert.Equal(PolicyJson.WriteEvent(written), PolicyJson.WriteEvent(back));
    }

    [Fact]
    public void ReadEvent_Utf8Bytes_ReadAsTheText()
    {
        const string Json = """{"type":"runRequested","eventId":"é","time":1,"runId":"r","workItemId":"w","claims":["write a/**"]}""";

        PolicyEvent fromBytes = EventJson.Read([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Json)]);

        Assert.Equal(PolicyJson.WriteEvent(EventJson.Read(Json)), PolicyJson.WriteEvent(fromBytes));
    }

    [Fact]
    public void ReadEvent_BytesNotUtf8_NotUtf8AtTheByte()
    {
        JsonReadError error = Assert.Throws<JsonReadException>(() => EventJson.Read([.. "{\"type\":\"tick\",\"eventId\":\"caf"u8, 0xE9, .. "\",\"time\":1}"u8])).Error;

        Assert.Equal((JsonReadErrorCode.NotUtf8, 1, 30), (error.Code, error.Line, error.Column));
    }

    [Theory]
    [InlineData("""{"type":"tick","eventId":"e","time":1} x""")]
    [InlineData("""{"type":"tick","eventId":"e","time":1}{}""")]
    [InlineData("""{"eventId":"e","type":"tick","time":1""")]
    [InlineData("")]
    public void ReadEvent_MalformedJson_ThrowsJsonReadException(string json)
    {
        var ex = Assert.Throws<JsonReadException>(() => EventJson.Read(json));

        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
        Assert.Equal(JsonReadErrorCode.MalformedJson, ex.Error.Code);
        Assert.NotNull(ex.Error.Line);
    }

    [Fact]
    public void ReadEvents_TypeNotFirst_ReadsEveryElement()
    {
        var events = EventJson.ReadArray("""
            [
              {"eventId":"e1","time":0,"type":"tick"},
              {"type":"tick","eventId":"e2","time":1},
              {"eventId":"e3","type":"workItemAdded","time":2,"workItemId":"A"}
            ]
            """);

        Assert.Equal(["e1", "e2", "e3"], events.Select(e => e.EventId));
        Assert.IsType<WorkItemAdded>(events[2]);
    }

    [Fact]
    public void ReadEvents_BadValueInLaterElement_PathNamesTheElement()
    {
        var ex = Assert.Throws<JsonReadException>(() => EventJson.ReadArray("""[{"type":"tick","eventId":"a","time":1},{"time":"x","type":"tick","eventId":"b"}]"""));

        Assert.Equal(("$[1].time", 1, 49), (ex.Error.JsonPath, ex.Error.Line, ex.Error.Column));
        Assert.Contains("expected a whole number (64-bit), found a string", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null", "found null")]
    [InlineData("""{"type":"tick","eventId":"e","time":1}""", "found an object")]
    [InlineData("[null]", "expected an event: a JSON object with \"type\", \"eventId\", \"time\" and the type's fields, found null")]
    public void ReadEvents_NotAnArrayOfEvents_ThrowsJsonReadException(string json, string message)
    {
        var ex = Assert.Throws<JsonReadException>(() => EventJson.ReadArray(json));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteDecision_QuoteInMessage_WrittenAsIsAndReadsBack()
    {
        var reject = new RejectDecision("e'1", "r+1", ReasonCode.InvalidPattern, "bad pattern 'src/[' in café");

        string text = PolicyJson.WriteDecision(reject);

        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
        Assert.Contains("\"detail\":\"bad pattern 'src/[' in café\"", text, StringComparison.Ordinal);
        using JsonDocument back = JsonDocument.Parse(text);
        Assert.Equal(reject.Message, back.RootElement.GetProperty("message").GetString());
        Assert.Equal("r+1", back.RootElement.GetProperty("run").GetString());
    }

    [Fact]
    public void WriteDecisionProperties_InCallersObject_FollowCallersProperties()
    {
        var reject = new RejectDecision("e1", null, ReasonCode.UnknownRun, "no run 'x'");
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("step", 4);
            PolicyJson.WriteDecisionProperties(w, reject);
            w.WriteEndObject();
        }

        Assert.Equal("{\"step\":4," + PolicyJson.WriteDecision(reject)[1..], Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void WriteExplanation_Text_IndentedWithLineFeedsAndRelaxedEscaping()
    {
        RunExplanation why = DocsBesideDetector();

        string text = PolicyJson.WriteExplanation(why);

        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", text, StringComparison.Ordinal);
        Assert.Contains("segment 1: 'docs' vs 'src'", text, StringComparison.Ordinal);
        Assert.StartsWith("{\n  \"run\": \"r-docs\",\n  \"workItem\": \"docs\",", text, StringComparison.Ordinal);
        Assert.EndsWith("\n}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteExplanation_CallersWriter_UsesItsSettings()
    {
        RunExplanation why = DocsBesideDetector();
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            PolicyJson.WriteExplanation(w, why);
        }

        string compact = Encoding.UTF8.GetString(buffer.WrittenSpan);

        Assert.Contains("\\u0027docs\\u0027", compact, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", compact, StringComparison.Ordinal);
        using JsonDocument fromWriter = JsonDocument.Parse(compact);
        using JsonDocument fromText = JsonDocument.Parse(PolicyJson.WriteExplanation(why));
        Assert.True(JsonElement.DeepEquals(fromText.RootElement, fromWriter.RootElement));
    }

    private static RunExplanation DocsBesideDetector()
    {
        var h = new PolicyHarness();
        h.Item("docs");
        h.Item("detector");
        h.Request("r-docs", "docs", "write docs/**");
        h.Request("r-det", "detector", "write src/detectors/**");
        return RunExplainer.Explain(h.Graph, "r-docs")!;
    }

    /// <summary>The object with its <c>"type"</c> property moved to the end.</summary>
    private static string TypeLast(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (JsonProperty p in document.RootElement.EnumerateObject().Where(p => p.Name != "type"))
            {
                p.WriteTo(w);
            }

            w.WritePropertyName("type");
            document.RootElement.GetProperty("type").WriteTo(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
