namespace ClaimGraph.Simulation;

/// <summary>The admission policies the simulator compares. Stable numbers.</summary>
public enum SimulationPolicy
{
    /// <summary>
    /// Unmanaged fan-out: a waiting task starts as soon as an agent is free, from the current base. At merge, a task
    /// whose files another merge changed since its base is a conflict: its work is thrown away and redone, on the same
    /// agent, from the new base.
    /// </summary>
    FanOut = 0,

    /// <summary>One task at a time, in arrival order, whatever the number of agents. Never conflicts.</summary>
    Serial = 1,

    /// <summary>
    /// The real ClaimGraph policy (<c>ClaimPolicy.Step</c>): every task is a work item and a run requesting
    /// <c>write</c> claims at the chosen granularity; the agent count is <c>PolicyOptions.MaxActiveRuns</c>.
    /// </summary>
    ClaimGraph = 2,
}
