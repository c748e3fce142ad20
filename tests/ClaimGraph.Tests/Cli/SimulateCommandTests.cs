using System.Globalization;
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
        CliRun run = CliRun.Of(
        [
            .. Tiny, "--json", "--granularity", "directory", "--lookahead", "3", "--conflict-cost", "1,0.25", "--max-claim-entries", "4",
            "--mergeable", "**/*.md", "--mergeable", "default", "--missing-claims", "0.2", "--undeclared", "silent", "--quiet",
        ]);
        CommitHistory history = SyntheticHistory.Generate(new SyntheticHistoryOptions { Commits = 40, Seed = 7 });
        SimulationReport report = Simulator.Sweep(history, new SimulationOptions
        {
            AgentCounts = [1, 2, 4],
            Granularity = ClaimGranularity.Directory,
            ClaimGraphLookahead = 3,
            ConflictCosts = [1, 0.25],
            MaxClaimEntries = 4,
            Mergeable = ["**/*.md", .. MergeableFiles.Defaults],
            MissingClaimShare = 0.2,
            UndeclaredFiles = UndeclaredFileAction.ChangeSilently,
            Seed = 7,
        });

        Assert.Equal(SimulationReportWriter.FormatJson(report), run.Stdout);
    }

    [Fact]
    public void Simulate_ClaimGraphPolicy_NeverConflicts()
    {
        JsonElement report = JsonDocument.Parse(CliRun.Of([.. Tiny, "--json", "--quiet"]).Stdout).RootElement;
        JsonElement[] results = [.. report.GetProperty("results").EnumerateArray()];

        Assert.Equal(18, results.Length);
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
        Assert.Equal(2, run.Lines.Count(l => l.StartsWith("policy ", StringComparison.Ordinal))); // one table per conflict cost
        Assert.Equal(6, run.Lines.Count(l => l.StartsWith("claimgraph ", StringComparison.Ordinal)));

        // Progress: one line per conflict cost, policy and agent count, on standard error.
        string[] progress = run.Stderr.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(18, progress.Length);
        Assert.All(progress, l => Assert.StartsWith("simulate: ", l, StringComparison.Ordinal));
        Assert.StartsWith("simulate: claimgraph with 4 agents, conflict cost 0.5: 40/40 merged, 0 conflicts", progress[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_ChartAndOut_WriteFiles()
    {
        string chart = Path.Combine(_root, "charts", "sim.svg");
        string outDir = Path.Combine(_root, "out");

        CliRun run = CliRun.Of([.. Tiny, "--quiet", "--chart", chart, "-o", outDir]);

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
    public void Simulate_GitRepositoryWithMerges_SaysWhatItLeftOutAndWhy()
    {
        string repo = Path.Combine(_root, "merges");
        Directory.CreateDirectory(repo);
        long time = 1_700_000_000;
        void Commit(string file, string message)
        {
            File.WriteAllText(Path.Combine(repo, file), message);
            SimulationFixtures.Git(repo, time += 600, "add", ".");
            SimulationFixtures.Git(repo, time, "commit", "-q", "-m", message);
        }

        SimulationFixtures.Git(repo, time, "init", "-q", "-b", "main");
        Commit("a.txt", "a");
        SimulationFixtures.Git(repo, time, "checkout", "-q", "-b", "side");
        Commit("b.txt", "b");
        SimulationFixtures.Git(repo, time, "checkout", "-q", "main");
        Commit("c.txt", "c");
        SimulationFixtures.Git(repo, time += 600, "merge", "-q", "--no-ff", "-m", "merge side", "side");
        SimulationFixtures.Git(repo, time += 600, "commit", "-q", "--allow-empty", "-m", "empty");

        CliRun run = CliRun.Of("simulate", "--repo", repo, "--agents", "2", "--conflict-cost", "1");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.StartsWith("history " + repo + ": 3 commits", run.Lines[0], StringComparison.Ordinal);
        Assert.StartsWith(
            $"simulate: {repo}: read 3 commits; left out 1 merge commit (a merge's changes are those of the commits it merges, replayed on their own) and 1 commit that change no file",
            run.Stderr,
            StringComparison.Ordinal);
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
    [InlineData("--agents", "99999999999")]
    [InlineData("--granularity", "dir")]
    [InlineData("--commits", "-1")]
    [InlineData("--lookahead", "0")]
    [InlineData("--lookahead", "some")]
    [InlineData("--conflict-cost", "1.5")]
    [InlineData("--conflict-cost", "-0.5")]
    [InlineData("--conflict-cost", "half")]
    [InlineData("--max-claim-entries", "0")]
    [InlineData("--mergeable", "a//b")]
    [InlineData("--missing-claims", "1")]
    [InlineData("--missing-claims", "x")]
    [InlineData("--undeclared", "ignore")]
    [InlineData("--seed", "-1")]
    [InlineData("--bypass-budget", "-1")]
    [InlineData("--reservation", "fifo")]
    public void Simulate_BadOption_IsUsageError(string option, string value)
    {
        CliRun run = CliRun.Of("simulate", option, value);

        run.AssertUsageError();
        Assert.Contains(option is "--granularity" or "--undeclared" or "--reservation" ? value : option, run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Values that crashed the command (exit 134 with a stack trace, or "internal error" with exit 1).</summary>
    [Theory]
    [InlineData("--commits", "abc")]
    [InlineData("--commits", "99999999999")]
    [InlineData("--lookahead", "99999999999")]
    [InlineData("--commits", "2147483647")]
    [InlineData("--history", "")]
    [InlineData("--repo", "")]
    public void Simulate_ValueThatCrashedBefore_IsAOneLineUsageError(string option, string value)
    {
        CliRun run = CliRun.Of("simulate", option, value, "-q");

        run.AssertUsageError();
        Assert.Contains(option, run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Split('\n'), l => l.StartsWith("claimgraph: ", StringComparison.Ordinal));
        Assert.DoesNotContain("internal error", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_CorruptGzipHistory_IsBadInputNamingTheFile()
    {
        byte[] valid = File.ReadAllBytes(WriteHistory("good.jsonl.gz", gzip: true));
        byte[] corrupt = [.. valid[..10], .. Enumerable.Repeat((byte)0xff, 40)];
        string path = Path.Combine(_root, "corrupt.jsonl.gz");
        File.WriteAllBytes(path, corrupt);

        CliRun run = CliRun.Of("simulate", "--history", path, "-q");

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.StartsWith($"claimgraph: {path}:1: the gzip data does not decompress: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("(InvalidCompression)", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        run.AssertNoStackTrace();
    }

    [Theory]
    [InlineData("out.png")]
    [InlineData("out.PNG")]
    [InlineData("out")]
    public void Simulate_ChartNotSvg_IsRefusedBeforeAnythingRuns(string name)
    {
        string chart = Path.Combine(_root, name);

        CliRun run = CliRun.Of([.. Tiny, "--chart", chart]);

        run.AssertUsageError();
        Assert.Contains("--chart writes SVG only", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(chart));
    }

    [Fact]
    public void Simulate_HistoryAndRepo_IsUsageError()
    {
        CliRun.Of("simulate", "--history", "a.jsonl", "--repo", ".").AssertUsageError();
        CliRun.Of("simulate", "--commits", "0").AssertUsageError();
    }

    [Fact]
    public void Simulate_PolicyOptions_ReachTheSimulatedPolicy()
    {
        JsonElement strict = Json(CliRun.Of([.. Tiny, "--reservation", "strict", "--json", "-q"]));
        JsonElement budget = Json(CliRun.Of([.. Tiny, "--bypass-budget", "3", "--json", "-q"]));
        JsonElement defaults = Json(CliRun.Of([.. Tiny, "--json", "-q"]));

        Assert.Equal("strict", strict.GetProperty("options").GetProperty("policy").GetProperty("reservation").GetString());
        Assert.Equal(3, budget.GetProperty("options").GetProperty("policy").GetProperty("bypassBudget").GetInt32());
        Assert.Equal("backfill", defaults.GetProperty("options").GetProperty("policy").GetProperty("reservation").GetString());
        Assert.Equal(64, defaults.GetProperty("options").GetProperty("policy").GetProperty("bypassBudget").GetInt32());
        Assert.All(strict.GetProperty("results").EnumerateArray(), r => Assert.Equal(0, r.GetProperty("largestBypass").GetInt32()));
    }

    [Fact]
    public void Simulate_UnlimitedOptions_AcceptTheirWords()
    {
        JsonElement report = Json(CliRun.Of([.. Tiny, "--lookahead", "all", "--max-claim-entries", "none", "--mergeable", "none", "--json", "-q"]));
        JsonElement options = report.GetProperty("options");

        Assert.Equal(JsonValueKind.Null, options.GetProperty("claimGraphLookahead").ValueKind);
        Assert.Equal(JsonValueKind.Null, options.GetProperty("maxClaimEntries").ValueKind);
        Assert.Equal(0, options.GetProperty("mergeable").GetArrayLength());
    }

    /// <summary>Five commits, newest first, in the corpus format.</summary>
    private string WriteHistory(string name, bool gzip)
    {
        var text = new StringBuilder();
        for (int i = 4; i >= 0; i--)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"sha\":\"c{i}\",\"time\":{1_700_000_000 + (i * 3600)},\"files\":[\"src/f{i % 2}.cs\",\"docs/d{i}.md\"]}}\n");
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
