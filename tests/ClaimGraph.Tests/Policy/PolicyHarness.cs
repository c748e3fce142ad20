using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Tests.Policy;

/// <summary>Feeds events one by one, numbering their ids, and keeps the graph and the last decisions.</summary>
internal sealed class PolicyHarness
{
    private int _next;

    public PolicyHarness(PolicyOptions? options = null) => Options = options ?? PolicyOptions.Default;

    public PolicyOptions Options { get; }

    public WorkGraph Graph { get; private set; } = WorkGraph.Empty;

    public ImmutableArray<Decision> Last { get; private set; } = [];

    public List<PolicyEvent> Log { get; } = [];

    public long Time { get; set; }

    public string NextId() => "e" + (++_next).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public ImmutableArray<Decision> Send(PolicyEvent e)
    {
        Log.Add(e);
        PolicyStepResult result = ClaimPolicy.Step(Graph, [e], Options);
        Graph = result.Graph;
        Last = result.Decisions;
        return Last;
    }

    public ImmutableArray<Decision> Item(string id, params string[] dependsOn) =>
        Send(new WorkItemAdded(NextId(), Time, id) { DependsOn = [.. dependsOn] });

    public ImmutableArray<Decision> Request(string runId, string item, params string[] claims) =>
        Send(new RunRequested(NextId(), Time, runId, item, [.. claims]));

    public long Token(string runId) => Graph.Runs[runId].FencingToken;

    public ImmutableArray<Decision> Succeed(string runId, long newBase, params string[] changed) =>
        Send(new RunSucceeded(NextId(), Time, runId, Token(runId), newBase) { ChangedPaths = [.. changed] });

    public ImmutableArray<Decision> Fail(string runId, bool transient) =>
        Send(new RunFailed(NextId(), Time, runId, Token(runId), transient));

    public RunStatus Status(string runId) => Graph.Runs[runId].Status;

    public T Single<T>(string? runId = null)
        where T : Decision
    {
        var matches = Last.OfType<T>().Where(d => runId is null || d.RunId == runId).ToList();
        Assert.True(matches.Count == 1, $"expected one {typeof(T).Name} for '{runId}', got {matches.Count}: {string.Join(" | ", Last.Select(d => d.Message))}");
        return matches[0];
    }
}
