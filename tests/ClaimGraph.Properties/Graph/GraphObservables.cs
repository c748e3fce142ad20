using ClaimGraph.Claims;
using ClaimGraph.Graph;
using ClaimGraph.Index;
using ClaimGraph.Serialization;

namespace ClaimGraph.Properties.Graph;

/// <summary>
/// Compares two graphs on everything a caller can observe: the content, the clock, every derived answer of the
/// public API (readiness, queue, overlap index, counts, leases, pictures, snapshot bytes). Equality alone would miss a
/// lost derived structure. (The waiting-run index the policy keeps beside a graph is compared in
/// <c>ClaimPolicyProperties.Step_WaitingIndexKeptByThePolicy_AnswersAsOneBuiltFromTheGraph</c>.)
/// </summary>
internal static class GraphObservables
{
    /// <summary>Times around the generator's lease (900) and backoff (40) values, and the extremes.</summary>
    private static readonly long[] Times = [long.MinValue, -1, 0, 39, 40, 41, 899, 900, 901, long.MaxValue];

    /// <remarks>
    /// <see cref="System.Collections.Immutable.ImmutableArray{T}"/> results are compared as sequences
    /// (<c>Assert.Equal&lt;string&gt;</c>): their own equality compares the underlying array's reference.
    /// </remarks>
    public static void AssertSame(WorkGraph expected, WorkGraph actual)
    {
        // Content, equality and hash.
        Assert.Equal(expected, actual);
        Assert.Equal(actual, expected);
        Assert.Equal(expected.GetHashCode(), actual.GetHashCode());
        Assert.Equal(expected.Now, actual.Now);
        Assert.Equal(expected.BaseVersion, actual.BaseVersion);
        Assert.Equal(expected.NextFencingToken, actual.NextFencingToken);
        Assert.Equal(expected.WorkItems, actual.WorkItems);
        Assert.Equal(expected.Runs, actual.Runs);
        Assert.Equal(expected.ProcessedEventIds, actual.ProcessedEventIds);
        Assert.Equal(expected.MergedChanges, actual.MergedChanges);
        Assert.Equal(expected.WorkItemCount, actual.WorkItemCount);
        Assert.Equal(expected.RunCount, actual.RunCount);
        Assert.Equal(expected.DependencyCount, actual.DependencyCount);
        Assert.Equal(expected.ToString(), actual.ToString());

        // Dependencies, readiness and runs per work item (including ids that are only named by a dependency).
        string[] ids = [.. GraphHistory.ItemIds.Concat(expected.TopologicalOrder()).Concat(actual.TopologicalOrder()).Distinct().Order(StringComparer.Ordinal)];
        foreach (string id in ids)
        {
            Assert.Equal(expected.ContainsWorkItem(id), actual.ContainsWorkItem(id));
            Assert.Equal(expected.DependenciesOf(id), actual.DependenciesOf(id));
            Assert.Equal(expected.DependentsOf(id), actual.DependentsOf(id));
            Assert.Equal<string>(expected.TransitiveDependencies(id), actual.TransitiveDependencies(id));
            Assert.Equal<string>(expected.TransitiveDependents(id), actual.TransitiveDependents(id));
            Assert.Equal(expected.RunsOf(id), actual.RunsOf(id));
            Assert.Equal(expected.IsReady(id), actual.IsReady(id));
            Assert.Equal(expected.ExplainReadiness(id).ToString(), actual.ExplainReadiness(id).ToString());
        }

        Assert.Equal(expected.ReadyWorkItems, actual.ReadyWorkItems);
        Assert.Equal<string>(expected.TopologicalOrder(), actual.TopologicalOrder());
        Assert.Equal(expected.AsQuikGraph().Vertices, actual.AsQuikGraph().Vertices);
        Assert.Equal(expected.AsQuikGraph().Edges, actual.AsQuikGraph().Edges);

        // Runs: queue, overlap index, active counts, labels, bases, leases.
        Assert.Equal(expected.AdmissionQueue, actual.AdmissionQueue);
        Assert.Equal(expected.IndexedRunIds, actual.IndexedRunIds);
        Assert.Equal<string>(expected.OverlapIndex.Owners, actual.OverlapIndex.Owners);
        Assert.Equal<string>(expected.OverlapIndex.BarrierOwners, actual.OverlapIndex.BarrierOwners);
        Assert.Equal(expected.OverlapIndex.Count, actual.OverlapIndex.Count);
        Assert.Equal(Describe(expected.OverlapIndex.Entries), Describe(actual.OverlapIndex.Entries));
        Assert.Equal(expected.ActiveRunCount, actual.ActiveRunCount);
        Assert.Equal(expected.ActiveRunCountsByLabel, actual.ActiveRunCountsByLabel);
        foreach (string label in GraphHistory.Labels)
        {
            Assert.Equal(expected.ActiveRunCountWithLabel(label), actual.ActiveRunCountWithLabel(label));
        }

        Assert.Equal(expected.OldestActiveBase, actual.OldestActiveBase);
        foreach (long time in Times)
        {
            Assert.Equal<string>(expected.ActiveRunsWithLeaseBefore(time), actual.ActiveRunsWithLeaseBefore(time));
            Assert.Equal(expected.MergedChangesSince(time), actual.MergedChangesSince(time));
        }

        // Conflict queries against the overlap index.
        foreach (ClaimSet claims in GraphHistory.Claims)
        {
            Assert.Equal(Describe(expected.ConflictsWith(claims)), Describe(actual.ConflictsWith(claims)));
        }

        // Every rendering of the graph.
        Assert.Equal(WorkGraphPictures.ToMermaid(expected), WorkGraphPictures.ToMermaid(actual));
        Assert.Equal(WorkGraphPictures.ToDot(expected), WorkGraphPictures.ToDot(actual));
        Assert.Equal(WorkGraphSnapshot.SaveToUtf8Bytes(expected), WorkGraphSnapshot.SaveToUtf8Bytes(actual));
    }

    // Insertion sequence numbers are left out: they record the order of past updates, not content.
    private static string[] Describe(IEnumerable<IndexedEntry<string>> entries) => [.. entries.Select(e => e.ToString())];

    private static string[] Describe(IEnumerable<RunConflict> conflicts) =>
        [.. conflicts.Select(c => $"{c.Run.Id} {c.IsConservative} {c.Evidence}")];
}
