using ClaimGraph.Simulation;
using static ClaimGraph.Tests.Simulation.SimulationFixtures;

namespace ClaimGraph.Tests.Simulation;

public class MergeableFilesTests
{
    [Theory]
    [InlineData("go.sum", true)]
    [InlineData("cmd/otelcorecol/go.mod", true)]
    [InlineData("web/ui/package-lock.json", true)]
    [InlineData("src/Resources/xlf/Strings.de.xlf", true)]
    [InlineData("CHANGELOG.md", true)]
    [InlineData("go.summary", false)]
    [InlineData("docs/changelog.md", false)]
    [InlineData("package.json", false)]
    public void Defaults_MatchLockFilesModuleFilesTranslationsAndChangelogs(string path, bool mergeable)
    {
        Assert.Equal(mergeable, MergeableFiles.Parse(MergeableFiles.Defaults).Contains(path));
    }

    [Fact]
    public void Validate_InvalidGlob_Listed()
    {
        Assert.Empty(MergeableFiles.Validate(MergeableFiles.Defaults));
        Assert.StartsWith("Mergeable holds '**.lock'", Assert.Single(MergeableFiles.Validate(["**.lock", "*.lock"])), StringComparison.Ordinal);
    }

    [Fact]
    public void FromHistory_MergeableFile_ClaimedAppendAndListed()
    {
        CommitHistory history = OldestFirst(Commit("a", 100, "src/x.go", "go.sum"));

        SimulationTask task = Assert.Single(SimulationTask.FromHistory(history));
        SimulationTask strict = Assert.Single(SimulationTask.FromHistory(history, new SimulationOptions { Mergeable = [] }));

        Assert.Equal(["append go.sum", "write src/x.go"], task.Claims.ToArray());
        Assert.Equal(["go.sum"], task.Mergeable.ToArray());
        Assert.Equal(["write go.sum", "write src/x.go"], strict.Claims.ToArray());
        Assert.Empty(strict.Mergeable);
    }

    [Theory]
    [InlineData(SimulationPolicy.FanOut)]
    [InlineData(SimulationPolicy.ClaimGraph)]
    public void Run_TwoTasksSharingOnlyAMergeableFile_RunTogetherWithoutConflict(SimulationPolicy policy)
    {
        CommitHistory history = OldestFirst(Commit("a", 0, "x.go", "go.sum"), Commit("b", 0, "y.go", "go.sum"));
        var options = new SimulationOptions { Duration = new DurationModel { BaseMinutes = 10, PerFileMinutes = 0, Variation = 0 } };

        PolicyRunResult mergeable = Simulator.Run(SimulationTask.FromHistory(history, options), policy, agents: 2, options);
        PolicyRunResult exclusive = Simulator.Run(SimulationTask.FromHistory(history, options with { Mergeable = [] }), policy, agents: 2, options);

        Assert.Equal(0, mergeable.Conflicts);
        Assert.Equal(2, mergeable.PeakConcurrency);
        Assert.Equal(10 / Hour, mergeable.MakespanHours, 9);
        Assert.Equal(20 / Hour, exclusive.MakespanHours, 9); // ClaimGraph serialises them; fan-out redoes one
        Assert.Equal(policy == SimulationPolicy.FanOut ? 1 : 0, exclusive.Conflicts);
    }
}
