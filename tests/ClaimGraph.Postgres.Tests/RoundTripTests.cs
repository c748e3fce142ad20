using Npgsql;

namespace ClaimGraph.Postgres.Tests;

/// <summary>How a failed round trip is worded (no database needed).</summary>
public class RoundTripTests
{
    [Fact]
    public void Failure_NpgsqlsOwnCommandTimeout_SaysCommandTimeout()
    {
        using var trip = new RoundTrip(TimeSpan.FromSeconds(1), CancellationToken.None);
        var npgsqlTimeout = new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"));

        ClaimLogException ex = trip.Failure(npgsqlTimeout, "an append", "s", 0, "hint");

        Assert.True(trip.IsTypedFailure(npgsqlTimeout));
        Assert.Equal(ClaimLogErrorCode.ConnectionFailed, ex.Code);
        Assert.Contains("command timeout of 1 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Failure_BrokenStream_SaysItBroke()
    {
        using var trip = new RoundTrip(TimeSpan.FromSeconds(1), CancellationToken.None);
        var broken = new NpgsqlException("Exception while reading from stream", new EndOfStreamException());

        ClaimLogException ex = trip.Failure(broken, "an append", "s", 0, "hint");

        Assert.Contains("it broke (EndOfStreamException)", ex.Message, StringComparison.Ordinal);
    }
}
