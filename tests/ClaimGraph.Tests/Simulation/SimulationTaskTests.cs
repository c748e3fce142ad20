using ClaimGraph.Claims;
using ClaimGraph.Simulation;
using static ClaimGraph.Tests.Simulation.SimulationFixtures;

namespace ClaimGraph.Tests.Simulation;

public class SimulationTaskTests
{
    [Theory]
    [InlineData(ClaimGranularity.File, new[] { "write README.md", "write src/app/a.cs", "write src/app/b.cs", "write src/lib/c.cs" })]
    [InlineData(ClaimGranularity.Directory, new[] { "write README.md", "write src/app/", "write src/lib/" })]
    [InlineData(ClaimGranularity.TopLevelDirectory, new[] { "write README.md", "write src/" })]
    public void ClaimLines_Granularity_CoversEveryFileAtThatLevel(ClaimGranularity granularity, string[] expected)
    {
        string[] files = ["src/lib/c.cs", "src/app/b.cs", "README.md", "src/app/a.cs"];

        var lines = SimulationTask.ClaimLines(files, granularity);

        Assert.Equal(expected, lines.ToArray());
        ClaimSet claims = ClaimSet.Parse(string.Join('\n', lines));
        Assert.All(files, f => Assert.True(claims.Entries.Any(e => e.Pattern.Covers(f)), f));
    }

    [Fact]
    public void ClaimLines_MoreEntriesThanTheLimit_CoarsensStepByStep()
    {
        string[] files = ["a/x/1.cs", "a/x/2.cs", "a/y/3.cs", "b/4.cs"];

        Assert.Equal(4, SimulationTask.ClaimLines(files, ClaimGranularity.File, maxEntries: 4).Length);
        Assert.Equal(["write a/x/", "write a/y/", "write b/"], SimulationTask.ClaimLines(files, ClaimGranularity.File, maxEntries: 3).ToArray());
        Assert.Equal(["write a/", "write b/"], SimulationTask.ClaimLines(files, ClaimGranularity.File, maxEntries: 2).ToArray());
        Assert.Equal(["write a/", "write b/"], SimulationTask.ClaimLines(files, ClaimGranularity.File, maxEntries: 1).ToArray()); // never a barrier
        Assert.Equal(4, SimulationTask.ClaimLines(files, ClaimGranularity.File, maxEntries: null).Length);
    }

    [Fact]
    public void ClaimLines_GlobMetacharacters_EscapedToClaimExactlyThePath()
    {
        string path = "docs/[draft] {a,b}*?!:x.md";

        string line = Assert.Single(SimulationTask.ClaimLines([path], ClaimGranularity.File));
        ClaimSet claims = ClaimSet.Parse(line);

        ClaimEntry entry = Assert.Single(claims.Entries);
        Assert.True(entry.Pattern.IsMatch(path));
        Assert.False(entry.Pattern.IsMatch("docs/d a*?!:x.md"));
    }

    [Fact]
    public void FromHistory_OldestFirstWithCompressedArrivalsFromZero()
    {
        CommitHistory history = OldestFirst(Commit("a", 1_000, "x"), Commit("b", 1_000, "y"), Commit("c", 4_600, "z"));

        var tasks = SimulationTask.FromHistory(history, new SimulationOptions { TimeCompression = 10 });

        Assert.Equal(["a", "b", "c"], tasks.Select(t => t.Sha));
        Assert.Equal(["t00001", "t00002", "t00003"], tasks.Select(t => t.Id));
        Assert.Equal([0L, 0, 360_000], tasks.Select(t => t.Arrival)); // 3,600 s / 10 = 6 minutes
    }

    [Fact]
    public void FromHistory_AuthorTimes_ReorderByAuthorTime()
    {
        CommitHistory history = OldestFirst(new HistoryCommit("a", 100, 90, ["x"]), new HistoryCommit("b", 200, 50, ["y"]));

        var tasks = SimulationTask.FromHistory(history, new SimulationOptions { ArrivalTime = ArrivalTimeSource.Author, TimeCompression = 1 });

        Assert.Equal(["b", "a"], tasks.Select(t => t.Sha));
        Assert.Equal([0L, 40_000], tasks.Select(t => t.Arrival));
    }

    [Fact]
    public void FromHistory_MaxCommits_KeepsTheNewest()
    {
        CommitHistory history = OldestFirst(Commit("a", 1, "x"), Commit("b", 2, "y"), Commit("c", 3, "z"));

        var tasks = SimulationTask.FromHistory(history, new SimulationOptions { MaxCommits = 2 });

        Assert.Equal(["b", "c"], tasks.Select(t => t.Sha));
    }

    [Fact]
    public void FromHistory_InvalidAndDuplicatePaths_LeftOutAndEmptyCommitsDropped()
    {
        CommitHistory history = OldestFirst(Commit("a", 1, "b.cs", "a/../x", "b.cs", " lead", "a.cs"), Commit("b", 2, "a//b", "./c"));

        SimulationTask task = Assert.Single(SimulationTask.FromHistory(history));

        Assert.Equal(["a.cs", "b.cs"], task.Files.ToArray());
        Assert.Equal(["write a.cs", "write b.cs"], task.Claims.ToArray());
    }

    [Fact]
    public void FromHistory_Durations_FollowTheModelAndTheSeed()
    {
        CommitHistory history = SyntheticHistory.Generate(new() { Commits = 200 });
        var model = new DurationModel();

        var tasks = SimulationTask.FromHistory(history);
        var reseeded = SimulationTask.FromHistory(history, new SimulationOptions { Seed = 99 });

        Assert.Equal(tasks.ToArray(), SimulationTask.FromHistory(history).ToArray());
        Assert.NotEqual(tasks.Select(t => t.Duration), reseeded.Select(t => t.Duration));
        Assert.All(tasks, t =>
        {
            double mean = (model.BaseMinutes + (model.PerFileMinutes * Math.Min(t.Files.Length, model.MaxCountedFiles))) * Minute;
            Assert.InRange(t.Duration, (long)(mean * 0.5) - 1, (long)(mean * 1.5) + 1);
        });
    }

    [Fact]
    public void FromHistory_InvalidOptions_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => SimulationTask.FromHistory(SyntheticHistory.Generate(), new SimulationOptions { TimeCompression = 0, AgentCounts = [0] }));

        Assert.Contains("TimeCompression", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AgentCounts", ex.Message, StringComparison.Ordinal);
    }
}
