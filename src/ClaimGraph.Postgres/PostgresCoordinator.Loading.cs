using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;
using Npgsql;

namespace ClaimGraph.Postgres;

/// <summary>Loading a stream and catching up with the log.</summary>
public sealed partial class PostgresCoordinator
{
    /// <summary>Loads the stream from the log: the newest snapshot (when allowed), then the events after it.</summary>
    private async Task<(CoordinatorState State, long? SnapshotVersion)> LoadAsync(CancellationToken cancellationToken)
    {
        long? lastChange = null;
        StoredSnapshot? snapshot = await RunAsync(
            async token =>
            {
                await Log.EnsureSchemaAsync(token).ConfigureAwait(false);
                await using NpgsqlConnection connection = await Log.DataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                await PostgresClaimLog.ExecuteAsync(connection, null, Log.Sql.EnsureStream, token, StreamId, Options.Policy.Fingerprint).ConfigureAwait(false);
                lastChange = await ClaimOptionsAsync(connection, token).ConfigureAwait(false);
                return Options.UseSnapshots ? await Log.ReadLatestSnapshotAsync(StreamId, token).ConfigureAwait(false) : null;
            },
            "the opening of the coordinator",
            "open",
            null,
            "open it again",
            cancellationToken).ConfigureAwait(false);

        // A snapshot written before the stream's last options change (or adoption) was kept under the options in force then.
        var snapshotOptions = new SnapshotLoadOptions { ExpectedOptionsFingerprint = Options.Policy.Fingerprint, OptionsChanging = snapshot is not null && snapshot.Version <= lastChange };
        CoordinatorState state = snapshot is null ? CoordinatorState.Empty : new CoordinatorState(snapshot.Load(snapshotOptions), snapshot.Version, snapshot.Chain);
        (StreamHead head, List<LoggedEvent> rows) = await RunAsync(
            token => ReadHeadAndTailAsync(state.Version, token),
            "the opening of the coordinator",
            "open",
            state.Version,
            "open it again",
            cancellationToken).ConfigureAwait(false);
        return (Advance(state, head, rows, opening: true, null, null), snapshot?.Version);
    }

    /// <summary>
    /// Checks the stream's options fingerprint against this replica's, without locking the head row (opening never waits
    /// behind an append). Adopts this replica's fingerprint when the stream has none (a stream created before schema
    /// version 3), changes it when it differs and <see cref="CoordinatorOptions.OptionsChanging"/> (both in one
    /// conditional statement that records them in the options changes), refuses otherwise.
    /// </summary>
    /// <returns>The version of the stream's last recorded options change or adoption, or null when it has none.</returns>
    /// <remarks>Sets <see cref="_changedOptions"/> when it changed another fingerprint.</remarks>
    private async Task<long?> ClaimOptionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        string fingerprint = Options.Policy.Fingerprint;
        while (true)
        {
            long version;
            string? recorded;
            long? lastChange;
            await using (var read = new NpgsqlCommand(Log.Sql.SelectOptions, connection) { Parameters = { PostgresClaimLog.Param(StreamId) } })
            await using (NpgsqlDataReader reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                version = reader.GetInt64(0);
                recorded = reader.IsDBNull(1) ? null : reader.GetString(1);
                lastChange = reader.IsDBNull(2) ? null : reader.GetInt64(2);
            }

            if (string.Equals(recorded, fingerprint, StringComparison.Ordinal))
            {
                return lastChange;
            }

            if (recorded is not null && !Options.OptionsChanging)
            {
                throw OptionsMismatch(recorded, version);
            }

            await using var change = new NpgsqlCommand(Log.Sql.ChangeOptions, connection);
            change.Parameters.Add(PostgresClaimLog.Param(StreamId));
            change.Parameters.Add(PostgresClaimLog.Param(fingerprint));
            change.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)recorded ?? DBNull.Value });
            if (await change.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long changedAt)
            {
                _changedOptions = recorded is not null;
                CoordinatorLog.OptionsChanged(_logger, StreamId, changedAt, recorded, fingerprint);
                return changedAt;
            }

            // Another replica changed the fingerprint meanwhile: look again.
        }
    }

    private ClaimLogException OptionsMismatch(string recorded, long version) =>
        new(
            ClaimLogErrorCode.OptionsMismatch,
            $"the stream records policy options {recorded}; this replica's are {Options.Policy.Fingerprint}",
            StreamId,
            version,
            "open with the stream's policy options, or with CoordinatorOptions.OptionsChanging = true to change them on purpose",
            null);

    /// <summary>
    /// Applies the rows after <paramref name="state"/> (others are ignored) and checks the head read before them: not
    /// behind the replica, and at the replica's digest when the tail ends there.
    /// </summary>
    /// <param name="state">The replica's state.</param>
    /// <param name="head">The head row, read before the rows.</param>
    /// <param name="rows">The tail (and possibly logged rows at or below the state's version), in version order.</param>
    /// <param name="opening">Whether the state came from the log itself (a head behind it is then a broken head row).</param>
    /// <param name="submission">The submission whose rows' decisions to collect into <paramref name="decided"/>, or null.</param>
    /// <param name="decided">Where to put them.</param>
    private CoordinatorState Advance(CoordinatorState state, StreamHead head, List<LoggedEvent> rows, bool opening, Guid? submission, Dictionary<string, ImmutableArray<Decision>>? decided)
    {
        if (head.OptionsFingerprint is not null && !string.Equals(head.OptionsFingerprint, Options.Policy.Fingerprint, StringComparison.Ordinal))
        {
            throw OptionsMismatch(head.OptionsFingerprint, head.Version);
        }

        try
        {
            if (opening && head.Version < state.Version)
            {
                throw new ClaimLogException(
                    ClaimLogErrorCode.VersionGap,
                    $"the stream's head is at version {head.Version}, below its snapshot and events (up to {state.Version})",
                    StreamId,
                    head.Version,
                    "the head row must name the last event's version",
                    null);
            }

            long seen = state.Version;
            CoordinatorState after = state;
            foreach (LoggedEvent row in rows)
            {
                if (row.Version > after.Version)
                {
                    after = Replay.Apply(after, row, Options.Policy, Options.VerifyReplayedDecisions, out ImmutableArray<Decision> decisions);
                    if (submission is not null && row.Submission == submission)
                    {
                        decided![row.EventId] = decisions;
                    }
                }
            }

            Replay.EnsureHead(StreamId, head, seen, after);
            if (after.Version < head.Version)
            {
                throw new ClaimLogException(
                    ClaimLogErrorCode.VersionGap,
                    $"the stream's head row says version {head.Version} but its events end at version {after.Version}",
                    StreamId,
                    head.Version,
                    "the head row must name the last event's version",
                    null);
            }

            return after;
        }
        catch (ClaimLogException ex) when (ex.Code == ClaimLogErrorCode.StreamDiverged)
        {
            CoordinatorLog.Diverged(_logger, StreamId, ex.Version, ex);
            throw;
        }
    }
}
