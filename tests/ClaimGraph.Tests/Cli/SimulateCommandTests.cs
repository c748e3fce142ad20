using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ClaimGraph.Cli;
using ClaimGraph.Simulation;
using ClaimGraph.Tests.Simulation;

namespace ClaimGraph.Tests.Cli;

public sealed class SimulateCommandTests : IDisposable
{
    /// <summary>A tiny run: 40 synthetic commits, three agent counts.</summary>
    private static readonly string[] Tiny = ["simulate", "--commits", "40", "--agents", "1,2,4", "--seed", "7"];

    private readonly string _root = SimulationFixtures.TempDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Simulate_SameSeed_IdenticalJson()
    {
        CliRun first = CliRun.Of([.. Tiny, "--json", "--quiet"]);
        CliRun second = CliRun.Of([.. Tiny, "--json", "--quiet"]);
        CliRun otherSeed = CliRun.Of("simulate", "--commits", "40", "--agents", "1,2,4", "--seed", "8", "--json", "--quiet");

        Assert.Equal(CliApp.ExitSuccess, first.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.NotEqual(first.Stdout, otherSeed.Stdout);
        Assert.Equal(string.Empty, first.Stderr);
    }

    [Fact]
    public void Simulate_Json_EqualsOneSweepOfTheLibrary()
    {
        CliRun run = CliRun.Of([.. Tiny, "--json", "--granularity", "directory", "--lookahead", "3", "--quiet"]);
        CommitHistory history = SyntheticHistory.Generate(new SyntheticHistoryOptions { Commits = 40, Seed = 7 });
        SimulationReport report = Simulator.Sweep(history, new SimulationOptions
        {
            AgentCounts = [1, 2, 4],
            Granularity = ClaimGranularity.Directory,
            ClaimGraphLookahead = 3,
            Seed = 7,
        });

        Assert.Equal(SimulationReportWriter.FormatJson(report), run.Stdout);
    }

    [Fact]
    public void Simulate_ClaimGraphPolicy_NeverConflicts()
    {
        JsonElement report = JsonDocument.Parse(CliRun.Of([.. Tiny, "--json", "--quiet"]).Stdout).RootElement;
        JsonElement[] results = [.. report.GetProperty("results").EnumerateArray()];

        Assert.Equal(9, results.Length);
        Assert.Equal(["fan-out", "serial", "claimgraph"], results.Select(r => r.GetProperty("policy").GetString()).Distinct());
        foreach (JsonElement result in results.Where(r => r.GetProperty("policy").GetString() == "claimgraph"))
        {
            Assert.Equal(0, result.GetProperty("conflicts").GetInt32());
            Assert.Equal(40, result.GetProperty("merged").GetInt32());
        }

        // The comparison means something only if unmanaged fan-out does conflict on this history.
        Assert.Contains(results, r => r.GetProperty("policy").GetString() == "fan-out" && r.GetProperty("conflicts").GetInt32() > 0);
    }

    [Fact]
    public void Simulate_Table_PrintsOneRowPerPolicyAndAgentCount()
    {
        CliRun run = CliRun.Of(Tiny);

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.StartsWith("history synthetic(seed=7): 40 commits", run.Lines[0], StringComparison.Ordinal);
        Assert.Single(run.Lines, l => l.StartsWith("policy ", StringComparison.Ordinal));
        Assert.Equal(3, run.Lines.Count(l => l.StartsWith("claimgraph ", StringComparison.Ordinal)));

        // Progress: one line per policy and agent count, on standard error.
        string[] progress = run.Stderr.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(9, progress.Length);
        Assert.All(progress, l => Assert.StartsWith("simulate: ", l, StringComparison.Ordinal));
        Assert.StartsWith("simulate: claimgraph with 4 agents: 40/40 merged, 0 conflicts", progress[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_ChartAndOut_WriteFiles()
    {
        string chart = Path.Combine(_root, "charts", "sim.svg");
        string outDir = Path.Combine(_root, "out");

        CliRun run = CliRun.Of([.. Tiny, "--quiet", "--chart", chart, "--out", outDir]);

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.StartsWith("<svg ", File.ReadAllText(chart), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(chart), File.ReadAllText(Path.Combine(outDir, "simulation.svg")));
        Assert.Equal(run.Stdout, File.ReadAllText(Path.Combine(outDir, "simulation.txt")));
        Assert.Equal(CliRun.Of([.. Tiny, "--quiet", "--json"]).Stdout, File.ReadAllText(Path.Combine(outDir, "simulation.json")));
    }

    [Fact]
    public void Simulate_HistoryFile_ReplaysItsNewestCommits()
    {
        string plain = WriteHistory("h.jsonl", gzip: false);
        string gzipped = WriteHistory("h.jsonl.gz", gzip: true);

        JsonElement all = Json(CliRun.Of("simulate", "--history", plain, "--commits", "0", "--agents", "2", "--json", "-q"));
        JsonElement newest = Json(CliRun.Of("simulate", "--history", gzipped, "--commits", "3", "--agents", "2", "--json", "-q"));

        Assert.Equal("h.jsonl", all.GetProperty("source").GetString());
        Assert.Equal(5, all.GetProperty("commits").GetInt32());
        Assert.Equal(3, newest.GetProperty("commits").GetInt32());
        Assert.Equal(3, newest.GetProperty("options").GetProperty("maxCommits").GetInt32());
    }

    [Fact]
    public void Simulate_GitRepository_ReplaysItsCommits()
    {
        string repo = Path.Combine(_root, "repo");
        Directory.CreateDirectory(repo);
        SimulationFixtures.Git(repo, 1_700_000_000, "init", "-q");
        for (int i = 0; i < 3; i++)
        {
            File.WriteAllText(Path.Combine(repo, $"f{i}.txt"), "x");
            SimulationFixtures.Git(repo, 1_700_000_000 + (i * 600), "add", ".");
            SimulationFixtures.Git(repo, 1_700_000_000 + (i * 600), "commit", "-q", "-m", $"c{i}");
        }

        JsonElement report = Json(CliRun.Of("simulate", "--repo", repo, "--agents", "1,2", "--json", "-q"));

        Assert.Equal(3, report.GetProperty("commits").GetInt32());
        Assert.Equal(3, report.GetProperty("tasks").GetInt32());
    }

    [Fact]
    public void Simulate_MissingHistoryFile_IsBadInput()
    {
        string missing = Path.Combine(_root, "missing.jsonl");

        CliRun run = CliRun.Of("simulate", "--history", missing);

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains(missing, run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        run.AssertNoStackTrace();
    }

    [Fact]
    public void Simulate_BadHistoryLine_NamesFileAndLine()
    {
        string path = Path.Combine(_root, "bad.jsonl");
        File.WriteAllText(path, "{\"sha\":\"a1\",\"time\":100,\"files\":[\"x\"]}\n{\"sha\":\"a0\",\"files\":[\"y\"]}\n");

        CliRun run = CliRun.Of("simulate", "--history", path);

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.StartsWith($"claimgraph: {path}:2: the field 'time' is missing (MissingField)", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Simulate_NotAGitRepository_IsBadInput()
    {
        CliRun run = CliRun.Of("simulate", "--repo", _root, "-q");

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        Assert.Contains("(GitFailed)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(_root, run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--agents", "0")]
    [InlineData("--agents", "1,,2")]
    [InlineData("--granularity", "dir")]
    [InlineData("--commits", "-1")]
    [InlineData("--lookahead", "0")]
    public void Simulate_BadOption_IsUsageError(string option, string value)
    {
        CliRun.Of("simulate", option, value).AssertUsageError();
    }

    [Fact]
    public void Simulate_HistoryAndRepo_IsUsageError()
    {
        CliRun.Of("simulate", "--history", "a.jsonl", "--repo", ".").AssertUsageError();
        CliRun.Of("simulate", "--commits", "0").AssertUsageError();
    }

    /// <summary>Five commits, newest first, in the corpus format.</summary>
    private string WriteHistory(string name, bool gzip)
    {
        var text = new StringBuilder();
        for (int i = 4; i >= 0; i--)
        {
            text.Append($"{{\"sha\":\"c{i}\",\"time\":{1_700_000_000 + (i * 3600)},\"files\":[\"src/f{i % 2}.cs\",\"docs/d{i}.md\"]}}\n");
        }

        string path = Path.Combine(_root, name);
        byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
        using FileStream file = File.Create(path);
        if (gzip)
        {
            using var zip = new GZipStream(file, CompressionLevel.Fastest);
            zip.Write(bytes);
        }
        else
        {
            file.Write(bytes);
        }

        return path;
    }

    private static JsonElement Json(CliRun run)
    {
        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        return JsonDocument.Parse(run.Stdout).RootElement.Clone();
    }
}
