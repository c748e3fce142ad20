using ClaimGraph.Simulation;
using static ClaimGraph.Tests.Simulation.SimulationFixtures;

namespace ClaimGraph.Tests.Simulation;

/// <summary>The conflict cost ρ: a stale attempt loses the share ρ of the task's work.</summary>
public class ConflictCostTests
{
    [Theory]
    [InlineData(1.0, 20, 10)]  // b's conflict at 10 redoes all of it: merges at 20
    [InlineData(0.5, 15, 5)]   // a rebase costing half: merges at 15
    [InlineData(0.25, 12.5, 2.5)]
    [InlineData(0.0, 10, 0)]   // free rebase: merges at once
    public void Run_FanOutConflict_CostsRhoTimesTheDuration(double rho, double makespanMinutes, double wastedMinutes)
    {
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 0, 10, "x.cs"));

        PolicyRunResult r = Simulator.Run(tasks, SimulationPolicy.FanOut, agents: 2, conflictCost: rho);

        Assert.Equal(rho, r.ConflictCost);
        Assert.Equal(1, r.Conflicts);
        Assert.Equal(makespanMinutes / Hour, r.MakespanHours, 9);
        Assert.Equal(wastedMinutes / Hour, r.WastedAgentHours, 9);
        Assert.Equal(20 / Hour, r.BusyAgentHours - r.WastedAgentHours, 9); // the useful work is the two durations
    }

    [Fact]
    public void Run_FanOutRedoConflictsAgain_EachConflictCostsRhoTimesTheDuration()
    {
        // c's first attempt (0-12) conflicts with a (merged at 10); its redo (12-18) conflicts with b (merged at 14).
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("c", 0, 12, "x.cs", "y.cs"), Task("b", 4, 10, "y.cs"));

        PolicyRunResult r = Simulator.Run(tasks, SimulationPolicy.FanOut, agents: 3, conflictCost: 0.5);

        Assert.Equal(2, r.Conflicts);
        Assert.Equal(12 / Hour, r.WastedAgentHours, 9); // 6 + 6: half of c's 12 minutes, twice
        Assert.Equal(24 / Hour, r.MakespanHours, 9);    // c's second redo 18-24
    }

    [Fact]
    public void Sweep_EveryPolicyAtEveryCost_ClaimGraphWithExactClaimsAndNoSpeculationTheSameAtEach()
    {
        SimulationReport report = Simulator.Sweep(
            SyntheticHistory.Generate(new() { Commits = 80 }),
            new SimulationOptions { AgentCounts = [2, 8], ConflictCosts = [1, 0.5, 0.25], SpeculativeRuns = 0 });

        Assert.Equal(3 * 3 * 2, report.Results.Length);
        Assert.Equal([1.0, 0.5, 0.25], report.Results.Select(r => r.ConflictCost).Distinct());
        PolicyRunResult full = report.Find(SimulationPolicy.ClaimGraph, 8, 1)!;
        Assert.Equal(full with { ConflictCost = 0.25 }, report.Find(SimulationPolicy.ClaimGraph, 8, 0.25));
        PolicyRunResult fanOutFull = report.Find(SimulationPolicy.FanOut, 8, 1)!;
        PolicyRunResult fanOutQuarter = report.Find(SimulationPolicy.FanOut, 8, 0.25)!;
        Assert.True(fanOutQuarter.WastedAgentHours < fanOutFull.WastedAgentHours, $"{fanOutQuarter} vs {fanOutFull}");
    }
}
