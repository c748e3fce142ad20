using ClaimGraph.Policy;

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
        var events = PolicyJson.ReadEvents(json);
        Assert.Equal(5, events.Length);
        var added = Assert.IsType<WorkItemAdded>(events[0]);
        Assert.Equal(new[] { "S" }, added.DependsOn.ToArray());
        Assert.Equal(2, added.Priority);
        var requested = Assert.IsType<RunRequested>(events[1]);
        Assert.Equal(new[] { "write docs/**", "read src/**" }, requested.Claims.ToArray());
        foreach (PolicyEvent e in events)
        {
            string text = PolicyJson.WriteEvent(e);
            PolicyEvent back = PolicyJson.ReadEvent(text);
            Assert.Equal(text, PolicyJson.WriteEvent(back));
        }
    }

    [Theory]
    [InlineData("""[{"type":"tick","eventId":"e","time":1,"bogus":1}]""")]
    [InlineData("""[{"type":"nope","eventId":"e","time":1}]""")]
    [InlineData("""[{"type":"tick","time":1}]""")]
    [InlineData("""[{"type":"tick","eventId":"e","time":"x"}]""")]
    [InlineData("""[{"type":"tick","eventId":"e","time":1""")]
    public void ReadEvents_MalformedInput_ThrowsPolicyJsonException(string json)
    {
        var ex = Assert.Throws<PolicyJsonException>(() => PolicyJson.ReadEvents(json));
        Assert.False(string.IsNullOrEmpty(ex.Message));
    }
}
