using System.Text;
using ClaimGraph.Claims;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Serialization;

/// <summary>
/// The library's scenario reader through its public API (the CLI's <c>ScenarioFileTests</c> check its messages and
/// positions through the CLI): typed errors, the text and byte entry points, replay.
/// </summary>
public class ScenarioJsonTests
{
    private const string Conflict = """
        {
          "description": "two runs on src/**",
          "options": { "leaseDuration": null, "reservation": "strict" },
          "steps": [
            [
              { "type": "workItemAdded", "eventId": "add-a", "time": 0, "workItemId": "a" },
              { "type": "workItemAdded", "eventId": "add-b", "time": 0, "workItemId": "b" }
            ],
            [
              { "type": "runRequested", "eventId": "req-a", "time": 10, "runId": "a-1", "workItemId": "a", "claims": ["write src/**"] },
              { "type": "runRequested", "eventId": "req-b", "time": 20, "runId": "b-1", "workItemId": "b", "claims": ["write src/b/**"] }
            ],
            [
              { "type": "runSucceeded", "eventId": "done-a", "time": 30, "runId": "a-1", "fencingToken": 1, "newBaseVersion": 1 }
            ]
          ]
        }
        """;

    [Fact]
    public void Read_Text_OptionsDescriptionAndSteps()
    {
        Scenario scenario = ScenarioJson.Read(Conflict);

        Assert.Equal("two runs on src/**", scenario.Description);
        Assert.Equal((null, ReservationMode.Strict), (scenario.Options.LeaseDuration, scenario.Options.Reservation));
        Assert.Equal([2, 2, 1], scenario.Steps.Select(s => s.Length));
    }

    [Fact]
    public void Replay_EveryStep_DecisionsAsStepByStep()
    {
        Scenario scenario = ScenarioJson.Read(Encoding.UTF8.GetBytes(Conflict));

        var results = scenario.Replay();

        Assert.Equal(3, results.Length);
        Assert.Equal(
            ["Admit a-1", "Hold b-1", "Admit b-1"],
            results.SelectMany(r => r.Decisions).Select(d => $"{d.Kind} {d.RunId}"));
        Assert.Equal(results[^1].Graph, ClaimPolicy.Step(results[1].Graph, scenario.Steps[2], scenario.Options).Graph);
    }

    [Theory]
    [InlineData("""{ "steps": [ [] ] }""", JsonReadErrorCode.InvalidValue, "$.steps[0]")]
    [InlineData("""{ "steps": [], "steps": [] }""", JsonReadErrorCode.DuplicateField, "$.steps")]
    [InlineData("""{ "stepz": [] }""", JsonReadErrorCode.UnknownField, "$.stepz")]
    [InlineData("""{ }""", JsonReadErrorCode.MissingField, "$")]
    [InlineData("""{ "steps": [ [ { "type": "boom", "eventId": "e", "time": 1 } ] ] }""", JsonReadErrorCode.UnknownEventType, "$.steps[0][0].type")]
    [InlineData("""{ "steps": [ [ { "type": "tick", "eventId": "e" } ] ] }""", JsonReadErrorCode.MissingField, "$.steps[0][0]")]
    [InlineData("""{ "steps": [ [ { "type": "runRequested", "eventId": "e", "time": 1, "runId": "r", "workItemId": "w", "claims": ["# note"] } ] ] }""", JsonReadErrorCode.InvalidClaim, "$.steps[0][0].claims[0]")]
    [InlineData("""{ "steps": [ [ { "type": "baseAdvanced", "eventId": "e", "time": 1, "newBaseVersion": 1, "changedPaths": ["a//b"] } ] ] }""", JsonReadErrorCode.InvalidPath, "$.steps[0][0].changedPaths[0]")]
    [InlineData("""{ "options": { "maxAttempts": 0 }, "steps": [] }""", JsonReadErrorCode.InvalidOptions, "$.options.maxAttempts")]
    [InlineData("""{ "options": { "reservation": "lazy" }, "steps": [] }""", JsonReadErrorCode.InvalidValue, "$.options.reservation")]
    [InlineData("""{ "steps": [] """, JsonReadErrorCode.MalformedJson, null)]
    public void TryRead_BadScenario_TypedErrorWithPath(string json, JsonReadErrorCode code, string? path)
    {
        Assert.False(ScenarioJson.TryRead(Encoding.UTF8.GetBytes(json), out Scenario? scenario, out JsonReadError? error));

        Assert.Null(scenario);
        Assert.Equal((code, path), (error.Code, error.JsonPath));
        Assert.NotNull(error.Line);
        Assert.Equal(error.ToString(), Assert.Throws<JsonReadException>(() => ScenarioJson.Read(json)).Message);
    }

    [Fact]
    public void Read_RequestedClaims_ParsedOnceAsThePolicyReadsThem()
    {
        Scenario scenario = ScenarioJson.Read("""
            { "steps": [ [ { "type": "runRequested", "eventId": "e", "time": 1, "runId": "r", "workItemId": "w", "claims": ["write SRC/**"], "ignoreCase": true } ] ] }
            """);
        var request = (RunRequested)scenario.Steps[0][0];

        Assert.True(EventIntake.TryParseClaims(request, out ClaimSet? first, out _));
        Assert.True(EventIntake.TryParseClaims(request, out ClaimSet? again, out _));

        Assert.Same(first, again);
        Assert.True(first.Covers("src/a.cs"));
    }

    [Fact]
    public void Read_ReorderedTypeInEveryEvent_SameAsTypeFirst()
    {
        Scenario typeFirst = ScenarioJson.Read("""{ "steps": [ [ { "type": "workItemAdded", "eventId": "e", "time": 1, "workItemId": "w", "labels": ["x"] } ] ] }""");
        Scenario typeLast = ScenarioJson.Read("""{ "steps": [ [ { "eventId": "e", "time": 1, "workItemId": "w", "labels": ["x"], "type": "workItemAdded" } ] ] }""");

        Assert.Equal(PolicyJson.WriteEvent(typeFirst.Steps[0][0]), PolicyJson.WriteEvent(typeLast.Steps[0][0]));
    }
}
