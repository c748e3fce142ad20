namespace ClaimGraph.Simulation;

/// <summary>
/// What one policy achieved with one agent count. Times are simulated. Immutable.
/// </summary>
/// <param name="Policy">The policy.</param>
/// <param name="Agents">The agents available (serial uses one of them).</param>
/// <param name="Tasks">Tasks replayed.</param>
/// <param name="Merged">Tasks merged (all of them when the simulation ran to the end).</param>
/// <param name="Conflicts">Merges attempted on a base that another merge had made stale for one of the task's files; each threw its attempt away. Always 0 for serial and ClaimGraph.</param>
/// <param name="Restarts">Attempts thrown away for any reason: conflicts, and runs the ClaimGraph policy cancelled as stale.</param>
/// <param name="MergedPerHour">Merged tasks per hour of <see cref="MakespanHours"/>.</param>
/// <param name="WastedAgentHours">Agent time spent on attempts that were thrown away.</param>
/// <param name="BusyAgentHours">Agent time spent on all attempts, wasted ones included.</param>
/// <param name="MedianWaitMinutes">Median time from a task's arrival to its first start (nearest rank).</param>
/// <param name="P95WaitMinutes">95th percentile of the same (nearest rank).</param>
/// <param name="MakespanHours">From the first arrival to the last merge.</param>
/// <param name="PeakConcurrency">The most tasks being worked on at once.</param>
public sealed record PolicyRunResult(
    SimulationPolicy Policy,
    int Agents,
    int Tasks,
    int Merged,
    int Conflicts,
    int Restarts,
    double MergedPerHour,
    double WastedAgentHours,
    double BusyAgentHours,
    double MedianWaitMinutes,
    double P95WaitMinutes,
    double MakespanHours,
    int PeakConcurrency);
