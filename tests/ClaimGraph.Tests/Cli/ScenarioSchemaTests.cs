using System.Reflection;
using System.Text.Json;
using ClaimGraph.Cli;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;
using ClaimGraph.Tests.Docs;
using Json.Schema;

namespace ClaimGraph.Tests.Cli;

/// <summary>
/// <c>schemas/scenario.schema.json</c> describes exactly what <see cref="ScenarioJson"/> reads: it is a valid draft
/// 2020-12 schema, every example validates against it (JsonSchema.Net), its fields and required fields are the
/// reader's (taken from the event types and <see cref="PolicyOptions"/> by reflection), and documents the reader
/// rejects for their shape the schema rejects too.
/// </summary>
public class ScenarioSchemaTests
{
    private static readonly Lazy<(JsonSchema Schema, JsonElement Root)> Loaded = new(() =>
    {
        string text = File.ReadAllText(Path.Combine(ReadmeTests.RepoRoot(), "schemas", "scenario.schema.json"));
        return (JsonSchema.FromText(text), JsonDocument.Parse(text).RootElement.Clone());
    });

    private static JsonElement Root => Loaded.Value.Root;

    [Fact]
    public void Schema_IsAValidDraft202012Schema()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Root.GetProperty("$schema").GetString());

        EvaluationResults results = MetaSchemas.Draft202012.Evaluate(Root, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(results.IsValid, Describe(results));
    }

    [Theory]
    [MemberData(nameof(ExampleScenarioTests.Examples), MemberType = typeof(ExampleScenarioTests))]
    public void Example_ValidatesAgainstTheSchema(string name)
    {
        using JsonDocument example = JsonDocument.Parse(File.ReadAllText(ScenarioFixture.ExamplePath(name)));

        EvaluationResults results = Validate(example.RootElement);

        Assert.True(results.IsValid, Describe(results));
    }

    [Fact]
    public void Schema_TopLevelFields_AreTheReadersFields()
    {
        Assert.Equal(ScenarioJson.Fields.Order(StringComparer.Ordinal), Names(Root.GetProperty("properties")));
        Assert.Equal(["steps"], Strings(Root.GetProperty("required")));
        Assert.False(Root.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void Schema_Options_AreThePolicyOptionsProperties()
    {
        JsonElement options = Def("options");
        string[] properties = typeof(PolicyOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null)
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..])
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(properties, Names(options.GetProperty("properties")));
        Assert.False(options.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void Schema_EventTypes_AreTheReadersEventTypes()
    {
        JsonElement @event = Def("event");
        string[] enumerated = [.. Strings(@event.GetProperty("properties").GetProperty("type").GetProperty("enum")).Order(StringComparer.Ordinal)];
        string[] dispatched = [.. @event.GetProperty("allOf").EnumerateArray()
            .Select(c => c.GetProperty("if").GetProperty("properties").GetProperty("type").GetProperty("const").GetString()!)
            .Order(StringComparer.Ordinal)];

        Assert.Equal(EventShapes.ByName.Keys, enumerated);
        Assert.Equal(EventShapes.ByName.Keys, dispatched);
    }

    [Fact]
    public void Schema_EachEvent_HasExactlyTheReadersFieldsAndRequiredFields()
    {
        foreach (EventShape shape in EventShapes.ByName.Values)
        {
            JsonElement def = Def(shape.Name);
            Assert.Equal(shape.Fields.Append("type").Order(StringComparer.Ordinal), Names(def.GetProperty("properties")));
            Assert.Equal(shape.Required.Append("type").Order(StringComparer.Ordinal), Strings(def.GetProperty("required")).Order(StringComparer.Ordinal));
            Assert.False(def.GetProperty("additionalProperties").GetBoolean());
            Assert.Equal(shape.Name, def.GetProperty("properties").GetProperty("type").GetProperty("const").GetString());
        }
    }

    [Fact]
    public void Schema_EachEventField_AllowsNullExactlyWhenTheReaderDoes()
    {
        foreach (EventShape shape in EventShapes.ByName.Values)
        {
            JsonElement properties = Def(shape.Name).GetProperty("properties");
            foreach ((string field, FieldType type) in shape.FieldTypes)
            {
                JsonElement declared = properties.GetProperty(field).GetProperty("type");
                bool schemaAllowsNull = declared.ValueKind == JsonValueKind.Array && Strings(declared).Contains("null");
                Assert.True(type.Nullable == schemaAllowsNull, $"{shape.Name}.{field}: reader nullable {type.Nullable}, schema {declared}");
            }
        }
    }

    /// <summary>Documents wrong in shape: the reader and the schema must both reject each.</summary>
    public static TheoryData<string> Invalid => new()
    {
        "[]",
        "{}",
        """{ "steps": [], "extra": 1 }""",
        """{ "steps": [ [] ] }""",
        """{ "steps": [ [ { "eventId": "e", "time": 1 } ] ] }""",
        """{ "steps": [ [ { "type": "explode", "eventId": "e", "time": 1 } ] ] }""",
        """{ "steps": [ [ { "type": "tick", "eventId": "e", "time": 1, "runId": "r" } ] ] }""",
        """{ "steps": [ [ { "type": "tick", "eventId": "e" } ] ] }""",
        """{ "steps": [ [ { "type": "tick", "eventId": "", "time": 1 } ] ] }""",
        """{ "steps": [ [ { "type": "tick", "eventId": "e", "time": "1" } ] ] }""",
        """{ "steps": [ [ { "type": "runRequested", "eventId": "e", "time": 1, "runId": "r", "workItemId": "w" } ] ] }""",
        """{ "steps": [ [ { "type": "workItemAdded", "eventId": "e", "time": 1, "workItemId": "w", "labels": [3] } ] ] }""",
        """{ "steps": [ [ { "type": "workItemAdded", "eventId": "e", "time": 1, "workItemId": "w", "dependsOn": null } ] ] }""",
        """{ "options": { "retries": 1 }, "steps": [] }""",
        """{ "options": { "maxAttempts": 0 }, "steps": [] }""",
        """{ "options": { "jitterFraction": 2 }, "steps": [] }""",
        """{ "options": { "maxActivePerLabel": { "db": 0 } }, "steps": [] }""",
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidDocument_RejectedByTheReaderAndTheSchema(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);

        Assert.Throws<ScenarioException>(() => ScenarioFixture.Parse(json));
        Assert.False(Validate(document.RootElement).IsValid);
    }

    /// <summary>Documents right in shape, including the optional and nullable fields: both accept each.</summary>
    public static TheoryData<string> Valid => new()
    {
        """{ "steps": [] }""",
        """{ "$schema": "x", "description": "d", "options": {}, "steps": [] }""",
        """{ "options": { "maxActiveRuns": null, "leaseDuration": null, "maxActivePerLabel": { "db": 1 } }, "steps": [] }""",
        """{ "steps": [ [ { "time": 1, "eventId": "e", "type": "tick" } ] ] }""",
        """{ "steps": [ [ { "type": "workItemChanged", "eventId": "e", "time": 1, "workItemId": "w", "labels": null, "priority": null } ] ] }""",
        """{ "steps": [ [ { "type": "runFailed", "eventId": "e", "time": 1, "runId": "r", "fencingToken": 1, "transient": false, "message": null } ] ] }""",
        """{ "steps": [ [ { "type": "recovered", "eventId": "e", "time": 1 } ] ] }""",
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void ValidDocument_AcceptedByTheReaderAndTheSchema(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);

        ScenarioFixture.Parse(json);
        EvaluationResults results = Validate(document.RootElement);
        Assert.True(results.IsValid, Describe(results));
    }

    private static EvaluationResults Validate(JsonElement instance) =>
        Loaded.Value.Schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static JsonElement Def(string name) => Root.GetProperty("$defs").GetProperty(name);

    private static string[] Names(JsonElement obj) => [.. obj.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static string Describe(EvaluationResults results) =>
        string.Join("; ", (results.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));
}
