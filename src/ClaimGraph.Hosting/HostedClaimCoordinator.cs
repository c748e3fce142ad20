using ClaimGraph.Coordination;
using ClaimGraph.Policy;
using Microsoft.Extensions.Logging;

namespace ClaimGraph.Hosting;

/// <summary>
/// The <see cref="IClaimCoordinator"/> the host hands out: it forwards to the coordinator opened at startup (callers
/// that come earlier wait for it), tells the decision observers about every append, and wakes the tick service.
/// </summary>
internal sealed partial class HostedClaimCoordinator : IClaimCoordinator, IAsyncDisposable
{
    private readonly TaskCompletionSource<IClaimCoordinator> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IEnumerable<IClaimDecisionObserver> _observers;
    private readonly ILogger<HostedClaimCoordinator> _logger;
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HostedClaimCoordinator(IEnumerable<IClaimDecisionObserver> observers, ILogger<HostedClaimCoordinator> logger)
    {
        _observers = observers;
        _logger = logger;
    }

    public ClaimCoordinatorState Current => Inner?.Current
        ?? throw new InvalidOperationException("The ClaimGraph coordinator is not open yet: it opens when the host starts (IHost.StartAsync).");

    /// <summary>The opened coordinator, or null before startup.</summary>
    public IClaimCoordinator? Inner => _opened.Task.IsCompletedSuccessfully ? _opened.Task.Result : null;

    /// <summary>Completes at the next append through this host.</summary>
    public Task NextAppend => Volatile.Read(ref _appended).Task;

    public async Task<ClaimAppendResult> AppendAsync(IReadOnlyList<PolicyEvent> events, CancellationToken cancellationToken = default)
    {
        IClaimCoordinator inner = await _opened.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        ClaimAppendResult result = await inner.AppendAsync(events, cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _appended, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        foreach (IClaimDecisionObserver observer in _observers)
        {
            try
            {
                await observer.OnAppendedAsync(events, result).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // An observer's failure must not make a recorded append look failed (the caller would resend it).
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogObserverFailed(ex, observer.GetType().Name);
            }
        }

        return result;
    }

    public async Task<ClaimCoordinatorState> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        IClaimCoordinator inner = await _opened.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await inner.CatchUpAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hands over the coordinator opened at startup.</summary>
    public void Open(IClaimCoordinator coordinator)
    {
        if (!_opened.TrySetResult(coordinator))
        {
            throw new InvalidOperationException("The ClaimGraph coordinator was already opened.");
        }
    }

    /// <summary>Makes waiting callers fail: the startup failed.</summary>
    public void Fail(Exception exception) => _opened.TrySetException(exception);

    /// <summary>Disposes the opened coordinator (it was made by a factory, so the container does not).</summary>
    public async ValueTask DisposeAsync()
    {
        _opened.TrySetException(new ObjectDisposedException(nameof(IClaimCoordinator)));
        switch (Inner)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "The ClaimGraph decision observer {Observer} failed; the append itself was recorded.")]
    private partial void LogObserverFailed(Exception exception, string observer);
}
