using ClaimGraph.Policy;
using ClaimGraph.Simulation;
using static ClaimGraph.Tests.Simulation.SimulationFixtures;

namespace ClaimGraph.Tests.Simulation;

public class SimulatorTests
{
    [Fact]
    public void Run_FanOutSameFileTwoAgents_SecondMergeConflictsAndRedoes()
    {
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 0, 10, "x.cs"));

        PolicyRunResult r = Simulator.Run(tasks, SimulationPolicy.FanOut, agents: 2);

        Assert.Equal(2, r.Merged);
        Assert.Equal(1, r.Conflicts);
        Assert.Equal(1, r.Restarts);
        Assert.Equal(10.0 / 60, r.WastedAgentHours, 9);
        Assert.Equal(30.0 / 60, r.BusyAgentHours, 9);
        Assert.Equal(20.0 / 60, r.MakespanHours, 9);
        Assert.Equal(6.0, r.MergedPerHour, 9);
        Assert.Equal(0, r.P95WaitMinutes);
        Assert.Equal(2, r.PeakConcurrency);
    }

    [Theory]
    [InlineData(SimulationPolicy.Serial)]
    [InlineData(SimulationPolicy.ClaimGraph)]
    public void Run_SameFileTwoAgents_SecondWaitsAndNothingIsWasted(SimulationPolicy policy)
    {
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 0, 10, "x.cs"));

        PolicyRunResult r = Simulator.Run(tasks, policy, agents: 2);

        Assert.Equal(2, r.Merged);
        Assert.Equal(0, r.Conflicts);
        Assert.Equal(0, r.WastedAgentHours);
        Assert.Equal(20.0 / 60, r.MakespanHours, 9);
        Assert.Equal(0, r.MedianWaitMinutes);
        Assert.Equal(10, r.P95WaitMinutes, 9);
        Assert.Equal(1, r.PeakConcurrency);
    }

    [Fact]
    public void Run_DisjointFiles_ClaimGraphRunsThemTogetherAndSerialDoesNot()
    {
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 0, 10, "y.cs"), Task("c", 0, 10, "z.cs"));

        PolicyRunResult claimGraph = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 4);
        PolicyRunResult serial = Simulator.Run(tasks, SimulationPolicy.Serial, agents: 4);
        PolicyRunResult limited = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2);

        Assert.Equal(3, claimGraph.PeakConcurrency);
        Assert.Equal(10.0 / 60, claimGraph.MakespanHours, 9);
        Assert.Equal(30.0 / 60, serial.MakespanHours, 9);
        Assert.Equal(2, limited.PeakConcurrency);
        Assert.Equal(20.0 / 60, limited.MakespanHours, 9);
    }

    [Fact]
    public void Run_ClaimGraphSkipsABlockedTaskForALaterDisjointOne()
    {
        // b waits for a (same file); c arrives later, touches another file and starts at once on the free agent.
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 1, 10, "x.cs"), Task("c", 2, 10, "y.cs"));

        PolicyRunResult claimGraph = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2);
        PolicyRunResult fanOut = Simulator.Run(tasks, SimulationPolicy.FanOut, agents: 2);

        Assert.Equal(0, claimGraph.Conflicts);
        Assert.Equal(20.0 / 60, claimGraph.MakespanHours, 9); // a 0-10, c 2-12, b 10-20
        Assert.Equal(9, claimGraph.P95WaitMinutes, 9);        // b waited from 1 to 10
        Assert.Equal(1, fanOut.Conflicts);                    // b started at 1 on base 0 and collides with a
    }

    [Fact]
    public void Run_DirectoryClaims_SerialiseFilesOfOneDirectory()
    {
        var tasks = Tasks(Task("a", 0, 10, ClaimGranularity.Directory, "d/x.cs"), Task("b", 0, 10, ClaimGranularity.Directory, "d/y.cs"));

        PolicyRunResult claimGraph = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2);
        PolicyRunResult fanOut = Simulator.Run(tasks, SimulationPolicy.FanOut, agents: 2);

        Assert.Equal(1, claimGraph.PeakConcurrency);
        Assert.Equal(2, fanOut.PeakConcurrency);
        Assert.Equal(0, fanOut.Conflicts); // different files merge cleanly
    }

    [Fact]
    public void Run_ClaimGraphSmallLookahead_OnlyTheWindowIsConsidered()
    {
        // With a lookahead of 1 the policy only sees b (blocked), so c waits although it is disjoint.
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 1, 10, "x.cs"), Task("c", 2, 10, "y.cs"));

        PolicyRunResult narrow = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2, lookahead: 1);
        PolicyRunResult unlimited = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2, lookahead: null);

        Assert.Equal(3, narrow.Merged);
        Assert.Equal(8, narrow.MedianWaitMinutes, 9);   // waits a 0, b 9, c 8 (c requested only when b was admitted)
        Assert.Equal(0, unlimited.MedianWaitMinutes, 9); // waits a 0, b 9, c 0
    }

    [Fact]
    public void Run_PolicyTemplate_AgentCountReplacesItsLimitAndLeasesAreOff()
    {
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 0, 10, "y.cs"), Task("c", 0, 10, "z.cs"));
        var template = new PolicyOptions { MaxActiveRuns = 1, LeaseDuration = 1 };

        PolicyRunResult r = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 3, lookahead: null, policyOptions: template);

        Assert.Equal(3, r.PeakConcurrency); // the template's limit of 1 is replaced by the agents
        Assert.Equal(0, r.Restarts);        // a 1 ms lease without heartbeats would cancel every run
        Assert.Equal(10.0 / 60, r.MakespanHours, 9);
    }

    [Fact]
    public void Validate_InvalidPolicyTemplate_ListsItsProblem()
    {
        var options = new SimulationOptions { Policy = new PolicyOptions { MaxAttempts = 0 } };

        Assert.Contains(options.Validate(), p => p.Contains("MaxAttempts", StringComparison.Ordinal));
        Assert.Equal("Policy must not be null.", Assert.Single(new SimulationOptions { Policy = null! }.Validate()));
    }

    [Fact]
    public void Run_BadArguments_Throw()
    {
        var tasks = Tasks(Task("a", 5, 10, "x.cs"), Task("b", 0, 10, "y.cs"));

        Assert.Throws<ArgumentOutOfRangeException>(() => Simulator.Run(tasks, SimulationPolicy.FanOut, 0));
        Assert.Throws<ArgumentException>(() => Simulator.Run(tasks, SimulationPolicy.FanOut, 1));
        Assert.Throws<ArgumentException>(() => Simulator.Run(Tasks(Task("a", 0, 1, "x"), Task("a", 0, 1, "y")), SimulationPolicy.FanOut, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Simulator.Run(Tasks(Task("a", 0, 1, "x")), SimulationPolicy.ClaimGraph, 1, lookahead: 0));
    }

    [Fact]
    public void Sweep_SyntheticHistory_ClaimGraphNeverConflictsAndAllMerge()
    {
        SimulationReport report = Simulator.Sweep(SyntheticHistory.Generate(new() { Commits = 200 }), new SimulationOptions { AgentCounts = [1, 4, 16] });

        Assert.Equal(200, report.Tasks);
        Assert.Equal(9, report.Results.Length);
        Assert.All(report.Results, r => Assert.Equal(200, r.Merged));
        Assert.All(report.Results.Where(r => r.Policy != SimulationPolicy.FanOut), r => Assert.Equal(0, r.Conflicts));
        Assert.True(report.Find(SimulationPolicy.FanOut, 16)!.Conflicts > 0);
        Assert.Equal(0, report.Find(SimulationPolicy.FanOut, 1)!.Conflicts);
        Assert.True(report.Find(SimulationPolicy.ClaimGraph, 16)!.MergedPerHour > 2 * report.Find(SimulationPolicy.Serial, 16)!.MergedPerHour);
        Assert.All(report.Results.Where(r => r.Policy == SimulationPolicy.ClaimGraph), r => Assert.InRange(r.PeakConcurrency, 1, r.Agents));
    }

    [Fact]
    public void Sweep_TwiceOnTheSameInput_ByteIdenticalJson()
    {
        CommitHistory history = SyntheticHistory.Generate(new() { Commits = 150, Seed = 7 });
        var options = new SimulationOptions { AgentCounts = [1, 2, 8] };

        string first = SimulationReportWriter.FormatJson(Simulator.Sweep(history, options));
        string second = SimulationReportWriter.FormatJson(Simulator.Sweep(SyntheticHistory.Generate(new() { Commits = 150, Seed = 7 }), options));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Sweep_SerialReportedForEveryAgentCountWithTheSameNumbers()
    {
        SimulationReport report = Simulator.Sweep(SyntheticHistory.Generate(new() { Commits = 50 }), new SimulationOptions { Policies = [SimulationPolicy.Serial], AgentCounts = [1, 8] });

        Assert.Equal([1, 8], report.Results.Select(r => r.Agents));
        Assert.Equal(report.Results[0] with { Agents = 8 }, report.Results[1]);
    }
}
