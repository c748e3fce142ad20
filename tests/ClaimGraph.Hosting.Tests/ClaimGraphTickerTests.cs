using ClaimGraph.Coordination;
using ClaimGraph.Policy;

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

        Tick tick = Assert.Single(host.Observer.Ticks);
        Assert.InRange(tick.Time, start + 1_001, start + 1_001 + (long)Step.TotalMilliseconds);
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
        Assert.InRange(tick.Time, start + 2_000, start + 2_000 + (long)Step.TotalMilliseconds);
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
}
