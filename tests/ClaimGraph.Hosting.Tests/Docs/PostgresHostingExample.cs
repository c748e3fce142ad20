// The PostgreSQL example of docs/hosting.md, compiled here against ClaimGraph.Postgres's public API; HostingDocsTests
// checks that the document quotes it exactly.
using ClaimGraph.Policy;
using ClaimGraph.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ClaimGraph.Hosting.Tests.Docs;

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
            .UseCoordinator(async (sp, ct) => await PostgresCoordinator.OpenAsync(
                sp.GetRequiredService<PostgresClaimLog>(), "orders-repo", new CoordinatorOptions { Policy = policy }, ct));
        // doc-registration:end
    }
}
