using System.IO.Compression;
using System.Text;
using ClaimGraph.Simulation;
using static ClaimGraph.Tests.Simulation.SimulationFixtures;

namespace ClaimGraph.Tests.Simulation;

public class CommitHistoryTests
{
    private const string TwoCommits =
        "{\"sha\":\"bbb\",\"time\":200,\"author_time\":150,\"files\":[\"src/b.cs\",\"README.md\"],\"parents\":1}\n" +
        "\n" +
        "{\"sha\":\"aaa\",\"time\":100,\"author_time\":100,\"files\":[\"src/a.cs\"],\"parents\":1}\n";

    private static CommitHistory Read(string text) => CommitHistory.ReadJsonLines(new MemoryStream(Encoding.UTF8.GetBytes(text)), "h.jsonl");

    [Fact]
    public void ReadJsonLines_PlainText_ReadsCommitsNewestFirstSkippingBlankLines()
    {
        CommitHistory history = Read(TwoCommits);

        Assert.Equal("h.jsonl", history.Name);
        Assert.Equal(2, history.Commits.Length);
        Assert.Equal(new HistoryCommit("bbb", 200, 150, ["src/b.cs", "README.md"]), history.Commits[0]);
        Assert.Equal(new HistoryCommit("aaa", 100, 100, ["src/a.cs"]), history.Commits[1]);
    }

    [Fact]
    public void ReadJsonLines_Gzip_DetectedByMagicBytes()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(TwoCommits));
        }

        compressed.Position = 0;
        CommitHistory history = CommitHistory.ReadJsonLines(compressed, "h.jsonl.gz");

        Assert.Equal(Read(TwoCommits).Commits.ToArray(), history.Commits.ToArray());
    }

    [Fact]
    public void ReadJsonLines_OptionalFieldsMissing_TakesDefaults()
    {
        HistoryCommit commit = Read("{\"sha\":\"a\",\"time\":7,\"files\":[\"x\"]}").Commits[0];

        Assert.Equal(7, commit.AuthorTime);
        Assert.Equal(1, commit.Parents);
    }

    [Theory]
    [InlineData("{\"sha\":\"a\",\"time\":1,\"files\":[\"x\"]}\nnot json", HistoryErrorCode.InvalidJson, 2)]
    [InlineData("[1,2]", HistoryErrorCode.InvalidJson, 1)]
    [InlineData("{\"time\":1,\"files\":[\"x\"]}", HistoryErrorCode.MissingField, 1)]
    [InlineData("{\"sha\":\"a\",\"files\":[\"x\"]}", HistoryErrorCode.MissingField, 1)]
    [InlineData("{\"sha\":\"a\",\"time\":1}", HistoryErrorCode.MissingField, 1)]
    [InlineData("{\"sha\":\"a\",\"time\":1,\"files\":[]}", HistoryErrorCode.InvalidField, 1)]
    [InlineData("{\"sha\":\"a\",\"time\":\"1\",\"files\":[\"x\"]}", HistoryErrorCode.InvalidField, 1)]
    [InlineData("{\"sha\":\"a\",\"time\":1,\"files\":[\"\"]}", HistoryErrorCode.InvalidField, 1)]
    [InlineData("\n\n", HistoryErrorCode.Empty, 0)]
    public void ReadJsonLines_Malformed_ThrowsWithCodeAndLine(string text, HistoryErrorCode code, int line)
    {
        HistoryReadException ex = Assert.Throws<HistoryReadException>(() => Read(text));

        Assert.Equal(code, ex.Code);
        Assert.Equal(line, ex.Line);
        Assert.Equal("h.jsonl", ex.Origin);
        Assert.StartsWith(line > 0 ? $"h.jsonl:{line}: " : "h.jsonl: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Newest_FewerThanAll_KeepsTheNewest()
    {
        CommitHistory history = Read(TwoCommits);

        Assert.Equal(["bbb"], history.Newest(1).Commits.Select(c => c.Sha));
        Assert.Same(history, history.Newest(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => history.Newest(0));
    }

    [Fact]
    public void FromGitRepository_SmallRepository_ReadsNonMergeCommitsWithFilesNewestFirst()
    {
        string repo = TempDirectory();
        try
        {
            Git(repo, 1_000, "init", "-q", "-b", "main");
            Directory.CreateDirectory(Path.Combine(repo, "src"));
            File.WriteAllText(Path.Combine(repo, "src", "a.cs"), "a");
            File.WriteAllText(Path.Combine(repo, "with space.txt"), "b");
            Git(repo, 1_000, "add", ".");
            Git(repo, 1_000, "commit", "-q", "-m", "first");
            File.WriteAllText(Path.Combine(repo, "src", "a.cs"), "a2");
            Git(repo, 2_000, "commit", "-q", "-am", "second");
            Git(repo, 3_000, "commit", "-q", "--allow-empty", "-m", "empty");
            Git(repo, 3_500, "checkout", "-q", "-b", "side");
            File.WriteAllText(Path.Combine(repo, "side.txt"), "s");
            Git(repo, 4_000, "add", ".");
            Git(repo, 4_000, "commit", "-q", "-m", "side");
            Git(repo, 4_500, "checkout", "-q", "main");
            File.WriteAllText(Path.Combine(repo, "main.txt"), "m");
            Git(repo, 5_000, "add", ".");
            Git(repo, 5_000, "commit", "-q", "-m", "main");
            Git(repo, 6_000, "merge", "-q", "--no-ff", "-m", "merge", "side");

            CommitHistory history = CommitHistory.FromGitRepository(repo);

            Assert.Equal(repo, history.Name);
            Assert.Equal([5_000L, 4_000, 2_000, 1_000], history.Commits.Select(c => c.Time));
            Assert.Equal<string>(["main.txt"], history.Commits[0].Files.ToArray());
            Assert.Equal<string>(["side.txt"], history.Commits[1].Files.ToArray());
            Assert.Equal(["src/a.cs"], history.Commits[2].Files.ToArray());
            Assert.Equal(["src/a.cs", "with space.txt"], history.Commits[3].Files.ToArray());
            Assert.All(history.Commits, c => Assert.Matches("^[0-9a-f]{40}$", c.Sha));
            Assert.Equal([1, 1, 1, 0], history.Commits.Select(c => c.Parents));
            Assert.Equal(2, CommitHistory.FromGitRepository(repo, maxCount: 2).Commits.Length);
        }
        finally
        {
            Directory.Delete(repo, recursive: true);
        }
    }

    [Fact]
    public void FromGitRepository_NotARepository_ThrowsGitFailed()
    {
        string directory = TempDirectory();
        try
        {
            HistoryReadException ex = Assert.Throws<HistoryReadException>(() => CommitHistory.FromGitRepository(directory));

            Assert.Equal(HistoryErrorCode.GitFailed, ex.Code);
            Assert.Contains("not a git repository", ex.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
