using System.Collections.Immutable;
using System.Globalization;
using ClaimGraph.Claims;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Benchmarks.Policy;

/// <summary>
/// A large work graph for the policy benchmarks: <c>active</c> active runs, each writing its own corner of a wide
/// source tree (<c>src/m{i/100}/p{i%100}/**</c>) and all reading <c>docs/shared/**</c>; a few held runs, each waiting for
/// one of them; finished runs up to the total; one open item without runs for new requests. The bulk goes in through
/// <see cref="WorkGraphBuilder"/>; the held runs go through <see cref="ClaimPolicy.Step"/> so that their history holds
/// their last hold, as in a live graph.
/// </summary>
public static class PolicyBenchGraph
{
    /// <summary>The time of the benchmarked events.</summary>
    public const long Now = 1_000;

    /// <summary>The item new requests are for.</summary>
    public const string FreeItem = "new-item";

    public static string ActiveRun(int i) => "run-act-" + i.ToString(CultureInfo.InvariantCulture);

    public static string ActiveItem(int i) => "act-" + i.ToString(CultureInfo.InvariantCulture);

    public static string HeldRun(int i) => "run-held-" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>The corner active run <paramref name="i"/> writes.</summary>
    public static string Area(int i) => string.Create(CultureInfo.InvariantCulture, $"src/m{i / 100}/p{i % 100}");

    public static WorkGraph Build(int activeRuns, int totalRuns, int heldRuns)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(heldRuns * 100, activeRuns);
        WorkGraphBuilder builder = WorkGraph.CreateBuilder();
        ClaimSet finishedClaims = ClaimSet.Parse("write src/legacy/**");
        int finished = totalRuns - activeRuns - heldRuns;
        for (int i = 0; i < finished; i++)
        {
            string id = i.ToString(CultureInfo.InvariantCulture);
            builder.AddWorkItem(new WorkItem("done-" + id) { Revision = 2, Status = WorkItemStatus.Done });
            builder.AddRun(new Run("run-done-" + id, "done-" + id, finishedClaims)
            {
                Status = RunStatus.Succeeded,
                AdmittedBase = 0,
                WorkspaceKey = "ws/run-done-" + id,
            });
        }

        ImmutableSortedDictionary<string, long> noUpstream = ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < activeRuns; i++)
        {
            string item = ActiveItem(i);
            builder.AddWorkItem(new WorkItem(item) { Revision = 1 });
            builder.AddRun(new Run(ActiveRun(i), item, ClaimSet.Parse($"write {Area(i)}/**\nread docs/shared/**"))
            {
                Status = RunStatus.Active,
                AdmittedBase = 0,
                AdmittedUpstreamRevisions = noUpstream.Add(item, 1),
                FencingToken = i + 1,
                LeaseExpiresAt = long.MaxValue / 4,
                WorkspaceKey = "ws/" + ActiveRun(i),
            });
        }

        builder.AddWorkItem(new WorkItem(FreeItem) { Revision = 1 });
        WorkGraph graph = builder.ToGraph();

        var events = new List<PolicyEvent>();
        for (int i = 0; i < heldRuns; i++)
        {
            string item = "held-" + i.ToString(CultureInfo.InvariantCulture);
            events.Add(new WorkItemAdded("add-" + item, 0, item));
            events.Add(new RunRequested("request-" + item, 0, HeldRun(i), item, [$"write {Area(i * 100)}/x.cs"]));
        }

        return ClaimPolicy.Step(graph, events).Graph;
    }
}
