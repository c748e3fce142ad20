using System.Collections.Immutable;

namespace ClaimGraph.Simulation;

/// <summary>
/// The outcome of a sweep: what was replayed, its lower bounds, and one <see cref="PolicyRunResult"/> per conflict
/// cost, policy and agent count, in the order of <see cref="SimulationOptions.ConflictCosts"/>, then
/// <see cref="SimulationOptions.Policies"/>, then <see cref="SimulationOptions.AgentCounts"/>. Holds no wall-clock time,
/// so the same history and options give an equal report (and byte-identical JSON). Immutable.
/// </summary>
/// <param name="Source">The history's name.</param>
/// <param name="Commits">Commits read (after <see cref="SimulationOptions.MaxCommits"/>).</param>
/// <param name="Tasks">Tasks replayed (commits left with no claimable path are dropped).</param>
/// <param name="ArrivalSpanHours">Simulated time from the first arrival to the last.</param>
/// <param name="Bound">The lower bounds of the tasks (see <see cref="LowerBound"/>).</param>
/// <param name="Options">The options used.</param>
/// <param name="Results">One result per conflict cost, policy and agent count.</param>
public sealed record SimulationReport(
    string Source,
    int Commits,
    int Tasks,
    double ArrivalSpanHours,
    LowerBound Bound,
    SimulationOptions Options,
    ImmutableArray<PolicyRunResult> Results)
{
    /// <summary>The per-file lower bound in hours (<see cref="LowerBound.FileHours"/>).</summary>
    public double FileBoundHours => Bound.FileHours;

    /// <summary>
    /// The result of <paramref name="policy"/> with <paramref name="agents"/> agents at <paramref name="conflictCost"/>
    /// (the first conflict cost when <see langword="null"/>), or <see langword="null"/> if it was not simulated.
    /// </summary>
    public PolicyRunResult? Find(SimulationPolicy policy, int agents, double? conflictCost = null)
    {
        double cost = conflictCost ?? (Options.ConflictCosts.IsDefaultOrEmpty ? 1 : Options.ConflictCosts[0]);
        foreach (PolicyRunResult result in Results)
        {
            if (result.Policy == policy && result.Agents == agents && result.ConflictCost.Equals(cost))
            {
                return result;
            }
        }

        return null;
    }
}
