// The PostgreSQL example of docs/hosting.md, compiled here against ClaimGraph.Postgres's public API; HostingDocsTests
// checks that the document quotes it exactly.
using ClaimGraph.Coordination;
using ClaimGraph.Policy;
using ClaimGraph.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ClaimGraph.Hosting.Tests.Docs;

// doc-adapter:start
/// <summary>A <see cref="PostgresCoordinator"/> behind <see cref="IClaimCoordinator"/>.</summary>
public sealed class PostgresClaimCoordinator(PostgresCoordinator inner) : IClaimCoordinator, IAsyncDisposable
{
    public ClaimCoordinatorState Current => new(inner.State.Graph, inner.State.Version);

    public async Task<ClaimAppendResult> AppendAsync(IReadOnlyList<PolicyEvent> events, CancellationToken cancellationToken = default)
    {
        AppendResult result = await inner.AppendAsync(events, cancellationToken);
        return new ClaimAppendResult(result.Decisions, new ClaimCoordinatorState(result.Graph, result.Version));
    }

    public async Task<ClaimCoordinatorState> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        await inner.CatchUpAsync(cancellationToken);
        return Current;
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
// doc-adapter:end

public static class PostgresHostingExample
{
    public static void Register(IServiceCollection services, string connectionString)
    {
        // doc-registration:start
        var policy = new PolicyOptions { MaxActiveRuns = 8 };
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddSingleton(sp => new PostgresClaimLog(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddClaimGraph(o => o.Policy = policy)
            .OnStarting((sp, ct) => sp.GetRequiredService<PostgresClaimLog>().MigrateAsync(ct))
            .UseCoordinator(async (sp, ct) => new PostgresClaimCoordinator(await PostgresCoordinator.OpenAsync(
                sp.GetRequiredService<PostgresClaimLog>(), "orders-repo", new CoordinatorOptions { Policy = policy }, ct)));
        // doc-registration:end
    }
}
