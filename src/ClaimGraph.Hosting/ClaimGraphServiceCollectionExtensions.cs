using ClaimGraph.Coordination;
using ClaimGraph.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ClaimGraph in a host.</summary>
public static class ClaimGraphServiceCollectionExtensions
{
    /// <summary>
    /// Registers ClaimGraph: an <see cref="IClaimCoordinator"/> singleton (the in-process coordinator unless
    /// <see cref="ClaimGraphBuilder.UseCoordinator"/> chooses another), opened when the host starts, and a hosted service
    /// that sends the ticks which expire leases and end backoffs on time. The options are validated when the host starts;
    /// every problem is listed in one <see cref="OptionsValidationException"/>. Time comes from the registered
    /// <see cref="TimeProvider"/> (<see cref="TimeProvider.System"/> unless one is registered).
    /// Calling it again adds <paramref name="configure"/> to the same registration.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; may be null to keep the defaults (or bind them from configuration).</param>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static ClaimGraphBuilder AddClaimGraph(this IServiceCollection services, Action<ClaimGraphOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<ClaimGraphOptions> options = services.AddOptions<ClaimGraphOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        CoordinatorChoice? choice = null;
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(CoordinatorChoice) && descriptor.ImplementationInstance is CoordinatorChoice existing)
            {
                choice = existing;
            }
        }

        if (choice is null)
        {
            choice = new CoordinatorChoice();
            options.ValidateOnStart();
            services.AddSingleton(choice);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClaimGraphOptions>, ClaimGraphOptionsValidator>());
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<HostedClaimCoordinator>();
            services.AddSingleton<IClaimCoordinator>(sp => sp.GetRequiredService<HostedClaimCoordinator>());
            services.AddHostedService<ClaimGraphStartup>();
            services.AddHostedService<ClaimGraphTicker>();
        }

        return new ClaimGraphBuilder(services, choice);
    }
}
