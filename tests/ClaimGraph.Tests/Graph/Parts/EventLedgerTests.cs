using ClaimGraph.Graph;

namespace ClaimGraph.Tests.Graph.Parts;

/// <summary>The processed-event ledger on its own.</summary>
public class EventLedgerTests
{
    [Fact]
    public void Mark_NewAndRepeatedIds_EachOnceInOrdinalOrder()
    {
        EventLedger ledger = EventLedger.Empty.Mark("e2").Mark("E1");

        Assert.Same(ledger, ledger.Mark("e2"));
        Assert.Equal<string>(["E1", "e2"], ledger.Ids);
        Assert.True(ledger.Contains("E1"));
        Assert.False(ledger.Contains("e1"));
        Assert.True(ledger.ContentEquals(EventLedger.Empty.Mark("E1").Mark("e2")));
    }
}
