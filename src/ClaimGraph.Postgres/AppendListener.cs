using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ClaimGraph.Postgres;

/// <summary>
/// Wakes a replica when another one appends to a stream: <c>LISTEN</c> on a dedicated connection, fed by the
/// <c>NOTIFY</c> each append sends when it commits. Create with <see cref="PostgresClaimLog.ListenAsync"/>; dispose to
/// release the connection.
/// </summary>
/// <remarks>
/// No append is missed: the listener subscribes before it reads the head, and a notification is sent right after each
/// append's commit. As a safety net (the appender's connection may break between its commit and its notification) it
/// reads the head again whenever a wait sees no notification for the poll interval.
/// <see cref="WaitForAppendAsync"/> calls are serialised; <see cref="LatestVersion"/> may be read from any thread.
/// </remarks>
public sealed class AppendListener : IAsyncDisposable
{
    private readonly PostgresClaimLog _log;
    private readonly NpgsqlConnection _connection;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _commandTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Ends a wire wait that was abandoned (it may break the connection, which is then dropped anyway).</summary>
    private readonly CancellationTokenSource _wireStop = new();

    /// <summary>Forwarded submissions awaited, and whether a leader's commit named them yet; null unless listening for them.</summary>
    private readonly ConcurrentDictionary<Guid, bool>? _awaited;
    private long _latest;
    private long _notifications;
    private Task? _abandoned;
    private bool _disposed;
    private bool _broken;

    private AppendListener(PostgresClaimLog log, NpgsqlConnection connection, string streamId, CoordinatorOptions options, ILogger logger, bool logged)
    {
        _log = log;
        _awaited = logged ? new ConcurrentDictionary<Guid, bool>() : null;
        _connection = connection;
        StreamId = streamId;
        _pollInterval = options.NotificationPollInterval;
        _commandTimeout = options.CommandTimeout;
        _time = options.TimeProvider;
        _logger = logger;
    }

    /// <summary>The stream listened to.</summary>
    public string StreamId { get; }

    /// <summary>The server process of the listening connection (for tests that cut it).</summary>
    internal int ProcessId => _connection.ProcessID;

    /// <summary>The wait on the wire, in whole milliseconds (for tests that stand in a wait that never ends).</summary>
    internal Func<NpgsqlConnection, int, CancellationToken, Task<bool>> WireWait { get; set; } = static (connection, milliseconds, token) => connection.WaitAsync(milliseconds, token);

    /// <summary>A wait on the wire that was abandoned (it outlived its bound), or null (for tests).</summary>
    internal Task? Abandoned => _abandoned;

    /// <summary>The highest stream version seen so far (by notification or by reading the head).</summary>
    public long LatestVersion => Volatile.Read(ref _latest);

    /// <summary>
    /// Waits until the stream's head is above <paramref name="afterVersion"/> and returns it. Returns at once when it
    /// already is.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the listener stays usable).</exception>
    /// <exception cref="ObjectDisposedException">The listener was disposed.</exception>
    /// <exception cref="ClaimLogException">
    /// <see cref="ClaimLogErrorCode.ConnectionFailed"/>: the listening connection broke, or reading the head took longer
    /// than the command timeout; dispose this listener and start another.
    /// </exception>
    public async Task<long> WaitForAppendAsync(long afterVersion, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (LatestVersion <= afterVersion)
            {
                // Short waits keep cancellation prompt without cancelling a wait on the wire (which would break the connection).
                TimeSpan slice = _pollInterval < TimeSpan.FromMilliseconds(250) ? _pollInterval : TimeSpan.FromMilliseconds(250);
                long started = _time.GetTimestamp();
                bool notified = false;
                while (!notified && _time.GetElapsedTime(started) < _pollInterval)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    notified = await WaitOnWireAsync(slice, cancellationToken).ConfigureAwait(false);
                }

                if (!notified)
                {
                    using var trip = new RoundTrip(_commandTimeout, cancellationToken, _time);
                    try
                    {
                        Raise((await trip.RunAsync(token => _log.ReadHeadAsync(_connection, StreamId, token)).ConfigureAwait(false)).Version);
                        CoordinatorTelemetry.ListenerFallbacks.Add(1);
                        CoordinatorLog.ListenerFallback(_logger, StreamId, _pollInterval, LatestVersion);
                    }
                    catch (Exception ex) when (trip.IsTypedFailure(ex))
                    {
                        _broken = true;
                        throw trip.Failure(ex, "a wait for appends", StreamId, null, "listen again on a new listener");
                    }
                }
            }

            return LatestVersion;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Returns as soon as the stream's head is above <paramref name="afterVersion"/> or any notification for the stream
    /// arrives, or after <paramref name="patience"/> (then without reading the head).
    /// </summary>
    /// <exception cref="ClaimLogException"><see cref="ClaimLogErrorCode.ConnectionFailed"/>: the listening connection broke.</exception>
    internal async Task WaitForNotificationAsync(long afterVersion, TimeSpan patience, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long heard = Volatile.Read(ref _notifications);
            long started = _time.GetTimestamp();
            while (LatestVersion <= afterVersion && Volatile.Read(ref _notifications) == heard)
            {
                TimeSpan left = patience - _time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    return;
                }

                cancellationToken.ThrowIfCancellationRequested();
                await WaitOnWireAsync(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts watching for a leader's commit naming <paramref name="submission"/> (before its events are forwarded, so none is missed).</summary>
    internal void Expect(Guid submission) => _awaited![submission] = false;

    /// <summary>Stops watching for <paramref name="submission"/>.</summary>
    internal void Forget(Guid submission) => _awaited!.TryRemove(submission, out _);

    /// <summary>
    /// Waits until a leader's commit names <paramref name="submission"/> (see <see cref="Expect"/>), at most
    /// <paramref name="patience"/>. Returns whether one did.
    /// </summary>
    /// <exception cref="ClaimLogException"><see cref="ClaimLogErrorCode.ConnectionFailed"/>: the listening connection broke.</exception>
    internal async Task<bool> WaitForLoggedAsync(Guid submission, TimeSpan patience, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long started = _time.GetTimestamp();
            while (!(_awaited!.TryGetValue(submission, out bool logged) && logged))
            {
                TimeSpan left = patience - _time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }

                cancellationToken.ThrowIfCancellationRequested();
                await WaitOnWireAsync(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops listening and returns the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Notification -= OnNotification;
            // A broken connection is not returned to the pool with its subscription; only a live one is unsubscribed,
            // within the command timeout.
            using var trip = new RoundTrip(_commandTimeout, CancellationToken.None, _time);
            if (!_broken && _connection.State == System.Data.ConnectionState.Open)
            {
                try
                {
                    await trip.RunAsync(token => PostgresClaimLog.ExecuteAsync(_connection, null, "UNLISTEN *", token)).ConfigureAwait(false);
                }
                catch (Exception ex) when (trip.IsTypedFailure(ex))
                {
                    // It broke meanwhile: nothing to undo.
                }
            }

            if (_abandoned is { } pending)
            {
                // An abandoned wire wait still runs on the connection: disposing the connection under it would throw
                // (an operation is in progress). It was cancelled when abandoned; wait for it to end, then dispose.
                await _wireStop.CancelAsync().ConfigureAwait(false);
                if (await Task.WhenAny(pending, Task.Delay(RoundTrip.Grace, CancellationToken.None)).ConfigureAwait(false) != pending)
                {
                    RoundTrip.DisposeAfter(pending, _connection);
                    return;
                }
            }

            await trip.ReleaseAsync(_connection).ConfigureAwait(false);
            _wireStop.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts a listener; with <paramref name="logged"/>, it also hears which forwarded submissions a leader's commits logged.</summary>
    internal static async Task<AppendListener> StartAsync(PostgresClaimLog log, string streamId, CoordinatorOptions options, ILogger? logger, bool logged, CancellationToken cancellationToken)
    {
        TimeSpan pollInterval = options.NotificationPollInterval;
        if (pollInterval <= TimeSpan.Zero || pollInterval.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), pollInterval, "The poll interval must be positive and under 24 days.");
        }

        using var trip = new RoundTrip(options.CommandTimeout, cancellationToken, options.TimeProvider);
        NpgsqlConnection? connection = null;
        try
        {
            connection = await trip.RunAsync(token => log.DataSource.OpenConnectionAsync(token).AsTask()).ConfigureAwait(false);
            var listener = new AppendListener(log, connection, streamId, options, logger ?? NullLogger.Instance, logged);
            connection.Notification += listener.OnNotification;
            await trip.RunAsync(token => PostgresClaimLog.ExecuteAsync(connection, null, "LISTEN " + log.Sql.QuotedChannel, token)).ConfigureAwait(false);
            if (logged)
            {
                await trip.RunAsync(token => PostgresClaimLog.ExecuteAsync(connection, null, "LISTEN " + ClaimLogSql.Quote(log.Sql.LoggedChannel), token)).ConfigureAwait(false);
            }

            listener.Raise((await trip.RunAsync(token => log.ReadHeadAsync(connection, streamId, token)).ConfigureAwait(false)).Version);
            connection = null;
            return listener;
        }
        catch (Exception ex) when (trip.IsTypedFailure(ex))
        {
            throw trip.Failure(ex, "the start of a listener", streamId, null, "listen again");
        }
        finally
        {
            await trip.ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>One slice of waiting for a notification on the wire; a broken connection becomes <see cref="ClaimLogErrorCode.ConnectionFailed"/>.</summary>
    private async Task<bool> WaitOnWireAsync(TimeSpan slice, CancellationToken cancellationToken)
    {
        if (_connection.State != System.Data.ConnectionState.Open)
        {
            throw new ClaimLogException(
                ClaimLogErrorCode.ConnectionFailed,
                "the listening connection was closed by the server or the network",
                StreamId,
                null,
                "listen again on a new listener",
                null);
        }

        // The wire wait is bounded by the slice, a socket timeout inside Npgsql on real time; so is the safety net around
        // it (a test clock jumping ahead must not abandon a socket read that real time has not ended). Npgsql counts
        // whole milliseconds and reads 0 as "no timeout": a slice under 1 ms (the end of a patience) must not round
        // down to a wait that ends only with the next notification.
        int milliseconds = WireMilliseconds(slice);
        using var trip = new RoundTrip(TimeSpan.FromMilliseconds(milliseconds) + _commandTimeout, cancellationToken, TimeProvider.System);
        try
        {
            // The caller's token is not passed on (a cancelled wait on the wire breaks the connection); only an
            // abandoned wait is cancelled, to end it before the connection is disposed.
            return await trip.RunAsync(_ => WireWait(_connection, milliseconds, _wireStop.Token)).ConfigureAwait(false);
        }
        catch (Exception ex) when (trip.IsTypedFailure(ex))
        {
            _broken = true;
            if (trip.Abandoned is { } abandoned)
            {
                _abandoned = abandoned;
                await _wireStop.CancelAsync().ConfigureAwait(false);
            }

            throw trip.Failure(ex, "a wait for appends", StreamId, null, "listen again on a new listener");
        }
    }

    /// <summary>A wire wait's timeout in whole milliseconds: at least 1 (0 would mean no timeout), rounded up.</summary>
    internal static int WireMilliseconds(TimeSpan slice) => (int)Math.Clamp(Math.Ceiling(slice.TotalMilliseconds), 1, int.MaxValue);

    internal static string Payload(long version, string streamId) => version.ToString(CultureInfo.InvariantCulture) + ":" + streamId;

    /// <summary>The payloads that tell the forwarding replicas their <paramref name="submissions"/> were logged (see <see cref="ClaimLogSql.LoggedChannel"/>).</summary>
    internal static string[] LoggedPayloads(IReadOnlyCollection<Guid> submissions, string streamId)
    {
        // A payload holds under 8,000 bytes: 200 submissions of 33 bytes and a stream id of at most 800.
        const int PerPayload = 200;
        var payloads = new List<string>();
        foreach (Guid[] chunk in submissions.Chunk(PerPayload))
        {
            payloads.Add(string.Join(',', chunk.Select(g => g.ToString("N"))) + "\n" + streamId);
        }

        return [.. payloads];
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        string payload = e.Payload;
        if (_awaited is not null && string.Equals(e.Channel, _log.Sql.LoggedChannel, StringComparison.Ordinal))
        {
            int newline = payload.IndexOf('\n', StringComparison.Ordinal);
            if (newline > 0 && payload.AsSpan(newline + 1).SequenceEqual(StreamId))
            {
                foreach (Range range in payload.AsSpan(0, newline).Split(','))
                {
                    if (Guid.TryParseExact(payload.AsSpan(range), "N", out Guid submission))
                    {
                        _awaited.TryUpdate(submission, true, false);
                    }
                }
            }

            return;
        }

        int colon = payload.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0
            && string.Equals(e.Channel, _log.Sql.Channel, StringComparison.Ordinal)
            && payload.AsSpan(colon + 1).SequenceEqual(StreamId)
            && long.TryParse(payload.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out long version))
        {
            Raise(version);
            Interlocked.Increment(ref _notifications);
        }
    }

    private void Raise(long version)
    {
        long seen = Volatile.Read(ref _latest);
        while (version > seen)
        {
            long found = Interlocked.CompareExchange(ref _latest, version, seen);
            if (found == seen)
            {
                return;
            }

            seen = found;
        }
    }
}
