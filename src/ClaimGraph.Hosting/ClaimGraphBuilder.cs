using System.Diagnostics.CodeAnalysis;
using ClaimGraph.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClaimGraph.Hosting;

/// <summary>
/// Returned by <c>services.AddClaimGraph(…)</c>: chooses the coordinator, adds startup work and decision observers.
/// Without <see cref="UseCoordinator"/> the host uses an <see cref="InProcessClaimCoordinator"/>.
/// </summary>
public sealed class ClaimGraphBuilder
{
    private readonly CoordinatorChoice _choice;

    internal ClaimGraphBuilder(IServiceCollection services, CoordinatorChoice choice)
    {
        Services = services;
        _choice = choice;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Uses the coordinator <paramref name="factory"/> opens, instead of the in-process one (e.g. a PostgreSQL
    /// coordinator shared by several orchestrator replicas). The factory runs once, when the host starts, after the
    /// startup hooks; the host disposes what it returns when it stops. A later call replaces an earlier one.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public ClaimGraphBuilder UseCoordinator(Func<IServiceProvider, CancellationToken, Task<IClaimCoordinator>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _choice.Factory = factory;
        return this;
    }

    /// <summary>
    /// Adds work to run when the host starts, before the coordinator is opened (e.g. a database migration). Hooks run
    /// in the order added; one that throws stops the host from starting.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="hook"/> is null.</exception>
    public ClaimGraphBuilder OnStarting(Func<IServiceProvider, CancellationToken, Task> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        _choice.StartupHooks.Add(hook);
        return this;
    }

    /// <summary>Registers <typeparamref name="TObserver"/> (a singleton) to be told about every append made through the host.</summary>
    public ClaimGraphBuilder AddDecisionObserver<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TObserver>()
        where TObserver : class, IClaimDecisionObserver
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IClaimDecisionObserver, TObserver>());
        return this;
    }
}
