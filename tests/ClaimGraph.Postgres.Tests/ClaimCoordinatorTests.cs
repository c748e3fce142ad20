using ClaimGraph.Coordination;
using ClaimGraph.Policy;

namespace ClaimGraph.Postgres.Tests;

/// <summary><see cref="PostgresCoordinator"/> as the core's <see cref="IClaimCoordinator"/>.</summary>
public class ClaimCoordinatorTests
{
    [SkippableTheory]
    [InlineData(CoordinatorConcurrency.Optimistic)]
    [InlineData(CoordinatorConcurrency.Leader)]
    public async Task AppendAsync_ThroughTheInterface_DecisionsAndStateOfTheLog(CoordinatorConcurrency concurrency)
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator replica = await db.OpenAsync("s", new CoordinatorOptions { Concurrency = concurrency });
        IClaimCoordinator coordinator = replica;

        ClaimAppendResult result = await coordinator.AppendAsync([Ev.Item("e1", "x"), Ev.Request("e2", "r1", "x", "write src/**")]);
        ClaimAppendResult again = await coordinator.AppendAsync([Ev.Item("e1", "x")]);

        Assert.IsType<AdmitDecision>(Assert.Single(result.Decisions));
        Assert.Equal(2, result.State.Version);
        Assert.Same(replica.Graph, result.State.Graph);
        Assert.Empty(again.Decisions);
        Assert.Equal(2, again.State.Version);
        Assert.Equal(2, coordinator.Current.Version);
        Assert.Equal(replica.Graph, coordinator.Current.Graph);
        Assert.Equal(2, (await db.ReadLogAsync("s")).Count);
    }

    [SkippableFact]
    public async Task CatchUpAsync_ThroughTheInterface_ReturnsTheStateWithTheOtherReplicasEvents()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator other = await db.OpenAsync("s");
        await using PostgresCoordinator replica = await db.OpenAsync("s");
        IClaimCoordinator coordinator = replica;
        await other.AppendAsync([Ev.Item("e1", "x"), Ev.Item("e2", "y")]);
        Assert.Equal(0, coordinator.Current.Version);

        ClaimCoordinatorState state = await coordinator.CatchUpAsync();

        Assert.Equal(2, state.Version);
        Assert.Equal(other.Graph, state.Graph);
        Assert.Equal(state.Version, coordinator.Current.Version);
        Assert.Equal(state.Graph, coordinator.Current.Graph);
    }

    [SkippableFact]
    public async Task AppendAsync_StatementsNotPrepared_SameLogAsPrepared()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        PolicyEvent[] events = [Ev.Item("e1", "x"), Ev.Request("e2", "r1", "x", "write src/**"), Ev.Item("e3", "y"), Ev.Request("e4", "r2", "y", "read src/a")];
        await using PostgresCoordinator prepared = await db.OpenAsync("p");
        await using PostgresCoordinator plain = await db.OpenAsync("u", new CoordinatorOptions { PrepareStatements = false });

        foreach (PolicyEvent e in events)
        {
            await prepared.AppendAsync(e);
            await plain.AppendAsync(e);
        }

        Assert.Equal((await db.ReadLogAsync("p")).Select(r => r.DecisionsJson), (await db.ReadLogAsync("u")).Select(r => r.DecisionsJson));
        Assert.Equal(prepared.State.Chain, plain.State.Chain);
    }
}
