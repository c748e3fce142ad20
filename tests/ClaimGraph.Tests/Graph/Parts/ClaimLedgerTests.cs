using ClaimGraph.Claims;
using ClaimGraph.Graph;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Graph.Parts;

/// <summary>The claim ledger on its own: which runs' claims are taken, and conflicts with them.</summary>
public class ClaimLedgerTests
{
    [Fact]
    public void Update_PendingRun_NotIndexed()
    {
        ClaimLedger ledger = ClaimLedger.Empty.Update(null, Run("r", "a"));

        Assert.Same(ClaimLedger.Empty, ledger);
    }

    [Fact]
    public void Update_ActiveAndReservingRuns_IndexedUntilTheyLeave()
    {
        Run active = Run("active", "a", "write src/**", RunStatus.Active);
        Run reserving = Run("held", "b", "write docs/**", RunStatus.Held) with { ReservesPlace = true };
        ClaimLedger ledger = ClaimLedger.Empty.Update(null, active).Update(null, reserving);

        Assert.Equal<string>(["active", "held"], ledger.Ids);
        Assert.Equal(["active"], ledger.Conflicts(ClaimSet.Parse("read src/a.cs")).Select(c => c.Owner));

        ledger = ledger.Update(active, active with { Status = RunStatus.Succeeded });
        Assert.Equal<string>(["held"], ledger.Ids);
        Assert.Empty(ledger.Conflicts(ClaimSet.Parse("read src/a.cs")));
    }

    [Fact]
    public void Update_SameClaimsStillIndexed_LedgerUnchanged()
    {
        Run active = Run("r", "a", status: RunStatus.Active);
        ClaimLedger ledger = ClaimLedger.Empty.Update(null, active);

        Assert.Same(ledger, ledger.Update(active, active with { LeaseExpiresAt = 9 }));
    }

    [Fact]
    public void Update_WiderClaims_QueriesSeeTheNewClaims()
    {
        Run active = Run("r", "a", "write src/**", RunStatus.Active);
        ClaimLedger ledger = ClaimLedger.Empty.Update(null, active);

        ledger = ledger.Update(active, active with { Claims = ClaimSet.Parse("write src/**\nwrite docs/**") });

        Assert.Single(ledger.Conflicts(ClaimSet.Parse("write docs/a.md")));
    }

    [Fact]
    public void Create_MixedRuns_IndexesOnlyActiveAndReserving()
    {
        ClaimLedger ledger = ClaimLedger.Create(
        [
            Run("a1", "a", status: RunStatus.Active),
            Run("h1", "b", status: RunStatus.Held),
            Run("h2", "c", status: RunStatus.Held) with { ReservesPlace = true },
            Run("p1", "d"),
        ]);

        Assert.Equal<string>(["a1", "h2"], ledger.Ids);
        Assert.Equal<string>(["a1", "h2"], ledger.Index.Owners);
    }
}
