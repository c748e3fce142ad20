using ClaimGraph.Claims;
using ClaimGraph.Simulation;
using static ClaimGraph.Tests.Simulation.SimulationFixtures;

namespace ClaimGraph.Tests.Simulation;

/// <summary>Footprint uncertainty: declared claims that leave files out, amendments and violations.</summary>
public class FootprintTests
{
    /// <summary>A task that changes x.cs and y.cs but declares only x.cs, and finds y.cs halfway.</summary>
    private static SimulationTask Partial(string id, long arrival, long minutes) =>
        Task(id, arrival, minutes, "x.cs", "y.cs") with { Claims = ["write x.cs"], Undeclared = [new UndeclaredFile("y.cs", "write y.cs", 0.5)] };

    [Fact]
    public void Run_UndeclaredFileNobodyHolds_AmendmentGranted()
    {
        PolicyRunResult r = Simulator.Run(Tasks(Partial("a", 0, 10)), SimulationPolicy.ClaimGraph, agents: 1);

        Assert.Equal(1, r.AmendmentsGranted);
        Assert.Equal(0, r.AmendmentsDenied);
        Assert.Equal(0, r.ClaimViolations);
        Assert.Equal(10 / Hour, r.MakespanHours, 9);
    }

    [Fact]
    public void Run_UndeclaredFileAnActiveRunHolds_DeniedStoppedAndRequestedAgain()
    {
        // a asks for y.cs at 5 while b holds it: denied, a stops (5 minutes lost) and runs again after b, 20-30.
        var tasks = Tasks(Partial("a", 0, 10), Task("b", 0, 20, "y.cs"));

        PolicyRunResult r = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2);

        Assert.Equal(0, r.AmendmentsGranted);
        Assert.Equal(1, r.AmendmentsDenied);
        Assert.Equal(1, r.Restarts);
        Assert.Equal(0, r.Conflicts);
        Assert.Equal(5 / Hour, r.WastedAgentHours, 9);
        Assert.Equal(30 / Hour, r.MakespanHours, 9);
        Assert.Equal(2, r.Merged);
    }

    [Fact]
    public void Run_StoppedTaskRequestedAgain_OvertakenByALaterConflictingTaskCountsABypass()
    {
        // c (x.cs) arrives at 3 and waits for a; a is denied at 5 and requested again behind c, which starts at once.
        var tasks = Tasks(Partial("a", 0, 10), Task("b", 0, 20, "y.cs"), Task("c", 3, 10, "x.cs"));

        PolicyRunResult r = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 3);

        Assert.Equal(1, r.AmendmentsDenied);
        Assert.Equal(1, r.LargestBypass);
        Assert.Equal(30 / Hour, r.MakespanHours, 9); // c 5-15, b 0-20, a 20-30
        Assert.Equal(1, r.OutOfOrderMerges);         // c merged x.cs before a, which arrived first
    }

    [Fact]
    public void Run_ChangedSilently_ViolationCancelsTheRunThatHeldTheFile()
    {
        // a merges y.cs at 10 without a claim: ClaimViolation, and b (holding y.cs) is cancelled as stale and redone 10-30.
        var tasks = Tasks(Partial("a", 0, 10), Task("b", 0, 20, "y.cs"));
        var options = new SimulationOptions { UndeclaredFiles = UndeclaredFileAction.ChangeSilently };

        PolicyRunResult r = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2, options);
        PolicyRunResult half = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2, options, conflictCost: 0.5);

        Assert.Equal(1, r.ClaimViolations);
        Assert.Equal(1, r.StaleCancels);
        Assert.Equal(0, r.AmendmentsGranted + r.AmendmentsDenied);
        Assert.Equal(10 / Hour, r.WastedAgentHours, 9);
        Assert.Equal(30 / Hour, r.MakespanHours, 9);
        Assert.Equal(5 / Hour, half.WastedAgentHours, 9); // half of b's 10 minutes is lost; its retry needs 15: 10-25
        Assert.Equal(25 / Hour, half.MakespanHours, 9);
    }

    [Fact]
    public void Run_ChangedSilentlyAfterAnotherMergeOfTheFile_MergeConflictAndRetry()
    {
        // b merges y.cs at 5; a (base 0) changed y.cs too without a claim: its merge at 10 conflicts, and it is retried.
        var tasks = Tasks(Partial("a", 0, 10), Task("b", 0, 5, "y.cs"));
        var options = new SimulationOptions { UndeclaredFiles = UndeclaredFileAction.ChangeSilently };

        PolicyRunResult r = Simulator.Run(tasks, SimulationPolicy.ClaimGraph, agents: 2, options);

        Assert.Equal(1, r.Conflicts);
        Assert.Equal(2, r.Merged);
        Assert.Equal(1, r.ClaimViolations); // the retry's merge still changes y.cs outside the claims
        Assert.InRange(r.MakespanHours, 20 / Hour, 21 / Hour); // the retry waits out a backoff of about 10 s first
    }

    [Fact]
    public void FromHistory_MissingShare_LeavesFilesOutButNeverAllAndCoversTheRest()
    {
        string[] files = [.. Enumerable.Range(0, 40).Select(i => $"src/f{i:D2}.cs"), "go.sum"];
        CommitHistory history = OldestFirst(Commit("a", 0, files), Commit("b", 10, "only.cs"));

        var tasks = SimulationTask.FromHistory(history, new SimulationOptions { MissingClaimShare = 0.25 });

        SimulationTask task = tasks[0];
        Assert.InRange(task.Undeclared.Length, 4, 18);
        Assert.Equal(task.Files.Length, task.Claims.Length + task.Undeclared.Length);
        ClaimSet declared = ClaimSet.Parse(string.Join('\n', task.Claims));
        Assert.All(task.Undeclared, u => Assert.False(declared.AllowsChange(u.Path)));
        Assert.All(task.Undeclared, u => Assert.Equal((u.Path == "go.sum" ? "append " : "write ") + u.Path, u.ClaimLine));
        Assert.Equal(task.Undeclared.OrderBy(u => u.FoundAt), task.Undeclared);
        Assert.Equal(["write only.cs"], tasks[1].Claims.ToArray()); // one file: always declared
        Assert.Equal(tasks.ToArray(), SimulationTask.FromHistory(history, new SimulationOptions { MissingClaimShare = 0.25 }).ToArray());
    }

    [Fact]
    public void Sweep_MissingClaims_AmendmentsHappenAndEveryTaskMerges()
    {
        SimulationReport report = Simulator.Sweep(
            SyntheticHistory.Generate(new() { Commits = 120 }),
            new SimulationOptions { AgentCounts = [4], ConflictCosts = [1], Policies = [SimulationPolicy.ClaimGraph], MissingClaimShare = 0.3 });

        PolicyRunResult r = Assert.Single(report.Results);
        Assert.True(r.AmendmentsGranted + r.AmendmentsDenied > 0, $"{r}");
        Assert.Equal(120, r.Merged);
        Assert.Equal(r.AmendmentsDenied, r.Restarts - r.Conflicts - r.StaleCancels);
    }
}
