namespace ClaimGraph.Postgres.Tests;

public class ClaimLogExceptionTests
{
    [Fact]
    public void Message_StreamVersionAndHint_AllNamedInOneLine()
    {
        var ex = new ClaimLogException(ClaimLogErrorCode.VersionGap, "expected 2, found 3", "orders", 2, "restore the rows", null);

        Assert.Equal("VersionGap in stream 'orders' at version 2: expected 2, found 3; restore the rows", ex.Message);
        Assert.Equal(ClaimLogErrorCode.VersionGap, ex.Code);
        Assert.Equal("orders", ex.StreamId);
        Assert.Equal(2, ex.Version);
    }

    [Fact]
    public void Message_NoStream_SaysOnlyTheCodeAndDetail()
    {
        var ex = new ClaimLogException(ClaimLogErrorCode.SchemaMissing, "no schema", null, null, null, null);

        Assert.Equal("SchemaMissing: no schema", ex.Message);
    }

    [Fact]
    public void ErrorCodes_Numbers_AreStable()
    {
        Assert.Equal(1, (int)ClaimLogErrorCode.MalformedEvent);
        Assert.Equal(4, (int)ClaimLogErrorCode.UnknownSnapshotFormat);
        Assert.Equal(9, (int)ClaimLogErrorCode.ConcurrencyRetriesExhausted);
        Assert.Equal(11, (int)ClaimLogErrorCode.StreamDiverged);
        Assert.Equal(12, (int)ClaimLogErrorCode.DiskFull);
        Assert.Equal(13, (int)ClaimLogErrorCode.TooManyConnections);
        Assert.Equal(14, (int)ClaimLogErrorCode.ServerOutOfResources);
    }
}
