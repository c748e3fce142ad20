using ClaimGraph.Coordination;
using ClaimGraph.Policy;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClaimGraph.Hosting.Tests;

/// <summary>The tick service on a fake clock: ticks come when a lease expires or a backoff ends, and not otherwise.</summary>
public sealed class ClaimGraphTickerTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Ticker_LeaseRunsOut_TicksJustAfterItAndTheRunIsCancelledAndRetried()
    {
        await using TestHost host = TestHost.Create(o => o.Policy = new PolicyOptions { LeaseDuration = 1_000 });
        await host.Host.StartAsync();
        long start = host.Now;
        ClaimAppendResult admitted = await host.Coordinator.AppendAsync(
        [
            new WorkItemAdded("e1", start, "a"),
            new RunRequested("e2", start, "r1", "a", ["write src/**"]),
        ]);
        Assert.IsType<AdmitDecision>(Assert.Single(admitted.Decisions));

        await host.AdvanceUntilAsync(() => host.Observer.Ticks.Count > 0, Step, TimeSpan.FromSeconds(10));

        // The exact tick time is checked without threads below; stepping the clock while the service runs can overshoot.
        Tick tick = Assert.Single(host.Observer.Ticks);
        Assert.InRange(tick.Time, start + 1_001, start + 2_001);
        Decision cancel = Assert.Single(host.Observer.Decisions, d => d.Kind == DecisionKind.Cancel);
        Assert.Equal(("r1", ReasonCode.LeaseExpired), (cancel.RunId, cancel.Reason));
        Assert.Contains(host.Observer.Decisions, d => d is { Kind: DecisionKind.Retry, Reason: ReasonCode.Orphaned });
    }

    [Fact]
    public async Task Ticker_BackoffEnds_TicksAtItsEndAndTheRetryIsAdmitted()
    {
        await using TestHost host = TestHost.Create(o => o.Policy = new PolicyOptions { LeaseDuration = null, BackoffBase = 2_000, JitterFraction = 0 });
        await host.Host.StartAsync();
        long start = host.Now;
        ClaimAppendResult first = await host.Coordinator.AppendAsync(
        [
            new WorkItemAdded("e1", start, "a"),
            new RunRequested("e2", start, "r1", "a", ["write src/**"]),
        ]);
        long token = Assert.IsType<AdmitDecision>(Assert.Single(first.Decisions)).FencingToken;
        ClaimAppendResult failed = await host.Coordinator.AppendAsync([new RunFailed("e3", start, "r1", token, Transient: true)]);
        RetryDecision retry = Assert.IsType<RetryDecision>(Assert.Single(failed.Decisions, d => d.Kind == DecisionKind.Retry));

        await host.AdvanceUntilAsync(() => host.Observer.Decisions.Any(d => d is AdmitDecision a && a.RunId == retry.NewRunId), Step, TimeSpan.FromSeconds(10));

        Tick tick = Assert.Single(host.Observer.Ticks);
        Assert.InRange(tick.Time, start + 2_000, start + 3_000);
    }

    [Fact]
    public async Task Ticker_NothingDue_SendsNoTick()
    {
        await using TestHost host = TestHost.Create(o => o.Policy = new PolicyOptions { LeaseDuration = null });
        await host.Host.StartAsync();
        await host.Coordinator.AppendAsync([new WorkItemAdded("e1", host.Now, "a"), new RunRequested("e2", host.Now, "r1", "a", ["write src/**"])]);

        for (int i = 0; i < 30; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            await host.Observer.WaitForAppendAsync(TimeSpan.FromMilliseconds(10));
        }

        Assert.Empty(host.Observer.Ticks);
        Assert.Equal(2, host.Coordinator.Current.Version);
    }

    [Fact]
    public async Task Ticker_SendTicksOff_SendsNoTickWhenALeaseRunsOut()
    {
        await using TestHost host = TestHost.Create(o =>
        {
            o.Policy = new PolicyOptions { LeaseDuration = 1_000 };
            o.SendTicks = false;
        });
        await host.Host.StartAsync();
        await host.Coordinator.AppendAsync([new WorkItemAdded("e1", host.Now, "a"), new RunRequested("e2", host.Now, "r1", "a", ["write src/**"])]);

        for (int i = 0; i < 30; i++)
        {
            host.Time.Advance(Step);
            await host.Observer.WaitForAppendAsync(TimeSpan.FromMilliseconds(10));
        }

        Assert.Empty(host.Observer.Ticks);
    }

    [Fact]
    public async Task TickIfDueAsync_BeforeAndAtTheLeaseDeadline_WaitsExactlyThenTicksAtIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_000));
        var options = new ClaimGraphOptions { Policy = new PolicyOptions { LeaseDuration = 500 }, TickPollInterval = TimeSpan.FromSeconds(5) };
        var recorder = new RecordingObserver();
        var hosted = new HostedClaimCoordinator([recorder], NullLogger<HostedClaimCoordinator>.Instance);
        hosted.Open(InProcessClaimCoordinator.Open(options.Policy));
        var ticker = new ClaimGraphTicker(hosted, Options.Create(options), time, NullLogger<ClaimGraphTicker>.Instance);

        Assert.Equal(options.TickPollInterval, await ticker.TickIfDueAsync(options.TickPollInterval, CancellationToken.None)); // nothing due
        await hosted.AppendAsync([new WorkItemAdded("e1", 1_000, "a"), new RunRequested("e2", 1_000, "r1", "a", ["write x"])]);

        Assert.Equal(TimeSpan.FromMilliseconds(501), await ticker.TickIfDueAsync(options.TickPollInterval, CancellationToken.None));
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(TimeSpan.FromMilliseconds(1), await ticker.TickIfDueAsync(options.TickPollInterval, CancellationToken.None));
        Assert.Empty(recorder.Ticks);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.Zero, await ticker.TickIfDueAsync(options.TickPollInterval, CancellationToken.None));
        Assert.Equal(1_501, Assert.Single(recorder.Ticks).Time);
        Assert.Contains(recorder.Decisions, d => d is { Kind: DecisionKind.Cancel, Reason: ReasonCode.LeaseExpired, RunId: "r1" });

        // The retry's backoff is the next deadline; nothing is due before it, and no second tick at the same millisecond.
        TimeSpan wait = await ticker.TickIfDueAsync(options.TickPollInterval, CancellationToken.None);
        Assert.InRange(wait, TimeSpan.FromMilliseconds(1), options.TickPollInterval);
        Assert.Single(recorder.Ticks);
    }
}
