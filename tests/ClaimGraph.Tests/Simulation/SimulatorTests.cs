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
        Assert.Equal(10 / Hour, r.WastedAgentHours, 9);
        Assert.Equal(30 / Hour, r.BusyAgentHours, 9);
        Assert.Equal(15 / Hour, r.AgentHoursPerMerge, 9);
        Assert.Equal(20 / Hour, r.MakespanHours, 9);
        Assert.Equal(6.0, r.MergedPerHour, 9);
        Assert.Equal(0, r.P95WaitHours);
        Assert.Equal(20 / Hour, r.P95LatencyHours, 9);
        Assert.Equal(2, r.PeakConcurrency);
        Assert.Equal(0, r.LargestBypass);
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
        Assert.Equal(20 / Hour, r.MakespanHours, 9);
        Assert.Equal(1.0, r.MakespanOverBound, 9); // x's two tasks one after another: 20 minutes
        Assert.Equal(0, r.MedianWaitHours);
        Assert.Equal(10 / Hour, r.P95WaitHours, 9);
        Assert.Equal(10 / Hour, r.LongestWaitHours, 9);
        Assert.Equal(10 / Hour, r.MedianLatencyHours, 9);
        Assert.Equal(20 / Hour, r.P95LatencyHours, 9);
        Assert.Equal(1, r.PeakConcurrency);
        Assert.Equal(0, r.OutOfOrderMerges);
    }

    [Fact]
    public void Run_DisjointFiles_ClaimGraphRunsThemTogetherAndSerialDoesNot()
    {
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 0, 10, "y.cs"), Task("c", 0, 10, "z.cs"));

        PolicyRunResult claimGraph = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 4);
        PolicyRunResult serial = Simulator.Run(tasks, SimulationPolicy.Serial, agents: 4);
        PolicyRunResult limited = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2);

        Assert.Equal(3, claimGraph.PeakConcurrency);
        Assert.Equal(10 / Hour, claimGraph.MakespanHours, 9);
        Assert.Equal(30 / Hour, serial.MakespanHours, 9);
        Assert.Equal(1.0, serial.MakespanOverBound, 9); // serial's bound is all the work on one agent
        Assert.Equal(2, limited.PeakConcurrency);
        Assert.Equal(20 / Hour, limited.MakespanHours, 9);
        Assert.Equal(15 / Hour, limited.LowerBoundHours, 9); // 30 minutes of work on 2 agents
    }

    [Fact]
    public void Run_ClaimGraphSkipsABlockedTaskForALaterDisjointOne()
    {
        // b waits for a (same file); c arrives later, touches another file and starts at once on the free agent.
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 1, 10, "x.cs"), Task("c", 2, 10, "y.cs"));

        PolicyRunResult claimGraph = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2);
        PolicyRunResult fanOut = Simulator.Run(tasks, SimulationPolicy.FanOut, agents: 2);

        Assert.Equal(0, claimGraph.Conflicts);
        Assert.Equal(20 / Hour, claimGraph.MakespanHours, 9); // a 0-10, c 2-12, b 10-20
        Assert.Equal(9 / Hour, claimGraph.P95WaitHours, 9);   // b waited from 1 to 10
        Assert.Equal(0, claimGraph.LargestBypass);            // c overtook b, but their claims do not conflict
        Assert.Equal(1, fanOut.Conflicts);                    // b started at 1 on base 0 and collides with a
    }

    [Fact]
    public void Run_FanOutEarlierTaskRedoneAfterALaterOne_CountsAnOutOfOrderMerge()
    {
        // b arrives after a but merges x first; a's merge then conflicts and lands after b's.
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 1, 2, "x.cs"));

        PolicyRunResult fanOut = Simulator.Run(tasks, SimulationPolicy.FanOut, agents: 2);
        PolicyRunResult claimGraph = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2);

        Assert.Equal(1, fanOut.OutOfOrderMerges);
        Assert.Equal(0, claimGraph.OutOfOrderMerges);
    }

    [Fact]
    public void Run_BackfillOvertakesAWaitingRunBlockedOnlyByAWaitingRun_StrictDoesNot()
    {
        // a holds x; b (x, y) waits for a; c (y) conflicts only with the waiting b. Backfill starts c at once, past b.
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 1, 10, "x.cs", "y.cs"), Task("c", 2, 5, "y.cs"));
        var strict = new SimulationOptions { Policy = PolicyOptions.Default with { Reservation = ReservationMode.Strict } };

        PolicyRunResult backfill = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 3);
        PolicyRunResult fifo = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 3, strict);

        Assert.Equal(1, backfill.LargestBypass);
        Assert.Equal(1, backfill.OutOfOrderMerges);        // c merged y.cs before b, which arrived first
        Assert.Equal(20 / Hour, backfill.MakespanHours, 9); // a 0-10, c 2-7, b 10-20
        Assert.Equal(0, fifo.LargestBypass);
        Assert.Equal(0, fifo.OutOfOrderMerges);
        Assert.Equal(25 / Hour, fifo.MakespanHours, 9);     // c queues behind b: a 0-10, b 10-20, c 20-25
    }

    [Fact]
    public void Sweep_BypassCounts_NoneWithStrictReservationSomeWithASmallBudget()
    {
        var options = new SimulationOptions { AgentCounts = [4, 16], ConflictCosts = [1], Policies = [SimulationPolicy.ClaimGraph] };
        CommitHistory history = SyntheticHistory.Generate(new() { Commits = 200 });

        SimulationReport strict = Simulator.Sweep(history, options with { Policy = PolicyOptions.Default with { Reservation = ReservationMode.Strict } });
        SimulationReport small = Simulator.Sweep(history, options with { Policy = PolicyOptions.Default with { BypassBudget = 2 } });

        Assert.All(strict.Results, r => Assert.Equal(0, r.LargestBypass));
        Assert.All(strict.Results, r => Assert.Equal(0, r.OutOfOrderMerges));
        Assert.All(small.Results, r => Assert.True(r.LargestBypass >= 2, $"{r}"));
        Assert.All(small.Results, r => Assert.True(r.OutOfOrderMerges > 0, $"{r}"));
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

        PolicyRunResult narrow = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2, new SimulationOptions { ClaimGraphLookahead = 1 });
        PolicyRunResult unlimited = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2);

        Assert.Equal(3, narrow.Merged);
        Assert.Equal(8 / Hour, narrow.MedianWaitHours, 9); // waits a 0, b 9, c 8 (c requested only when b was admitted)
        Assert.Equal(0, unlimited.MedianWaitHours, 9);     // waits a 0, b 9, c 0
    }

    [Fact]
    public void Run_PolicyTemplate_AgentCountReplacesItsLimitAndLeasesAreOff()
    {
        var tasks = Tasks(Task("a", 0, 10, "x.cs"), Task("b", 0, 10, "y.cs"), Task("c", 0, 10, "z.cs"));
        var options = new SimulationOptions { Policy = new PolicyOptions { MaxActiveRuns = 1, LeaseDuration = 1 } };

        PolicyRunResult r = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 3, options);

        Assert.Equal(3, r.PeakConcurrency); // the template's limit of 1 is replaced by the agents
        Assert.Equal(0, r.Restarts);        // a 1 ms lease without heartbeats would cancel every run
        Assert.Equal(10 / Hour, r.MakespanHours, 9);
    }

    [Fact]
    public void Validate_InvalidPolicyTemplate_ListsItsProblem()
    {
        var options = new SimulationOptions { Policy = new PolicyOptions { MaxAttempts = 0 } };

        Assert.Contains(options.Validate(), p => p.Contains("MaxAttempts", StringComparison.Ordinal));
        Assert.Equal("Policy must not be null.", Assert.Single(new SimulationOptions { Policy = null! }.Validate()));
    }

    [Fact]
    public void Validate_NewOptionsOutOfRange_EachListed()
    {
        var options = new SimulationOptions
        {
            ConflictCosts = [1, 1.5],
            Mergeable = ["a//b"],
            MissingClaimShare = 1,
            UndeclaredFiles = (UndeclaredFileAction)9,
        };

        string[] problems = [.. options.Validate()];

        Assert.Equal(4, problems.Length);
        Assert.Contains(problems, p => p.StartsWith("ConflictCosts", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Mergeable holds 'a//b'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("MissingClaimShare", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("UndeclaredFiles", StringComparison.Ordinal));
        Assert.Single(new SimulationOptions { ConflictCosts = [] }.Validate());
    }

    [Fact]
    public void Run_BadArguments_Throw()
    {
        var tasks = Tasks(Task("a", 5, 10, "x.cs"), Task("b", 0, 10, "y.cs"));

        Assert.Throws<ArgumentOutOfRangeException>(() => Simulator.Run(tasks, SimulationPolicy.FanOut, 0));
        Assert.Throws<ArgumentException>(() => Simulator.Run(tasks, SimulationPolicy.FanOut, 1));
        Assert.Throws<ArgumentException>(() => Simulator.Run(Tasks(Task("a", 0, 1, "x"), Task("a", 0, 1, "y")), SimulationPolicy.FanOut, 1));
        Assert.Throws<ArgumentException>(() => Simulator.Run(Tasks(Task("a", 0, 1, "x")), SimulationPolicy.ClaimGraph, 1, new SimulationOptions { ClaimGraphLookahead = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Simulator.Run(Tasks(Task("a", 0, 1, "x")), SimulationPolicy.FanOut, 1, conflictCost: 1.1));
    }

    [Fact]
    public void Sweep_SyntheticHistory_ClaimGraphNeverConflictsAndAllMerge()
    {
        SimulationReport report = Simulator.Sweep(SyntheticHistory.Generate(new() { Commits = 200 }), new SimulationOptions { AgentCounts = [1, 4, 16], ConflictCosts = [1] });

        Assert.Equal(200, report.Tasks);
        Assert.Equal(9, report.Results.Length);
        Assert.All(report.Results, r => Assert.Equal(200, r.Merged));
        Assert.All(report.Results.Where(r => r.Policy != SimulationPolicy.FanOut), r => Assert.Equal(0, r.Conflicts));
        Assert.True(report.Find(SimulationPolicy.FanOut, 16)!.Conflicts > 0);
        Assert.Equal(0, report.Find(SimulationPolicy.FanOut, 1)!.Conflicts);
        Assert.True(report.Find(SimulationPolicy.ClaimGraph, 16)!.MergedPerHour > 2 * report.Find(SimulationPolicy.Serial, 16)!.MergedPerHour);
        Assert.All(report.Results.Where(r => r.Policy == SimulationPolicy.ClaimGraph), r => Assert.InRange(r.PeakConcurrency, 1, r.Agents));
        Assert.All(report.Results.Where(r => r.Policy != SimulationPolicy.FanOut), r => Assert.True(r.MakespanOverBound >= 1 - 1e-9, $"{r}"));
    }

    [Fact]
    public void Sweep_TwiceOnTheSameInput_ByteIdenticalJson()
    {
        CommitHistory history = SyntheticHistory.Generate(new() { Commits = 150, Seed = 7 });
        var options = new SimulationOptions { AgentCounts = [1, 2, 8], MissingClaimShare = 0.2 };

        string first = SimulationReportWriter.FormatJson(Simulator.Sweep(history, options));
        string second = SimulationReportWriter.FormatJson(Simulator.Sweep(SyntheticHistory.Generate(new() { Commits = 150, Seed = 7 }), options));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Sweep_SerialReportedForEveryAgentCountWithTheSameNumbers()
    {
        SimulationReport report = Simulator.Sweep(SyntheticHistory.Generate(new() { Commits = 50 }), new SimulationOptions { Policies = [SimulationPolicy.Serial], AgentCounts = [1, 8], ConflictCosts = [1] });

        Assert.Equal([1, 8], report.Results.Select(r => r.Agents));
        Assert.Equal(report.Results[0] with { Agents = 8 }, report.Results[1]);
    }

    [Fact]
    public void Sweep_ProgressCalledOncePerResultInReportOrder()
    {
        var seen = new List<PolicyRunResult>();

        SimulationReport report = Simulator.Sweep(SyntheticHistory.Generate(new() { Commits = 40 }), new SimulationOptions { AgentCounts = [1, 4] }, seen.Add);

        Assert.Equal(report.Results, seen);
        Assert.Equal(2 * 3 * 2, seen.Count);
        Assert.Equal([1.0, 0.5], seen.Select(r => r.ConflictCost).Distinct());
    }
}
