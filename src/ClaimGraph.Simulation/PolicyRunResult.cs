namespace ClaimGraph.Simulation;

/// <summary>
/// What one policy achieved with one agent count at one conflict cost. Times are simulated; a task's wait is from its
/// arrival to its first start, its latency from its arrival to its merge. Percentiles are nearest-rank. Immutable.
/// </summary>
public sealed record PolicyRunResult
{
    /// <summary>The policy.</summary>
    public required SimulationPolicy Policy { get; init; }

    /// <summary>The agents available (serial uses one of them).</summary>
    public required int Agents { get; init; }

    /// <summary>The conflict cost ρ: the share of an attempt's work lost when its base goes stale (see <see cref="SimulationOptions.ConflictCosts"/>).</summary>
    public required double ConflictCost { get; init; }

    /// <summary>Tasks replayed.</summary>
    public required int Tasks { get; init; }

    /// <summary>Tasks merged (all of them unless the policy gave some up after too many failures).</summary>
    public required int Merged { get; init; }

    /// <summary>Merges attempted on a base that another merge had made stale for one of the task's exclusive files. Always 0 for serial, and for ClaimGraph with exact claims.</summary>
    public required int Conflicts { get; init; }

    /// <summary>ClaimGraph: active runs the policy cancelled because a change outside their claims touched files they cover (<c>BaseStale</c>). 0 for the others.</summary>
    public required int StaleCancels { get; init; }

    /// <summary>Attempts that ended without a merge for any reason: conflicts, stale cancels, stops after a denied amendment.</summary>
    public required int Restarts { get; init; }

    /// <summary>Merged tasks per hour of <see cref="MakespanHours"/>.</summary>
    public required double MergedPerHour { get; init; }

    /// <summary>From the first arrival to the last merge.</summary>
    public required double MakespanHours { get; init; }

    /// <summary>
    /// A lower bound on the makespan of any schedule that never merges a conflict: the largest of the per-file bound
    /// (<see cref="SimulationReport.FileBoundHours"/>), all the work divided by the agents (one for serial), and the
    /// latest arrival plus duration of one task.
    /// </summary>
    public required double LowerBoundHours { get; init; }

    /// <summary><see cref="MakespanHours"/> ÷ <see cref="LowerBoundHours"/>: 1 is optimal (fan-out may go below 1 at ρ &lt; 1, where a redo is shorter than the task).</summary>
    public double MakespanOverBound => LowerBoundHours > 0 ? MakespanHours / LowerBoundHours : 0;

    /// <summary>Agent time spent on work that was lost: the share ρ of stale attempts, and the whole of stopped ones.</summary>
    public required double WastedAgentHours { get; init; }

    /// <summary>Agent time spent on all attempts, lost work included.</summary>
    public required double BusyAgentHours { get; init; }

    /// <summary><see cref="BusyAgentHours"/> per merged task (0 when nothing merged).</summary>
    public double AgentHoursPerMerge => Merged > 0 ? BusyAgentHours / Merged : 0;

    /// <summary>Median wait from arrival to first start.</summary>
    public required double MedianWaitHours { get; init; }

    /// <summary>95th percentile of the wait from arrival to first start.</summary>
    public required double P95WaitHours { get; init; }

    /// <summary>The longest wait from arrival to first start.</summary>
    public required double LongestWaitHours { get; init; }

    /// <summary>Median latency from arrival to merge (merged tasks only).</summary>
    public required double MedianLatencyHours { get; init; }

    /// <summary>95th percentile of the latency from arrival to merge (merged tasks only).</summary>
    public required double P95LatencyHours { get; init; }

    /// <summary>
    /// The most times one waiting task was overtaken: started after it had arrived, by a task that arrived later and
    /// whose claims conflict with its own. Counted by the simulator from what happened. 0 for fan-out and serial, which
    /// start tasks in arrival order.
    /// </summary>
    public required int LargestBypass { get; init; }

    /// <summary>Merges that landed after a later-arriving task's merge had already changed one of the same exclusive files.</summary>
    public required int OutOfOrderMerges { get; init; }

    /// <summary>ClaimGraph with imperfect claims: amendments the policy granted (<c>AmendmentGranted</c>).</summary>
    public required int AmendmentsGranted { get; init; }

    /// <summary>ClaimGraph with imperfect claims: amendments the policy denied (<c>AmendmentDenied</c>); each stopped its run.</summary>
    public required int AmendmentsDenied { get; init; }

    /// <summary>ClaimGraph with imperfect claims: merges that changed files outside their claims (<c>ClaimViolation</c>).</summary>
    public required int ClaimViolations { get; init; }

    /// <summary>The most tasks being worked on at once.</summary>
    public required int PeakConcurrency { get; init; }

    /// <summary>
    /// ClaimGraph with speculation (<see cref="SimulationOptions.SpeculativeRuns"/>): attempts an agent started on a run
    /// the policy held only because of claim conflicts, outside the policy and without its claims. Default 0.
    /// </summary>
    public int SpeculativeStarts { get; init; }

    /// <summary>
    /// ClaimGraph with speculation: admitted runs whose speculative work stood on a base that a merge had made stale for
    /// one of their exclusive files, and which rebased it (losing the share ρ of it, counted in
    /// <see cref="WastedAgentHours"/>). Default 0.
    /// </summary>
    public int SpeculativeRebases { get; init; }

    /// <summary>ClaimGraph with speculation: speculative attempts that gave their agent to an admitted run (their work is kept). Default 0.</summary>
    public int SpeculativePreemptions { get; init; }

    /// <summary>ClaimGraph with speculation: agent time spent on speculative attempts (part of <see cref="BusyAgentHours"/>). Default 0.</summary>
    public double SpeculativeAgentHours { get; init; }
}
