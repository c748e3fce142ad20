using ClaimGraph.Coordination;
using ClaimGraph.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ClaimGraph.Hosting.Tests;

/// <summary>A host with ClaimGraph on a fake clock, and an observer that records every append made through it.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    private TestHost(IHost host, FakeTimeProvider time)
    {
        Host = host;
        Time = time;
    }

    public IHost Host { get; }

    public FakeTimeProvider Time { get; }

    public IClaimCoordinator Coordinator => Host.Services.GetRequiredService<IClaimCoordinator>();

    public RecordingObserver Observer => Host.Services.GetServices<IClaimDecisionObserver>().OfType<RecordingObserver>().Single();

    public long Now => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public static TestHost Create(Action<ClaimGraphOptions>? configure = null, Action<ClaimGraphBuilder>? more = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(time);
        ClaimGraphBuilder claimGraph = builder.Services.AddClaimGraph(configure).AddDecisionObserver<RecordingObserver>();
        more?.Invoke(claimGraph);
        return new TestHost(builder.Build(), time);
    }

    /// <summary>
    /// Moves the fake clock forward in <paramref name="step"/>s (giving the tick service real time to run between
    /// steps) until <paramref name="done"/> holds, at most <paramref name="limit"/> of fake time; fails after 15 s of real time.
    /// </summary>
    public async Task AdvanceUntilAsync(Func<bool> done, TimeSpan step, TimeSpan limit)
    {
        DateTimeOffset end = Time.GetUtcNow() + limit;
        using var real = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!done())
        {
            Assert.False(real.IsCancellationRequested, "the condition did not hold within 15 s of real time");
            Assert.True(Time.GetUtcNow() < end, $"the condition did not hold within {limit} of fake time");
            Time.Advance(step);
            await Observer.WaitForAppendAsync(TimeSpan.FromMilliseconds(50));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}

/// <summary>Records every append made through the host, in order.</summary>
internal sealed class RecordingObserver : IClaimDecisionObserver
{
    private readonly List<(IReadOnlyList<PolicyEvent> Events, ClaimAppendResult Result)> _appends = [];
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<(IReadOnlyList<PolicyEvent> Events, ClaimAppendResult Result)> Appends
    {
        get
        {
            lock (_appends)
            {
                return [.. _appends];
            }
        }
    }

    public List<Tick> Ticks => Appends.SelectMany(a => a.Events).OfType<Tick>().ToList();

    public List<Decision> Decisions => Appends.SelectMany(a => a.Result.Decisions).ToList();

    public ValueTask OnAppendedAsync(IReadOnlyList<PolicyEvent> events, ClaimAppendResult result)
    {
        lock (_appends)
        {
            _appends.Add((events, result));
        }

        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return ValueTask.CompletedTask;
    }

    public Task WaitForAppendAsync(TimeSpan timeout) => Task.WhenAny(Volatile.Read(ref _next).Task, Task.Delay(timeout));
}
