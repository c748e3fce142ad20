using ClaimGraph.Graph;

namespace ClaimGraph.Hosting;

/// <summary>When the policy next needs a <see cref="Policy.Tick"/>: the earliest lease expiry or backoff end still ahead of the graph's time.</summary>
internal static class TickSchedule
{
    /// <summary>
    /// The earliest time (milliseconds on the orchestrator's clock) at which a tick changes something: one millisecond
    /// after an active run's lease expiry (a lease expires when it is strictly before the policy's time), or the end of a
    /// waiting run's backoff. Only times after <see cref="WorkGraph.Now"/> count (earlier ones were already seen by an
    /// event), so a tick at the returned time never leads to the same deadline again. Null when nothing is due.
    /// O(runs).
    /// </summary>
    public static long? NextDeadline(WorkGraph graph)
    {
        long now = graph.Now;
        long? next = null;
        foreach (Run run in graph.Runs.Values)
        {
            long? due = run.Status switch
            {
                RunStatus.Active when run.LeaseExpiresAt is long lease && lease < long.MaxValue => lease + 1,
                RunStatus.Pending or RunStatus.Held => run.NotBefore,
                _ => null,
            };
            if (due is long d && d > now && (next is null || d < next))
            {
                next = d;
            }
        }

        return next;
    }
}
