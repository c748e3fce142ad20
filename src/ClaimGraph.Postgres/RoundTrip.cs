using Npgsql;

namespace ClaimGraph.Postgres;

/// <summary>
/// Bounds the database round trips of one operation. Each call gets a token that fires after the command timeout
/// (linked to the caller's token), so the driver cancels the statement and, when the server does not answer the
/// cancellation, breaks the connection. As a last resort a call the driver has not ended a grace period after that
/// is abandoned: the operation throws, and its connection is disposed only once the abandoned call ends. A dead
/// server, a killed backend or a half-open socket can so never stall a caller for longer than the timeout plus the grace.
/// </summary>
/// <remarks>Not thread-safe: one operation, one round trip at a time.</remarks>
internal sealed class RoundTrip : IDisposable
{
    /// <summary>How long a cancelled call may take to end (Npgsql waits 2 s for the server's answer to a cancel request by default).</summary>
    internal static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _deadline;
    private readonly CancellationToken _caller;
    private readonly CancellationTokenRegistration _link;
    private readonly TimeProvider _time;
    private Task? _abandoned;

    public RoundTrip(TimeSpan timeout, CancellationToken caller, TimeProvider? time = null)
    {
        Timeout = timeout;
        _caller = caller;
        _time = time ?? TimeProvider.System;
        _deadline = new CancellationTokenSource(System.Threading.Timeout.InfiniteTimeSpan, _time);
        _link = caller.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _deadline);
    }

    /// <summary>The longest one call may take before it is cancelled.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The command timeout in whole seconds, for <see cref="NpgsqlCommand.CommandTimeout"/> (rounded up).</summary>
    public int TimeoutSeconds => (int)Math.Min(int.MaxValue, Math.Ceiling(Timeout.TotalSeconds));

    /// <summary>A call of this operation that was abandoned (still running on its connection), or null.</summary>
    public Task? Abandoned => _abandoned;

    /// <summary>The caller's token (not the deadline): for work that is not a database call.</summary>
    public CancellationToken Caller => _caller;

    /// <summary>Runs one database call under the deadline.</summary>
    /// <exception cref="TimeoutException">The call did not end within the timeout plus the grace; it was abandoned.</exception>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call)
    {
        ThrowIfAbandoned();
        _deadline.CancelAfter(Timeout);
        try
        {
            return await BoundAsync(call(_deadline.Token)).ConfigureAwait(false);
        }
        finally
        {
            if (!_deadline.IsCancellationRequested)
            {
                _deadline.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>
    /// Runs a clean-up call that takes no token (a transaction's rollback on dispose) after a failure, bounded the same
    /// way; its own failure is swallowed (the first failure is the one that matters). Skipped once a call was abandoned.
    /// </summary>
    public async Task CleanUpAsync(Func<ValueTask> call)
    {
        if (_abandoned is not null)
        {
            return;
        }

        try
        {
            await BoundAsync(call().AsTask()).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException or OperationCanceledException)
        {
            // The connection is broken or busy: the pool discards or resets it.
        }
    }

    /// <summary>Runs one database call under the deadline.</summary>
    public Task RunAsync(Func<CancellationToken, Task> call) => RunAsync(token => WithResult(call(token)));

    /// <summary>
    /// Returns the connection to its pool, or, when a call on it was abandoned, once that call has ended (never
    /// waiting for it).
    /// </summary>
    public async ValueTask ReleaseAsync(NpgsqlConnection? connection)
    {
        if (connection is null)
        {
            return;
        }

        if (_abandoned is { } pending)
        {
            DisposeAfter(pending, connection);
            return;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Disposes <paramref name="connection"/> once the abandoned call <paramref name="pending"/> on it has ended, without waiting for it.</summary>
    public static void DisposeAfter(Task pending, NpgsqlConnection connection) =>
        _ = pending.ContinueWith(_ => connection.DisposeAsync().AsTask(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap()
            .ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>
    /// Whether <paramref name="ex"/> means the connection failed, a call timed out, or the server ran out of a resource
    /// (SQLSTATE class 53: disk, connections, memory) — rather than the caller cancelling, or the server refusing a
    /// statement for a reason of its own. <see cref="Failure"/> turns these into typed errors.
    /// </summary>
    public bool IsTypedFailure(Exception ex) => ex switch
    {
        OperationCanceledException => !_caller.IsCancellationRequested,
        TimeoutException => true,
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
            || (pg.SqlState == PostgresErrorCodes.QueryCanceled && !_caller.IsCancellationRequested),
        NpgsqlException => true,
        _ => false,
    };

    /// <summary>
    /// The typed error for <paramref name="ex"/> (one that <see cref="IsTypedFailure"/> accepts), without any part of the
    /// connection string: <see cref="ClaimLogErrorCode.DiskFull"/>, <see cref="ClaimLogErrorCode.TooManyConnections"/>,
    /// <see cref="ClaimLogErrorCode.ServerOutOfResources"/> or <see cref="ClaimLogErrorCode.ConnectionFailed"/>.
    /// </summary>
    public ClaimLogException Failure(Exception ex, string during, string? streamId, long? version, string hint)
    {
        if (ex is PostgresException { SqlState: ['5', '3', ..] } resources)
        {
            (ClaimLogErrorCode code, string what, string fix) = resources.SqlState switch
            {
                PostgresErrorCodes.DiskFull => (ClaimLogErrorCode.DiskFull, "the server is out of disk space", "free disk space on the server, then send the same events again (already logged ones are not appended twice)"),
                PostgresErrorCodes.TooManyConnections => (ClaimLogErrorCode.TooManyConnections, "the server has too many clients", "raise the server's max_connections or lower Maximum Pool Size, then try again"),
                _ => (ClaimLogErrorCode.ServerOutOfResources, "the server ran out of resources", "try again later (already logged events are not appended twice)"),
            };
            return new ClaimLogException(code, $"{what} during {during} ({resources.SqlState}); nothing of it was committed", streamId, version, fix, ex);
        }

        string cause = ex switch
        {
            PostgresException pg => $"the server ended it ({pg.SqlState})",
            // Npgsql's own command timeout (NpgsqlCommand.CommandTimeout, the same limit) can fire before ours: it
            // arrives as an NpgsqlException around a TimeoutException.
            TimeoutException or OperationCanceledException or NpgsqlException { InnerException: TimeoutException }
                => $"a round trip took longer than the command timeout of {Timeout.TotalSeconds:0.###} s",
            _ => "it broke (" + (ex.InnerException ?? ex).GetType().Name + ")",
        };
        return new ClaimLogException(ClaimLogErrorCode.ConnectionFailed, $"the database connection failed during {during}: {cause}", streamId, version, hint, ex);
    }

    public void Dispose()
    {
        _link.Dispose();
        _deadline.Dispose();
    }

    private async Task<T> BoundAsync<T>(Task<T> task)
    {
        try
        {
            return await task.WaitAsync(Timeout + Grace, _time).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            _abandoned = task;
            _ = task.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw new TimeoutException($"The database call did not end within {Timeout} plus {Grace} after its cancellation; it was abandoned.");
        }
    }

    private async Task BoundAsync(Task task) => await BoundAsync(WithResult(task)).ConfigureAwait(false);

    private static async Task<bool> WithResult(Task task)
    {
        await task.ConfigureAwait(false);
        return true;
    }

    private void ThrowIfAbandoned()
    {
        if (_abandoned is not null)
        {
            throw new InvalidOperationException("A database call of this operation was abandoned; its connection must not be used again.");
        }
    }
}
