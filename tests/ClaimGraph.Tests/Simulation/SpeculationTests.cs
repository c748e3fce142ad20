using ClaimGraph.Simulation;
using static ClaimGraph.Tests.Simulation.SimulationFixtures;

namespace ClaimGraph.Tests.Simulation;

/// <summary>Speculation on idle agents: held runs worked on outside the policy, rebased at admission when their base went stale.</summary>
public class SpeculationTests
{
    private static readonly SimulationOptions Speculating = new() { SpeculativeRuns = null };
    private static readonly SimulationOptions NotSpeculating = new() { SpeculativeRuns = 0 };

    [Fact]
    public void Run_HeldRunSpeculatesThenRebases_CostsRhoTimesItsDuration()
    {
        // a runs 0-10; b (same file) is held and speculates on the idle agent 0-10. At 10 a merges and b is admitted:
        // x.cs changed since b's speculative base, so b rebases, losing half its 10 minutes, and merges at 15.
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 0, 10, "x.cs"));

        PolicyRunResult r = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2, Speculating, conflictCost: 0.5);

        Assert.Equal(2, r.Merged);
        Assert.Equal(0, r.Conflicts);
        Assert.Equal(15 / Hour, r.MakespanHours, 9);
        Assert.Equal(5 / Hour, r.WastedAgentHours, 9);
        Assert.Equal(25 / Hour, r.BusyAgentHours, 9);        // a 10, b 10 speculative + 5 admitted
        Assert.Equal(10 / Hour, r.SpeculativeAgentHours, 9);
        Assert.Equal((1, 1, 0), (r.SpeculativeStarts, r.SpeculativeRebases, r.SpeculativePreemptions));
        Assert.Equal(20 / Hour, Simulator.Run(tasks, SimulationPolicy.ClaimGraph, 2, NotSpeculating, 0.5).MakespanHours, 9);
    }

    [Fact]
    public void Run_SpeculativeWorkOnAnUnchangedBase_IsKeptWhole()
    {
        // Directory claims: a and b conflict on src/ but change different files, so b's speculative work (0-10) is
        // still valid when a merges at 10: b is admitted with nothing left to do and merges at once.
        var tasks = Tasks(Task("a", 0, 10, ClaimGranularity.Directory, "src/a.cs"), Task("b", 0, 10, ClaimGranularity.Directory, "src/b.cs"));

        PolicyRunResult r = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2, Speculating, conflictCost: 0.5);

        Assert.Equal(10 / Hour, r.MakespanHours, 9);
        Assert.Equal(0, r.WastedAgentHours);
        Assert.Equal((1, 0), (r.SpeculativeStarts, r.SpeculativeRebases));
    }

    [Fact]
    public void Run_AdmittedRunNeedsTheAgent_NewestSpeculationGivesItUpAndKeepsItsWork()
    {
        // a runs 0-10; b speculates from 0; c (disjoint) arrives at 2 and is admitted: it takes b's agent (b keeps its
        // 2 minutes). At 10 a merges and b is admitted: its 2 minutes are on a stale base, so it keeps 1, needs 9 more
        // and merges at 19.
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 0, 10, "x.cs"), Task("c", 2, 10, "y.cs"));

        PolicyRunResult r = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2, Speculating, conflictCost: 0.5);

        Assert.Equal(19 / Hour, r.MakespanHours, 9);
        Assert.Equal(1 / Hour, r.WastedAgentHours, 9);
        Assert.Equal(2 / Hour, r.SpeculativeAgentHours, 9);
        Assert.Equal((1, 1, 1), (r.SpeculativeStarts, r.SpeculativeRebases, r.SpeculativePreemptions));
        Assert.Equal(2, r.PeakConcurrency);
    }

    [Fact]
    public void Run_BudgetOfOne_SpeculatesOnOneHeldRunAtATime()
    {
        // a holds x.cs 0-10; b and c wait for it. With a budget of one, only b (first in admission order) speculates.
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 0, 4, "x.cs"), Task("c", 0, 4, "x.cs"));

        PolicyRunResult one = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 3, new SimulationOptions { SpeculativeRuns = 1 }, conflictCost: 0.5);
        PolicyRunResult all = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 3, Speculating, conflictCost: 0.5);

        // One: b 0-4 speculative, c 4-8 speculative (b done, budget free again); both rebase: b 10-12, c 12-14.
        Assert.Equal((2, 2), (one.SpeculativeStarts, one.SpeculativeRebases));
        Assert.Equal(14 / Hour, one.MakespanHours, 9);
        Assert.Equal(2, one.PeakConcurrency);
        Assert.Equal(14 / Hour, all.MakespanHours, 9);
        Assert.Equal(3, all.PeakConcurrency);
    }

    [Fact]
    public void Run_ConflictCostOne_NeverSpeculates()
    {
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 0, 10, "x.cs"));

        PolicyRunResult with = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2, Speculating, conflictCost: 1);

        Assert.Equal(Simulator.Run(tasks, SimulationPolicy.ClaimGraph, 2, NotSpeculating, 1), with);
        Assert.Equal(0, with.SpeculativeStarts);
    }

    [Fact]
    public void Sweep_SyntheticHistoryWithSpeculation_NoMergeConflictNoConflictingAdmissionsAndFasterAtHalfCost()
    {
        // The simulation throws if the policy ever admits a run beside a conflicting admitted one; none may conflict at merge.
        CommitHistory history = SyntheticHistory.Generate(new() { Commits = 200 });
        var costs = new SimulationOptions { AgentCounts = [2, 8, 32], ConflictCosts = [1, 0.5], Policies = [SimulationPolicy.ClaimGraph] };

        SimulationReport with = Simulator.Sweep(history, costs with { SpeculativeRuns = null });
        SimulationReport without = Simulator.Sweep(history, costs with { SpeculativeRuns = 0 });

        Assert.All(with.Results, r => Assert.Equal((200, 0, 0), (r.Merged, r.Conflicts, r.Restarts)));
        Assert.All(with.Results, r => Assert.InRange(r.PeakConcurrency, 1, r.Agents));
        Assert.Equal(without.Results.Where(r => r.ConflictCost == 1), with.Results.Where(r => r.ConflictCost == 1));
        PolicyRunResult fast = with.Find(SimulationPolicy.ClaimGraph, 32, 0.5)!;
        Assert.True(fast.SpeculativeStarts > 0 && fast.SpeculativeRebases > 0, $"{fast}");
        Assert.True(fast.MakespanHours < without.Find(SimulationPolicy.ClaimGraph, 32, 0.5)!.MakespanHours, $"{fast}");
    }

    [Fact]
    public void Sweep_SpeculationWithMissingClaims_EveryTaskAccountedForAndNoAdmittedConflict()
    {
        SimulationReport report = Simulator.Sweep(
            SyntheticHistory.Generate(new() { Commits = 150, Seed = 3 }),
            new SimulationOptions { AgentCounts = [4, 16], ConflictCosts = [0.5], MissingClaimShare = 0.2, SpeculativeRuns = null, Policies = [SimulationPolicy.ClaimGraph] });

        Assert.All(report.Results, r => Assert.True(r.Merged > 140 && r.SpeculativeStarts > 0, $"{r}"));
    }

    [Fact]
    public void Sweep_TwiceWithSpeculation_ByteIdenticalJsonAndTable()
    {
        var options = new SimulationOptions { AgentCounts = [2, 16], SpeculativeRuns = 4, MissingClaimShare = 0.1 };

        SimulationReport first = Simulator.Sweep(SyntheticHistory.Generate(new() { Commits = 150, Seed = 5 }), options);
        SimulationReport second = Simulator.Sweep(SyntheticHistory.Generate(new() { Commits = 150, Seed = 5 }), options);

        Assert.Equal(SimulationReportWriter.FormatJson(first), SimulationReportWriter.FormatJson(second));
        Assert.Equal(SimulationReportWriter.FormatTable(first), SimulationReportWriter.FormatTable(second));
        Assert.Contains("speculation on up to 4 idle agents at conflict costs below 1", SimulationReportWriter.FormatTable(first), StringComparison.Ordinal);
        Assert.Contains("\"speculativeRuns\": 4", SimulationReportWriter.FormatJson(first), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativeSpeculativeRuns_Listed()
    {
        Assert.Contains(new SimulationOptions { SpeculativeRuns = -1 }.Validate(), p => p.StartsWith("SpeculativeRuns", StringComparison.Ordinal));
        Assert.Empty(new SimulationOptions { SpeculativeRuns = null }.Validate());
    }
}
