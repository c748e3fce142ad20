using ClaimGraph.Coordination;
using ClaimGraph.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClaimGraph.Hosting.Tests;

public sealed class AddClaimGraphTests
{
    [Fact]
    public async Task StartAsync_InvalidOptions_FailsListingEveryProblem()
    {
        await using TestHost host = TestHost.Create(o =>
        {
            o.Policy = new PolicyOptions { MaxAttempts = 0 };
            o.TickPollInterval = TimeSpan.Zero;
            o.SnapshotPath = Path.Combine(Path.GetTempPath(), "claimgraph-no-such-folder-" + Guid.NewGuid().ToString("N"), "state.json");
        });

        OptionsValidationException ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.Host.StartAsync());
        Assert.Collection(
            ex.Failures,
            f => Assert.StartsWith("Policy.MaxAttempts", f, StringComparison.Ordinal),
            f => Assert.StartsWith("TickPollInterval", f, StringComparison.Ordinal),
            f => Assert.StartsWith("SnapshotPath's folder", f, StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => host.Coordinator.Current);
    }

    [Fact]
    public async Task StartAsync_SnapshotPathWithAnotherCoordinator_Fails()
    {
        await using TestHost host = TestHost.Create(
            o => o.SnapshotPath = "state.json",
            b => b.UseCoordinator((_, _) => Task.FromResult<IClaimCoordinator>(InProcessClaimCoordinator.Open())));

        OptionsValidationException ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.Host.StartAsync());
        Assert.Contains("applies to the in-process coordinator only", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_HooksAndFactory_RunHooksInOrderThenOpenTheFactorysCoordinatorAndDisposeItOnStop()
    {
        var order = new List<string>();
        var made = new DisposableCoordinator(InProcessClaimCoordinator.Open());
        TestHost host = TestHost.Create(more: b => b
            .OnStarting((_, _) => { order.Add("migrate"); return Task.CompletedTask; })
            .UseCoordinator((_, _) => { order.Add("open"); return Task.FromResult<IClaimCoordinator>(made); })
            .OnStarting((_, _) => { order.Add("seed"); return Task.CompletedTask; }));

        await host.Host.StartAsync();
        ClaimAppendResult result = await host.Coordinator.AppendAsync([new WorkItemAdded("e1", host.Now, "a")]);

        Assert.Equal(["migrate", "seed", "open"], order);
        Assert.Same(made.Current, host.Coordinator.Current);
        Assert.Equal(1, result.State.Version);
        Assert.False(made.Disposed);
        await host.DisposeAsync();
        Assert.True(made.Disposed);
    }

    [Fact]
    public async Task AppendAsync_BeforeStart_WaitsForTheCoordinatorToOpen()
    {
        await using TestHost host = TestHost.Create();
        Assert.Throws<InvalidOperationException>(() => host.Coordinator.Current);
        Task<ClaimAppendResult> early = host.Coordinator.AppendAsync([new WorkItemAdded("e1", 0, "a")]);
        Assert.False(early.IsCompleted);

        await host.Host.StartAsync();
        Assert.Equal(1, (await early.WaitAsync(TimeSpan.FromSeconds(10))).State.Version);
    }

    [Fact]
    public async Task AppendAsync_ObserverThrows_AppendStillSucceeds()
    {
        await using TestHost host = TestHost.Create(more: b => b.AddDecisionObserver<ThrowingObserver>());
        await host.Host.StartAsync();

        ClaimAppendResult result = await host.Coordinator.AppendAsync([new WorkItemAdded("e1", 0, "a")]);

        Assert.Equal(1, result.State.Version);
        Assert.Single(host.Observer.Appends);
    }

    [Fact]
    public void AddClaimGraph_Twice_RegistersOnceAndKeepsBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddClaimGraph(o => o.TickPollInterval = TimeSpan.FromSeconds(1));
        services.AddClaimGraph(o => o.SendTicks = false);

        Assert.Single(services, d => d.ServiceType == typeof(IClaimCoordinator));
        using ServiceProvider provider = services.AddLogging().BuildServiceProvider();
        ClaimGraphOptions options = provider.GetRequiredService<IOptions<ClaimGraphOptions>>().Value;
        Assert.Equal((TimeSpan.FromSeconds(1), false), (options.TickPollInterval, options.SendTicks));
    }

    private sealed class ThrowingObserver : IClaimDecisionObserver
    {
        public ValueTask OnAppendedAsync(IReadOnlyList<PolicyEvent> events, ClaimAppendResult result) =>
            throw new InvalidOperationException("observer bug");
    }

    private sealed class DisposableCoordinator(IClaimCoordinator inner) : IClaimCoordinator, IAsyncDisposable
    {
        public bool Disposed { get; private set; }

        public ClaimCoordinatorState Current => inner.Current;

        public Task<ClaimAppendResult> AppendAsync(IReadOnlyList<PolicyEvent> events, CancellationToken cancellationToken = default) => inner.AppendAsync(events, cancellationToken);

        public Task<ClaimCoordinatorState> CatchUpAsync(CancellationToken cancellationToken = default) => inner.CatchUpAsync(cancellationToken);

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
