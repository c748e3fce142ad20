using System.Collections.Immutable;
using ClaimGraph.Policy;
using ClaimGraph.Postgres.Appending;
using Npgsql;

namespace ClaimGraph.Postgres;

/// <summary>The leader's term under <see cref="CoordinatorConcurrency.Leader"/>.</summary>
public sealed partial class PostgresCoordinator
{
    /// <summary>
    /// This replica's term as the stream's leader: a connection of its own that holds the leader lock and listens on
    /// the inbox channel, and the loop that serves the inbox whenever a forwarding replica notifies (and at least every
    /// <see cref="CoordinatorOptions.NotificationPollInterval"/>). The term ends when the coordinator is disposed or a
    /// round fails (the connection, and with it the lock, is then released; another replica takes over).
    /// </summary>
    private sealed class LeaderRole : IAsyncDisposable
    {
        private readonly PostgresCoordinator _owner;
        private readonly NpgsqlConnection _connection;
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;
        private int _wakeups;

        private LeaderRole(PostgresCoordinator owner, NpgsqlConnection connection)
        {
            _owner = owner;
            _connection = connection;
            ProcessId = connection.ProcessID;
        }

        public bool IsAlive => !_loop.IsCompleted;

        public int ProcessId { get; }

        /// <summary>Takes the lock on a new connection and starts the loop; null (the connection returned) when another replica holds it.</summary>
        public static async Task<LeaderRole?> TryStartAsync(PostgresCoordinator owner, CancellationToken cancellationToken)
        {
            NpgsqlConnection connection = await owner.Log.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using (var tryLock = new NpgsqlCommand(owner.Log.Sql.TryLeaderLock, connection) { Parameters = { PostgresClaimLog.Param(owner.LeaderLockName) } })
                {
                    if (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                        return null;
                    }
                }

                var role = new LeaderRole(owner, connection);
                connection.Notification += role.OnNotification;
                await PostgresClaimLog.ExecuteAsync(connection, null, "LISTEN " + ClaimLogSql.Quote(owner.Log.Sql.InboxChannel), cancellationToken).ConfigureAwait(false);
                CoordinatorLog.Leading(owner._logger, owner.StreamId);
                role._loop = Task.Run(role.RunAsync, CancellationToken.None);
                return role;
            }
            catch
            {
                // A session that may hold the lock must not go back to the pool with it.
                owner.Log.DataSource.Clear();
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
            _stop.Dispose();
        }

        private async Task RunAsync()
        {
            PostgresCoordinator owner = _owner;
            TimeProvider time = owner.Options.TimeProvider;
            Exception? failure = null;
            bool wake = true;
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    // Serve first: events may have been queued before this term began, or while the last round ran.
                    int heard = Volatile.Read(ref _wakeups);
                    bool more;
                    await owner._gate.WaitAsync(_stop.Token).ConfigureAwait(false);
                    try
                    {
                        if (owner._disposed)
                        {
                            return;
                        }

                        if (wake)
                        {
                            // A notification: the inbox holds rows the last append did not see.
                            owner._inboxAfterHead = null;
                        }

                        await owner.LeadAsync(PendingEvents.From([]), Guid.NewGuid(), new Dictionary<string, ImmutableArray<Decision>>(StringComparer.Ordinal), _stop.Token).ConfigureAwait(false);
                        more = owner._inboxAfterHead is { Count: > 0 };
                    }
                    finally
                    {
                        owner._gate.Release();
                    }

                    if (more)
                    {
                        // Rows were queued while the round ran: take them in the next one at once.
                        wake = false;
                        continue;
                    }

                    // Wait on the wire, in short slices (a wait cannot be cancelled without breaking the connection),
                    // for a forwarding replica's notification heard after the round began, or the poll interval.
                    long started = time.GetTimestamp();
                    while (Volatile.Read(ref _wakeups) == heard && !_stop.IsCancellationRequested && time.GetElapsedTime(started) < owner.Options.NotificationPollInterval)
                    {
                        await _connection.WaitAsync(TimeSpan.FromMilliseconds(250), CancellationToken.None).ConfigureAwait(false);
                    }

                    wake = true;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Disposed.
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            finally
            {
                await owner._gate.WaitAsync().ConfigureAwait(false);
                owner._inboxAfterHead = null;
                owner._gate.Release();
                await ReleaseAsync().ConfigureAwait(false);
                CoordinatorLog.LeaderStopped(owner._logger, owner.StreamId, failure);
            }
        }

        /// <summary>Releases the lock and returns the connection; a connection in doubt is dropped from the pool instead.</summary>
        private async Task ReleaseAsync()
        {
            _connection.Notification -= OnNotification;
            using var trip = new RoundTrip(_owner.Options.CommandTimeout, CancellationToken.None, _owner.Options.TimeProvider);
            try
            {
                if (_connection.State == System.Data.ConnectionState.Open)
                {
                    await trip.RunAsync(token => PostgresClaimLog.ExecuteAsync(_connection, null, "UNLISTEN *", token)).ConfigureAwait(false);
                    await trip.RunAsync(async token =>
                    {
                        await using var unlock = new NpgsqlCommand(_owner.Log.Sql.Unlock, _connection) { Parameters = { PostgresClaimLog.Param(_owner.LeaderLockName) } };
                        return await unlock.ExecuteScalarAsync(token).ConfigureAwait(false);
                    }).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (trip.IsTypedFailure(ex) || ex is InvalidOperationException)
            {
                _owner.Log.DataSource.Clear();
            }

            await trip.ReleaseAsync(_connection).ConfigureAwait(false);
        }

        private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
        {
            if (string.Equals(e.Channel, _owner.Log.Sql.InboxChannel, StringComparison.Ordinal) && string.Equals(e.Payload, _owner.StreamId, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _wakeups);
            }
        }
    }
}
