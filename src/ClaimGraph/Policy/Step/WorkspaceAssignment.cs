using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>
/// Which workspace a run works in (<see cref="Key"/>), whether it is an earlier attempt's (<see cref="Reused"/>) and
/// why (<see cref="Reason"/>, the Admit's and Retry's workspace note). Made by one rule, <see cref="Decide"/>: a new run
/// reuses the earlier attempt's workspace when that attempt had one, the work item's scope did not change and the
/// claim set did not grow; otherwise it gets its own, <see cref="KeyFor"/> its id.
/// </summary>
internal readonly record struct WorkspaceAssignment(string Key, bool Reused, string Reason)
{
    private const string NewWorkspace = "new workspace";

    /// <summary>A run's own workspace key: <c>ws/</c> and the run id.</summary>
    public static string KeyFor(string runId) => "ws/" + runId;

    /// <summary>The rule, for a new run <paramref name="runId"/> after <paramref name="previous"/> (or none).</summary>
    public static WorkspaceAssignment Decide(string runId, Run? previous, bool scopeChanged, bool claimsGrew) =>
        previous?.WorkspaceKey is { } key && !scopeChanged && !claimsGrew
            ? new(key, true, $"reuses the workspace of run '{previous.Id}': same scope, same claims")
            : new(KeyFor(runId), false, scopeChanged ? NewWorkspace + ": the work item's scope changed" : NewWorkspace);

    /// <summary>
    /// The assignment a run holds when it is admitted: its key (<see cref="KeyFor"/> its id if it has none yet),
    /// reused when it is its previous run's key.
    /// </summary>
    public static WorkspaceAssignment Of(Run run, Run? previous)
    {
        string key = run.WorkspaceKey ?? KeyFor(run.Id);
        return previous is not null && string.Equals(previous.WorkspaceKey, key, StringComparison.Ordinal)
            ? new(key, true, $"reuses the workspace of run '{previous.Id}'")
            : new(key, false, NewWorkspace);
    }
}
