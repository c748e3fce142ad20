using ClaimGraph.Coordination;

namespace ClaimGraph.Hosting;

/// <summary>What the builder registered: the coordinator factory (null for the in-process coordinator) and the startup hooks, in order.</summary>
internal sealed class CoordinatorChoice
{
    public Func<IServiceProvider, CancellationToken, Task<IClaimCoordinator>>? Factory { get; set; }

    public List<Func<IServiceProvider, CancellationToken, Task>> StartupHooks { get; } = [];
}
