using ClaimGraph.Claims;
using ClaimGraph.Graph;

namespace ClaimGraph.Tests.Graph;

/// <summary>Small helpers to write graphs in tests.</summary>
internal static class GraphFixtures
{
    /// <summary>A graph with open items <paramref name="ids"/> and no dependencies.</summary>
    public static WorkGraph Items(params string[] ids)
    {
        WorkGraph g = WorkGraph.Empty;
        foreach (string id in ids)
        {
            g = g.AddWorkItem(new WorkItem(id)).Value;
        }

        return g;
    }

    /// <summary>Adds "a-&gt;b" edges (a depends on b), each of which must succeed.</summary>
    public static WorkGraph Edges(this WorkGraph g, params string[] edges)
    {
        foreach (string edge in edges)
        {
            string[] parts = edge.Split("->");
            g = g.AddDependency(parts[0], parts[1]).Value;
        }

        return g;
    }

    public static WorkGraph SetStatus(this WorkGraph g, string id, WorkItemStatus status) =>
        g.WithWorkItem(g.WorkItems[id] with { Status = status }).Value;

    public static Run Run(string id, string item, string claims = "write src/**", RunStatus status = RunStatus.Pending) =>
        new(id, item, ClaimSet.Parse(claims)) { Status = status };
}
