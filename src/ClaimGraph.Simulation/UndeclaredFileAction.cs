namespace ClaimGraph.Simulation;

/// <summary>
/// What a simulated ClaimGraph agent does when it finds it must change a file its declared claims do not cover
/// (see <see cref="SimulationOptions.MissingClaimShare"/>). Stable numbers.
/// </summary>
public enum UndeclaredFileAction
{
    /// <summary>
    /// Ask first: the orchestrator sends <c>ClaimsAmended</c> with the file's claim. Granted, the agent goes on;
    /// denied, it stops (<c>RunCancelRequested</c>) and the orchestrator requests the task again with the wider
    /// claims. The stopped attempt's work is lost: the policy gives a run whose claim set grew a fresh workspace.
    /// The default.
    /// </summary>
    Amend = 0,

    /// <summary>
    /// Change it without asking: the merge's <c>RunSucceeded</c> lists the file, the policy answers
    /// <c>ClaimViolation</c> and cancels every other active run that covers it (<c>BaseStale</c>), and a run whose
    /// base the undeclared change made stale may meet a merge conflict.
    /// </summary>
    ChangeSilently = 1,
}
