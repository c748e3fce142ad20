using ClaimGraph.Coordination;
using ClaimGraph.Policy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaimGraph.Hosting;

/// <summary>
/// Sends the <see cref="Tick"/> events that expire leases and end backoffs, at the time they are due (read from the
/// graph with <see cref="TickSchedule"/>) on the host's <see cref="TimeProvider"/>. It sleeps until the next deadline,
/// until an event is appended through the host, or at most <see cref="ClaimGraphOptions.TickPollInterval"/>; then it
/// catches up with other writers and looks again. A failed tick is logged and tried again after the poll interval.
/// </summary>
internal sealed partial class ClaimGraphTicker(
    HostedClaimCoordinator coordinator,
    IOptions<ClaimGraphOptions> options,
    TimeProvider time,
    ILogger<ClaimGraphTicker> logger) : BackgroundService
{
    private readonly ILogger _logger = logger; // the logging source generator of Logging.Abstractions 8.0 reads a field

    private static readonly Task Never = new TaskCompletionSource().Task;

    private long _lastTick = long.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ClaimGraphOptions settings = options.Value;
        if (!settings.SendTicks)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            Task appended = coordinator.NextAppend;
            try
            {
                wait = await TickIfDueAsync(settings.TickPollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The service must outlive a failed tick (a lost connection); it logs and tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogTickFailed(ex, settings.TickPollInterval);
                wait = settings.TickPollInterval;
                appended = Never;
            }

            if (wait > TimeSpan.Zero)
            {
                await SleepAsync(wait, appended, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends one tick when a deadline is due; returns how long to sleep before looking again (zero to look at once).</summary>
    internal async Task<TimeSpan> TickIfDueAsync(TimeSpan poll, CancellationToken cancellationToken)
    {
        ClaimCoordinatorState state = await coordinator.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long? due = TickSchedule.NextDeadline(state.Graph);
        if (due is not long deadline)
        {
            return poll;
        }

        if (deadline > now)
        {
            return TimeSpan.FromMilliseconds(Math.Min(deadline - now, (long)poll.TotalMilliseconds));
        }

        if (now <= _lastTick)
        {
            // Already ticked at this millisecond (the clock has not moved): wait for it to move.
            return TimeSpan.FromMilliseconds(1);
        }

        _lastTick = now;
        ClaimAppendResult result = await coordinator.AppendAsync([new Tick($"tick-{now}", now)], cancellationToken).ConfigureAwait(false);
        LogTicked(now, result.Decisions.Length);
        return TimeSpan.Zero;
    }

    private async Task SleepAsync(TimeSpan wait, Task appended, CancellationToken stoppingToken)
    {
        using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task delay = Task.Delay(wait, time, sleep.Token);
        await Task.WhenAny(delay, appended).ConfigureAwait(false);
        await sleep.CancelAsync().ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "ClaimGraph tick at {Time} made {Decisions} decisions.")]
    private partial void LogTicked(long time, int decisions);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "A ClaimGraph tick failed; trying again in {Delay}.")]
    private partial void LogTickFailed(Exception exception, TimeSpan delay);
}
