using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;
using ClaimGraph.Cli;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Cli;

public class ScenarioFileTests
{
    [Fact]
    public void Parse_ValidScenario_ReadsOptionsAndStepsInOrder()
    {
        Scenario scenario = ScenarioFixture.Parse(ScenarioFixture.Conflict);

        Assert.Null(scenario.Options.LeaseDuration);
        Assert.Equal(PolicyOptions.Default.MaxAttempts, scenario.Options.MaxAttempts);
        Assert.Equal([2, 2, 1], scenario.Steps.Select(s => s.Length));
        var request = Assert.IsType<RunRequested>(scenario.Steps[1][1]);
        Assert.Equal(("req-b", 20L, "b-1", "b"), (request.EventId, request.Time, request.RunId, request.WorkItemId));
        Assert.Equal(["write src/b/**", "read docs/**"], request.Claims.ToArray());
        var done = Assert.IsType<RunSucceeded>(scenario.Steps[2][0]);
        Assert.Equal(["src/a.cs"], done.ChangedPaths.ToArray());
    }

    [Fact]
    public void Parse_NoOptions_UsesTheDefaults()
    {
        Scenario scenario = ScenarioFixture.Parse("""{ "steps": [] }""");

        Assert.Equal(PolicyOptions.Default, scenario.Options);
        Assert.Empty(scenario.Steps);
    }

    [Fact]
    public void Parse_EveryOption_IsRead()
    {
        Scenario scenario = ScenarioFixture.Parse("""
            { "options": { "maxActiveRuns": 4, "maxActivePerLabel": { "db": 1, "ui": 2 }, "backoffBase": 500, "backoffCap": 8000,
                           "jitterFraction": 0.25, "maxAttempts": 5, "leaseDuration": 9000 },
              "steps": [] }
            """);

        PolicyOptions o = scenario.Options;
        Assert.Equal(4, o.MaxActiveRuns);
        Assert.Equal([new("db", 1), new("ui", 2)], o.MaxActivePerLabel);
        Assert.Equal((500L, 8000L, 0.25, 5, 9000L), (o.BackoffBase, o.BackoffCap, o.JitterFraction, o.MaxAttempts, o.LeaseDuration));
    }

    [Fact]
    public void OptionFields_AreThePolicyOptionsProperties()
    {
        string[] properties = typeof(PolicyOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null)
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..])
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(properties, PolicyOptionsJson.Fields.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EventTypes_AreEveryDerivedTypeOfPolicyEvent()
    {
        string[] declared = typeof(PolicyEvent).GetCustomAttributes<JsonDerivedTypeAttribute>()
            .Select(a => (string)a.TypeDiscriminator!)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(17, declared.Length);
        Assert.Equal(declared, EventShapes.ByName.Keys);
        Assert.Equal(["eventId", "time", "runId", "workItemId", "claims"], EventShapes.ByName["runRequested"].Required.ToArray());
        Assert.Contains("ignoreCase", EventShapes.ByName["runRequested"].Fields);
    }

    [Fact]
    public void Parse_TypeNotFirstAndOptionalFieldsAbsent_ReadsTheEvent()
    {
        Scenario scenario = ScenarioFixture.Parse("""
            { "steps": [ [ { "eventId": "e", "workItemId": "w", "time": 5, "type": "workItemAdded" } ] ] }
            """);

        var added = Assert.IsType<WorkItemAdded>(Assert.Single(Assert.Single(scenario.Steps)));
        Assert.Equal(("e", 5L, "w", 0), (added.EventId, added.Time, added.WorkItemId, added.Priority));
        Assert.Empty(added.DependsOn);
    }

    [Fact]
    public void Parse_NullForANullableField_IsAccepted()
    {
        Scenario scenario = ScenarioFixture.Parse("""
            { "steps": [ [ { "type": "workItemChanged", "eventId": "e", "time": 1, "workItemId": "w", "labels": null, "priority": 3 } ] ] }
            """);

        var changed = Assert.IsType<WorkItemChanged>(scenario.Steps[0][0]);
        Assert.Null(changed.Labels);
        Assert.Equal(3, changed.Priority);
    }

    [Fact]
    public void Parse_ByteOrderMark_IsSkipped()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{ "steps": [] }""")];

        Assert.Empty(ScenarioFile.Parse("bom.json", bytes).Scenario.Steps);
    }

    [Fact]
    public void Parse_EmptyClaims_IsABarrierRequestNotAnError()
    {
        Scenario scenario = ScenarioFixture.Parse("""
            { "steps": [ [ { "type": "runRequested", "eventId": "e", "time": 1, "runId": "r", "workItemId": "w", "claims": [] } ] ] }
            """);

        Assert.Empty(Assert.IsType<RunRequested>(scenario.Steps[0][0]).Claims);
    }

    /// <summary>
    /// Each bad input, where the error must be (the first occurrence of the second string, or <see langword="null"/>
    /// for no position), its JSON path and a piece of its message.
    /// </summary>
    public static TheoryData<string, string?, string?, string> BadInputs => new()
    {
        { "[]", "[", "$", "a scenario is a JSON object" },
        { "{}", "{", "$", "the field 'steps' is missing" },
        { "", "", null, "malformed JSON" },
        { "{ \"steps\": [],\n  \"step\": [] }", "\"step\"", "$.step", "unknown field 'step'; a scenario has '$schema', 'description', 'options', 'steps'" },
        { "{ \"steps\": [], \"description\": 7 }", "7", "$.description", "expected a string, found a number" },
        { "{ \"steps\": {} }", "{}", "$.steps", "expected an array of steps" },
        { "{ \"steps\": [ {} ] }", "{}", "$.steps[0]", "expected an array of events (one step), found an object" },
        { "{ \"steps\": [ [] ] }", "[]", "$.steps[0]", "a step has at least one event" },
        { "{ \"steps\": [ [ 3 ] ] }", "3", "$.steps[0][0]", "expected an event" },
        { "{ \"steps\": [ [ { \"eventId\": \"e\" } ] ] }", "{ \"eventId", "$.steps[0][0]", "the field 'type' is missing" },
        { "{ \"steps\": [ [ { \"type\": 4 } ] ] }", "4", "$.steps[0][0].type", "expected a string, found a number" },
        { "{ \"steps\": [\n  [ { \"type\": \"runExploded\", \"eventId\": \"e\", \"time\": 1 } ] ] }", "\"runExploded", "$.steps[0][0].type", "unknown event type 'runExploded'; expected one of 'baseAdvanced'," },
        { "{ \"steps\": [ [ { \"type\": \"tick\", \"eventId\": \"e\", \"time\": 1, \"runId\": \"r\" } ] ] }", "\"runId", "$.steps[0][0].runId", "unknown field 'runId' for a 'tick' event" },
        { "{ \"steps\": [ [ { \"type\": \"tick\", \"eventId\": \"e\" } ] ] }", "{ \"type", "$.steps[0][0]", "the field 'time' is missing; a 'tick' event needs 'eventId', 'time'" },
        { "{ \"steps\": [ [ { \"type\": \"tick\", \"eventId\": \"e\", \"time\": \"noon\" } ] ] }", "\"noon", "$.steps[0][0].time", "expected a whole number (64-bit), found a string" },
        { "{ \"steps\": [ [ { \"type\": \"tick\", \"eventId\": \"e\", \"time\": 1.5 } ] ] }", "1.5", "$.steps[0][0].time", "found 1.5" },
        { "{ \"steps\": [ [ { \"type\": \"tick\", \"eventId\": null, \"time\": 1 } ] ] }", "null", "$.steps[0][0].eventId", "expected a string, found null" },
        { "{ \"steps\": [ [ { \"type\": \"tick\", \"eventId\": \"\", \"time\": 1 } ] ] }", "\"\",", "$.steps[0][0].eventId", "non-empty 'eventId'" },
        { "{ \"steps\": [ [ { \"type\": \"workItemAdded\", \"eventId\": \"e\", \"time\": 1, \"workItemId\": \"w\", \"labels\": [\"x\", 2] } ] ] }", "2]", "$.steps[0][0].labels[1]", "expected a string, found a number" },
        { "{ \"steps\": [ [ { \"type\": \"tick\", \"eventId\": \"e\", \"time\": 1, \"time\": 2 } ] ] }", "\"time\": 2", "$.steps[0][0].time", "the field 'time' appears twice" },
        { "{ \"steps\": [ [ { \"type\": \"tick\", \"eventId\": \"e\", \"time\": 1, } ] ] }", "} ] ]", null, "malformed JSON" },
        { "{ \"steps\": [] } 7", "7", null, "malformed JSON" },
        { "{ \"options\": { \"retries\": 2 }, \"steps\": [] }", "\"retries", "$.options.retries", "unknown option 'retries'" },
        { "{ \"options\": { \"maxAttempts\": 0 }, \"steps\": [] }", "0", "$.options.maxAttempts", "MaxAttempts must be at least 1 (was 0)" },
        { "{ \"options\": { \"backoffCap\": 5 }, \"steps\": [] }", "5", "$.options.backoffCap", "BackoffCap must be at least BackoffBase" },
        { "{ \"options\": { \"maxActivePerLabel\": { \"db\": 0 } }, \"steps\": [] }", "0", "$.options.maxActivePerLabel.db", "MaxActivePerLabel['db'] must be at least 1" },
        { "{ \"options\": { \"jitterFraction\": \"lots\" }, \"steps\": [] }", "\"lots", "$.options.jitterFraction", "must be a number" },
        { "{ \"options\": { \"maxActiveRuns\": 2.5 }, \"steps\": [] }", "2.5", "$.options.maxActiveRuns", "must be a whole number" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Parse_BadInput_ErrorNamesLineColumnAndPath(string json, string? at, string? path, string message)
    {
        ScenarioException error = ScenarioFixture.ParseError(json);

        (int? line, int? column) = at is null ? (null, null) : ScenarioFixture.LineColumn(json, json.IndexOf(at, StringComparison.Ordinal));
        Assert.Equal("test.json", error.File);
        Assert.Equal((line, column, path), (error.Line, error.Column, error.JsonPath));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.OneLine);
    }

    [Theory]
    [InlineData("write src/[abc", 1, "'[' has no closing ']'")]
    [InlineData("wirte src/**", 1, "wirte")]
    [InlineData("write src/**\nwrite docs/**", 1, "must not contain a line break")]
    [InlineData("", 1, "a claim is empty")]
    [InlineData("  \t", 1, "a claim is empty")]
    [InlineData("# billing", 1, "a claim is a comment: '# billing'")]
    public void Parse_BadClaim_ErrorPointsAtTheClaimString(string claim, int index, string message)
    {
        string json = $$"""
            {
              "steps": [
                [
                  { "type": "runRequested", "eventId": "r", "time": 1, "runId": "a", "workItemId": "w",
                    "claims": ["write docs/**", {{System.Text.Json.JsonSerializer.Serialize(claim)}}] }
                ]
              ]
            }
            """;

        ScenarioException error = ScenarioFixture.ParseError(json);

        Assert.Equal($"$.steps[0][0].claims[{index}]", error.JsonPath);
        Assert.Equal((5, 37), (error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[\"\"]")]
    [InlineData("[\"# comment\"]")]
    public void Parse_ClaimsThatAreOnlyABlankOrAComment_RefusedRatherThanABarrier(string claims)
    {
        ScenarioException error = ScenarioFixture.ParseError($$"""
            { "steps": [ [ { "type": "runRequested", "eventId": "r", "time": 1, "runId": "a", "workItemId": "w", "claims": {{claims}} } ] ] }
            """);

        Assert.Equal("$.steps[0][0].claims[0]", error.JsonPath);
    }

    [Fact]
    public void Parse_ExclusionBesideItsEntry_Accepted()
    {
        Scenario scenario = ScenarioFixture.Parse("""
            { "steps": [ [ { "type": "runRequested", "eventId": "r", "time": 1, "runId": "a", "workItemId": "w", "claims": ["write src/**", "!src/gen/**"] } ] ] }
            """);

        Assert.Equal(["write src/**", "!src/gen/**"], ((ClaimGraph.Policy.RunRequested)scenario.Steps[0][0]).Claims.ToArray());
    }

    [Fact]
    public void Parse_ExclusionAlone_ErrorAtIt()
    {
        ScenarioException error = ScenarioFixture.ParseError("""
            { "steps": [ [ { "type": "runRequested", "eventId": "r", "time": 1, "runId": "a", "workItemId": "w", "claims": ["!src/gen/**"] } ] ] }
            """);

        Assert.Equal("$.steps[0][0].claims[0]", error.JsonPath);
        Assert.Contains("ExclusionWithoutEntries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TenMegabyteClaim_OneLineStaysShort()
    {
        string claim = "write " + new string('a', 10_000_000) + "[";

        ScenarioException error = ScenarioFixture.ParseError($$"""
            { "steps": [ [ { "type": "runRequested", "eventId": "r", "time": 1, "runId": "a", "workItemId": "w", "claims": ["{{claim}}"] } ] ] }
            """);

        Assert.StartsWith("test.json:1:113: $.steps[0][0].claims[0]: invalid claim 'write aaa", error.OneLine, StringComparison.Ordinal);
        Assert.InRange(error.OneLine.Length, 1, 1000);
    }

    [Fact]
    public void Parse_NotUtf8_ErrorAtTheByte()
    {
        byte[] bytes = [.. "{ \"steps\": [],\n  \"description\": \"caf"u8, 0xE9, .. "\" }"u8];

        ScenarioException error = Assert.Throws<ScenarioException>(() => ScenarioFile.Parse("test.json", bytes));

        Assert.Equal("test.json:2:22: not valid UTF-8 (byte 0xE9): a scenario is UTF-8 text", error.OneLine);
    }

    [Fact]
    public void Parse_BadAmendedClaim_ErrorPointsAtIt()
    {
        ScenarioException error = ScenarioFixture.ParseError("""
            { "steps": [ [ { "type": "claimsAmended", "eventId": "e", "time": 1, "runId": "r", "fencingToken": 1, "additionalClaims": ["write a/{b"] } ] ] }
            """);

        Assert.Equal("$.steps[0][0].additionalClaims[0]", error.JsonPath);
        Assert.Contains("invalid claim 'write a/{b'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runSucceeded", "\"runId\": \"r\", \"fencingToken\": 1, \"newBaseVersion\": 1")]
    [InlineData("baseAdvanced", "\"newBaseVersion\": 1")]
    public void Parse_BadChangedPath_ErrorPointsAtIt(string type, string fields)
    {
        ScenarioException error = ScenarioFixture.ParseError(
            $$"""{ "steps": [ [ { "type": "{{type}}", "eventId": "e", "time": 1, {{fields}}, "changedPaths": ["ok.txt", "a/../b"] } ] ] }""");

        Assert.Equal("$.steps[0][0].changedPaths[1]", error.JsonPath);
        Assert.Contains("invalid path 'a/../b'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ColumnsCountCharactersNotBytes()
    {
        const string Json = """{ "description": "ünïcødé", "stepz": [] }""";

        ScenarioException error = ScenarioFixture.ParseError(Json);

        // "stepz" starts at character 29; in UTF-8 bytes it would be 33 (four two-byte letters before it).
        Assert.Equal((1, 29), (error.Line, error.Column));
        Assert.Equal(ScenarioFixture.LineColumn(Json, Json.IndexOf("\"stepz", StringComparison.Ordinal)), (error.Line, error.Column));
    }

    [Fact]
    public void Load_MissingFile_ErrorNamesTheFile()
    {
        string file = Path.Combine(Path.GetTempPath(), "claimgraph-no-such-scenario.json");

        ScenarioException error = Assert.Throws<ScenarioException>(() => ScenarioFile.Load(file));

        Assert.StartsWith(file + ": cannot read the scenario file: ", error.OneLine, StringComparison.Ordinal);
    }

    [Fact]
    public void OneLine_HasFileLineColumnPathAndMessage()
    {
        var error = new ScenarioException("s.json", 3, 7, "$.steps[0]", "bad");

        Assert.Equal("s.json:3:7: $.steps[0]: bad", error.OneLine);
        Assert.Equal("s.json: bad", new ScenarioException("s.json", null, null, null, "bad").OneLine);
    }

    [Fact]
    public void EventShapes_RequiredFieldsAreFields()
    {
        foreach (EventShape shape in EventShapes.ByName.Values)
        {
            Assert.Subset(shape.Fields.ToHashSet(), shape.Required.ToHashSet());
            Assert.Equal(shape.Fields.Order(StringComparer.Ordinal), shape.FieldTypes.Keys);
            Assert.Contains("eventId", shape.Required);
            Assert.Contains("time", shape.Required);
        }

        ImmutableSortedDictionary<string, FieldType> failed = EventShapes.ByName["runFailed"].FieldTypes;
        Assert.True(failed["message"].Nullable);
        Assert.False(failed["runId"].Nullable);
    }
}
