using ClaimGraph.Claims;
using ClaimGraph.Graph;
using ClaimGraph.Serialization;

namespace ClaimGraph.Properties.Graph;

/// <summary>
/// The invariants a snapshot load checks, written plainly: every pair of active runs, their claim sets compared with
/// <see cref="ClaimSet.Conflicts(ClaimSet, ClaimSet)"/>, and their fencing tokens compared.
/// </summary>
internal static class SnapshotInvariantOracle
{
    /// <summary>Every invariant <paramref name="graph"/> breaks (empty when it keeps them all).</summary>
    public static HashSet<SnapshotErrorCode> Violations(WorkGraph graph)
    {
        var found = new HashSet<SnapshotErrorCode>();
        Run[] active = [.. graph.Runs.Values.Where(r => r.Status == RunStatus.Active)];
        for (int i = 0; i < active.Length; i++)
        {
            for (int j = i + 1; j < active.Length; j++)
            {
                if (active[i].FencingToken > 0 && active[i].FencingToken == active[j].FencingToken)
                {
                    found.Add(SnapshotErrorCode.DuplicateFencingToken);
                }

                if (ClaimSet.Conflicts(active[i].Claims, active[j].Claims).IsConflict)
                {
                    found.Add(SnapshotErrorCode.ConflictingActiveRuns);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Loads <paramref name="saved"/>: when <paramref name="graph"/> breaks an invariant, asserts that the load is refused
    /// with one of the codes found and returns null; otherwise returns the loaded graph.
    /// </summary>
    public static WorkGraph? LoadOrRefused(WorkGraph graph, byte[] saved)
    {
        HashSet<SnapshotErrorCode> violations = Violations(graph);
        bool loaded = WorkGraphSnapshot.TryLoad(saved, out WorkGraph? result, out SnapshotError? error);
        if (violations.Count > 0)
        {
            Assert.False(loaded, "a graph that breaks " + string.Join(", ", violations) + " was loaded");
            Assert.Contains(error!.Code, violations);

            // Unchecked, it still round-trips.
            return WorkGraphSnapshot.Load(saved, new SnapshotLoadOptions { CheckInvariants = false });
        }

        Assert.True(loaded, error?.ToString());
        return result;
    }
}
