using ClaimGraph.Coordination;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaimGraph.Hosting;

/// <summary>
/// Opens the coordinator when the host starts, before any hosted service's <c>StartAsync</c>: validates the options
/// (every problem at once), runs the startup hooks in order (e.g. a database migration), then opens the registered
/// coordinator, or the in-process one.
/// </summary>
internal sealed partial class ClaimGraphStartup(
    IServiceProvider services,
    IOptions<ClaimGraphOptions> options,
    CoordinatorChoice choice,
    HostedClaimCoordinator hosted,
    ILogger<ClaimGraphStartup> logger) : IHostedLifecycleService
{
    private readonly ILogger _logger = logger; // the logging source generator of Logging.Abstractions 8.0 reads a field

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        try
        {
            ClaimGraphOptions settings = options.Value; // throws OptionsValidationException listing every problem
            foreach (Func<IServiceProvider, CancellationToken, Task> hook in choice.StartupHooks)
            {
                await hook(services, cancellationToken).ConfigureAwait(false);
            }

            IClaimCoordinator coordinator = choice.Factory is null
                ? InProcessClaimCoordinator.Open(settings.Policy, settings.SnapshotPath)
                : await choice.Factory(services, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("The ClaimGraph coordinator factory returned null.");
            hosted.Open(coordinator);
            ClaimCoordinatorState state = coordinator.Current;
            LogOpened(coordinator.GetType().Name, state.Version, state.Graph.RunCount);
        }
        catch (Exception ex)
        {
            hosted.Fail(ex);
            throw;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "ClaimGraph coordinator {Coordinator} open at version {Version} with {Runs} runs.")]
    private partial void LogOpened(string coordinator, long version, int runs);
}
