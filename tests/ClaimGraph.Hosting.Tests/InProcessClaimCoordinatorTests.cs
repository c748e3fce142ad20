using ClaimGraph.Coordination;
using ClaimGraph.Graph;
using ClaimGraph.Hosting;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Hosting.Tests;

public sealed class InProcessClaimCoordinatorTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "claimgraph-hosting-" + Guid.NewGuid().ToString("N"));

    public InProcessClaimCoordinatorTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PolicyEvent[] Scenario =>
    [
        new WorkItemAdded("e1", 10, "docs"),
        new WorkItemAdded("e2", 10, "api"),
        new RunRequested("e3", 20, "r1", "docs", ["write docs/**"]),
        new RunRequested("e4", 20, "r2", "api", ["write src/api/**", "read docs/**"]),
    ];

    [Fact]
    public async Task AppendAsync_Events_DecidesExactlyAsThePolicy()
    {
        using var coordinator = InProcessClaimCoordinator.Open();
        ClaimAppendResult result = await coordinator.AppendAsync(Scenario);

        PolicyStepResult expected = ClaimPolicy.Step(WorkGraph.Empty, Scenario);
        Assert.Equal(expected.Decisions.Select(PolicyJson.WriteDecision), result.Decisions.Select(PolicyJson.WriteDecision));
        Assert.Equal(expected.Graph, result.State.Graph);
        Assert.Equal(4, result.State.Version);
        Assert.Same(result.State, coordinator.Current);
        Assert.Equal([DecisionKind.Admit, DecisionKind.Hold], result.Decisions.Select(d => d.Kind));
    }

    [Fact]
    public async Task AppendAsync_RepeatedIds_AppliesEachOnceAndCountsOnce()
    {
        using var coordinator = InProcessClaimCoordinator.Open();
        await coordinator.AppendAsync(Scenario);
        ClaimAppendResult again = await coordinator.AppendAsync([.. Scenario, new Tick("e5", 30), new Tick("e5", 30)]);

        Assert.Empty(again.Decisions);
        Assert.Equal(5, again.State.Version);
        Assert.Equal(30, again.State.Graph.Now);
    }

    [Fact]
    public async Task AppendAsync_NullEventOrEmptyId_ThrowsAndChangesNothing()
    {
        using var coordinator = InProcessClaimCoordinator.Open();
        await Assert.ThrowsAsync<ArgumentNullException>(() => coordinator.AppendAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>(() => coordinator.AppendAsync([new Tick("t", 1), null!]));
        await Assert.ThrowsAsync<ArgumentException>(() => coordinator.AppendAsync([new Tick(string.Empty, 1)]));
        Assert.Equal(0, coordinator.Current.Version);
        Assert.Equal(WorkGraph.Empty, coordinator.Current.Graph);
    }

    [Fact]
    public async Task Open_AfterAppendsWithSnapshotPath_ReloadsTheSameGraphAndVersion()
    {
        string path = Path.Combine(_folder, "state.json");
        ClaimCoordinatorState saved;
        using (var first = InProcessClaimCoordinator.Open(snapshotPath: path))
        {
            await first.AppendAsync(Scenario[..2]);
            saved = (await first.AppendAsync(Scenario[2..])).State;
        }

        using var reopened = InProcessClaimCoordinator.Open(snapshotPath: path);
        Assert.Equal(saved.Version, reopened.Current.Version);
        Assert.Equal(saved.Graph, reopened.Current.Graph);
        Assert.Equal([path], Directory.GetFiles(_folder)); // the temporary file was renamed over the state file

        // The reloaded graph decides on: r1 succeeds and the held r2 is admitted.
        ClaimAppendResult next = await reopened.AppendAsync([new RunSucceeded("e5", 40, "r1", saved.Graph.Runs["r1"].FencingToken, 1) { ChangedPaths = ["docs/a.md"] }]);
        Assert.Contains(next.Decisions, d => d is AdmitDecision { RunId: "r2" });
        Assert.Equal(5, next.State.Version);
    }

    [Fact]
    public async Task AppendAsync_SnapshotCannotBeWritten_ThrowsAndKeepsTheOldState()
    {
        string folder = Path.Combine(_folder, "gone");
        Directory.CreateDirectory(folder);
        using var coordinator = InProcessClaimCoordinator.Open(snapshotPath: Path.Combine(folder, "state.json"));
        await coordinator.AppendAsync(Scenario[..1]);
        ClaimCoordinatorState before = coordinator.Current;
        Directory.Delete(folder, recursive: true);

        await Assert.ThrowsAnyAsync<IOException>(() => coordinator.AppendAsync(Scenario[1..]));
        Assert.Same(before, coordinator.Current);
    }

    [Theory]
    [InlineData("", "no header line")]
    [InlineData("{\"format\":\"other\",\"formatVersion\":1,\"version\":1}\n{}", "does not name the format")]
    [InlineData("{\"format\":\"claimgraph.inprocess\",\"formatVersion\":2,\"version\":1}\n{}", "format version 2")]
    [InlineData("{\"format\":\"claimgraph.inprocess\",\"formatVersion\":1}\n{}", "no 'version'")]
    [InlineData("not json\n{}", "not JSON")]
    [InlineData("{\"format\":\"claimgraph.inprocess\",\"formatVersion\":1,\"version\":1}\n{\"nope\":1}", "not a valid snapshot")]
    public void Open_DamagedStateFile_ThrowsInvalidDataNamingFileAndReason(string content, string reason)
    {
        string path = Path.Combine(_folder, "state.json");
        File.WriteAllText(path, content);

        InvalidDataException ex = Assert.Throws<InvalidDataException>(() => InProcessClaimCoordinator.Open(snapshotPath: path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_InvalidPolicy_ThrowsListingEveryProblem()
    {
        PolicyOptionsException ex = Assert.Throws<PolicyOptionsException>(() => InProcessClaimCoordinator.Open(new PolicyOptions { MaxAttempts = 0, BackoffBase = -1 }));
        Assert.Contains("MaxAttempts", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BackoffBase", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_ManyThreadsAtOnce_SerialisesEveryAppend()
    {
        using var coordinator = InProcessClaimCoordinator.Open(new PolicyOptions { LeaseDuration = null });
        const int writers = 8;
        const int perWriter = 5;
        Task[] tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < perWriter; i++)
            {
                string item = $"w{w}-{i}";
                await coordinator.AppendAsync([
                    new WorkItemAdded($"{item}-add", 0, item),
                    new RunRequested($"{item}-run", 0, $"{item}-r", item, ["write shared/**"]),
                ]);
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        ClaimCoordinatorState state = coordinator.Current;
        Assert.Equal(2 * writers * perWriter, state.Version);
        Assert.Equal(writers * perWriter, state.Graph.RunCount);
        Assert.Equal(1, state.Graph.ActiveRunCount); // every run writes shared/**: one at a time, the rest held
        Assert.Equal(writers * perWriter, state.Graph.ProcessedEventIds.Count / 2);
    }
}
