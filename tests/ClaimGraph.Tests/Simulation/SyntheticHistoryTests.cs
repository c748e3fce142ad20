using ClaimGraph.Simulation;

namespace ClaimGraph.Tests.Simulation;

public class SyntheticHistoryTests
{
    [Fact]
    public void Generate_SameSeed_SameHistory()
    {
        Assert.Equal(SyntheticHistory.Generate(), SyntheticHistory.Generate());
        Assert.NotEqual(SyntheticHistory.Generate(new() { Seed = 2 }).Commits[0], SyntheticHistory.Generate().Commits[0]);
    }

    [Fact]
    public void Generate_Defaults_HasTheDocumentedShape()
    {
        var options = new SyntheticHistoryOptions();
        CommitHistory history = SyntheticHistory.Generate(options);

        Assert.Equal("synthetic(seed=1)", history.Name);
        Assert.Equal(options.Commits, history.Commits.Length);
        Assert.Equal(options.Commits, history.Commits.Select(c => c.Sha).Distinct().Count());
        Assert.All(history.Commits, c => Assert.Matches("^[0-9a-f]{40}$", c.Sha));

        // Newest first, exponential gaps with the configured mean (loosely), author at or before committer time.
        Assert.True(history.Commits.Zip(history.Commits.Skip(1)).All(p => p.First.Time >= p.Second.Time));
        Assert.Equal(options.StartTime, history.Commits[^1].Time);
        double meanGap = (double)(history.Commits[0].Time - history.Commits[^1].Time) / (history.Commits.Length - 1);
        Assert.InRange(meanGap, options.MeanIntervalSeconds * 0.8, options.MeanIntervalSeconds * 1.2);
        Assert.All(history.Commits, c => Assert.InRange(c.Time - c.AuthorTime, 0, 3600));

        // Files: distinct, sorted, at most MaxFilesPerCommit plus one hot spot, in the tree or a hot spot.
        foreach (HistoryCommit c in history.Commits)
        {
            Assert.Equal(c.Files.Order(StringComparer.Ordinal), c.Files);
            Assert.Equal(c.Files.Length, c.Files.Distinct().Count());
            Assert.InRange(c.Files.Length, 1, options.MaxFilesPerCommit + 1);
            Assert.All(c.Files, f => Assert.True(options.HotSpots.Contains(f) || System.Text.RegularExpressions.Regex.IsMatch(f, @"^t[0-7](/d[0-2]){0,2}/f[0-5]\.cs$"), f));
        }

        double meanFiles = history.Commits.Average(c => c.Files.Count(f => !options.HotSpots.Contains(f)));
        Assert.InRange(meanFiles, 2.0, 3.2); // 3 drawn on average, fewer after duplicates collapse
        double hotShare = history.Commits.Count(c => c.Files.Any(options.HotSpots.Contains)) / (double)history.Commits.Length;
        Assert.InRange(hotShare, 0.10, 0.20);
    }

    [Fact]
    public void Generate_Skewed_PopularDirectoriesDominate()
    {
        CommitHistory history = SyntheticHistory.Generate(new() { Commits = 2000, HotSpotShare = 0, Locality = 1 });
        var perDirectory = history.Commits
            .GroupBy(c => c.Files[0][..c.Files[0].LastIndexOf('/')])
            .Select(g => g.Count())
            .OrderDescending()
            .ToList();

        // Zipf with exponent 1 over 104 directories: the top one gets ~19%, far above a uniform 1%.
        Assert.True(perDirectory[0] > 2000 * 0.10, $"top directory has {perDirectory[0]} commits");
    }

    [Fact]
    public void Generate_InvalidOptions_ListsEveryProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => SyntheticHistory.Generate(new() { Commits = 0, Locality = 2 }));

        Assert.Contains("Commits", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Locality", ex.Message, StringComparison.Ordinal);
    }
}
