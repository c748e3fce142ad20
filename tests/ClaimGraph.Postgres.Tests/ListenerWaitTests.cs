using Npgsql;

namespace ClaimGraph.Postgres.Tests;

/// <summary>The listener's waits on the wire: bounded by their patience, and never disposed under the connection's feet.</summary>
public class ListenerWaitTests
{
    [SkippableFact]
    public async Task WaitForNotificationAsync_PatienceEndsWithinAMillisecond_ReturnsWithoutWaitingForANotification()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        var clock = new SteppingClock(TimeSpan.FromTicks(1_000));
        var options = new CoordinatorOptions { TimeProvider = clock, CommandTimeout = TimeSpan.FromSeconds(1) };
        await using AppendListener listener = await AppendListener.StartAsync(db.Log, "s", options, null, logged: false, CancellationToken.None);

        // Each look at the clock moves it 0.1 ms: the last slices of the 0.5 ms patience are under a millisecond. A slice
        // rounded down to 0 ms is a wait without a timeout, which (with no append coming) outlives the command timeout
        // and is abandoned as a broken connection.
        await listener.WaitForNotificationAsync(afterVersion: 10, TimeSpan.FromTicks(5_000), CancellationToken.None);

        Assert.Null(listener.Abandoned);
        Assert.Equal(0, listener.LatestVersion);
    }

    [SkippableFact]
    public async Task DisposeAsync_AfterAWireWaitWasAbandoned_EndsTheWaitThenReleasesTheConnection()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        var options = new CoordinatorOptions { CommandTimeout = TimeSpan.FromSeconds(1) };
        AppendListener listener = await AppendListener.StartAsync(db.Log, "s", options, null, logged: false, CancellationToken.None);

        // A wire wait that ends only when cancelled (or notified) outlives its bound and is abandoned.
        listener.WireWait = static (connection, _, token) => connection.WaitAsync(Timeout.Infinite, token);
        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(
            () => listener.WaitForNotificationAsync(afterVersion: 10, TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal(ClaimLogErrorCode.ConnectionFailed, ex.Code);
        Task? abandoned = listener.Abandoned;
        Assert.NotNull(abandoned);

        await listener.DisposeAsync();

        Assert.True(abandoned.IsCompleted, "dispose returned while the abandoned wait still ran on the connection");
        await using NpgsqlConnection again = await db.Log.DataSource.OpenConnectionAsync();
        Assert.NotEqual(0, again.ProcessID);
    }

    /// <summary>A clock that moves a fixed step each time it is read.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, step.Ticks);
    }
}
