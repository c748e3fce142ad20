using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using ClaimGraph.Policy;
using ClaimGraph.Postgres.Appending;
using ClaimGraph.Serialization;
using Npgsql;

namespace ClaimGraph.Postgres;

/// <summary>
/// A ClaimGraph event log in one PostgreSQL schema: streams, each an append-only sequence of events with the decisions
/// the policy made for them, and periodic snapshots of the graph. The events are the source of truth; snapshots only
/// shorten replay. Appending goes through a <see cref="PostgresCoordinator"/>; this class migrates the schema and reads.
/// </summary>
/// <remarks>
/// Thread-safe: every call takes its own connection from the data source. The data source (and so the connection
/// string) stays the caller's: this class never logs it, and no exception it throws carries it.
/// </remarks>
public sealed class PostgresClaimLog
{
    /// <summary>The schema used when none is given.</summary>
    public const string DefaultSchema = "claimgraph";

    /// <summary>The event row format this version writes: <see cref="PolicyJson"/> event JSON, decisions as a JSON array.</summary>
    public const int EventFormat = 1;

    /// <summary>The longest stream id, in UTF-16 code units.</summary>
    public const int MaxStreamIdLength = 200;

    /// <summary>Creates the log over <paramref name="dataSource"/> in schema <paramref name="schema"/>. Does not connect.</summary>
    /// <param name="dataSource">Where connections come from; owned by the caller (not disposed here).</param>
    /// <param name="schema">A lower-case identifier: <c>[a-z_][a-z0-9_]*</c>, at most 50 characters. Default <see cref="DefaultSchema"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not such an identifier.</exception>
    public PostgresClaimLog(NpgsqlDataSource dataSource, string schema = DefaultSchema)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(schema);
        if (!IsSchemaName(schema))
        {
            throw new ArgumentException($"The schema name '{schema}' is not a lower-case identifier of at most 50 characters ([a-z_][a-z0-9_]*).", nameof(schema));
        }

        DataSource = dataSource;
        Sql = new ClaimLogSql(schema);
    }

    /// <summary>The schema migrations bring a database to.</summary>
    public static int LatestSchemaVersion => ClaimLogMigrations.Latest;

    /// <summary>The schema holding the tables.</summary>
    public string Schema => Sql.Schema;

    /// <summary>The NOTIFY channel appends signal on (payload <c>"{version}:{streamId}"</c>).</summary>
    public string NotificationChannel => Sql.Channel;

    internal NpgsqlDataSource DataSource { get; }

    internal ClaimLogSql Sql { get; }

    /// <summary>
    /// Creates or upgrades the schema to <see cref="LatestSchemaVersion"/>: every migration not yet recorded in its
    /// <c>schema_version</c> table, in one transaction, under an advisory lock (so concurrent callers are safe).
    /// Idempotent: on an up-to-date schema it changes nothing.
    /// </summary>
    /// <exception cref="ClaimLogException"><see cref="ClaimLogErrorCode.SchemaTooNew"/> when a newer library migrated the schema.</exception>
    public async Task<SchemaMigrationResult> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, ClaimLogMigrations.Lock(Sql), cancellationToken).ConfigureAwait(false);
        foreach (string statement in ClaimLogMigrations.Preamble(Sql))
        {
            await ExecuteAsync(connection, tx, statement, cancellationToken).ConfigureAwait(false);
        }

        int previous;
        await using (var read = new NpgsqlCommand(Sql.SelectSchemaVersion, connection, tx))
        {
            previous = (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        if (previous > LatestSchemaVersion)
        {
            throw TooNew(previous);
        }

        foreach ((int version, string description, Func<ClaimLogSql, string> sql) in ClaimLogMigrations.All)
        {
            if (version > previous)
            {
                await ExecuteAsync(connection, tx, sql(Sql), cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, tx, ClaimLogMigrations.Record(Sql, version, description), cancellationToken).ConfigureAwait(false);
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SchemaMigrationResult(previous, LatestSchemaVersion);
    }

    /// <summary>
    /// The SQL that <see cref="MigrateAsync"/> runs to bring this log's schema from <paramref name="fromVersion"/> to
    /// <see cref="LatestSchemaVersion"/>, as one script for a database administrator to review and run (for example
    /// with <c>psql -v ON_ERROR_STOP=1 -f</c>) where the replicas' role may not change the schema. It runs in one
    /// transaction under the same advisory lock, refuses to run unless the schema is at <paramref name="fromVersion"/>,
    /// and records each migration in <c>schema_version</c>, so <see cref="EnsureSchemaAsync"/> passes afterwards and
    /// <see cref="MigrateAsync"/> changes nothing. Replicas then need only <c>SELECT</c>, <c>INSERT</c>, <c>UPDATE</c>
    /// and <c>DELETE</c> on the schema's tables (no <c>CREATE</c>).
    /// </summary>
    /// <param name="fromVersion">The schema's current version (<see cref="GetSchemaVersionAsync"/>); 0 for a new database.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromVersion"/> is negative or above <see cref="LatestSchemaVersion"/>.</exception>
    public string GetMigrationScript(int fromVersion = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromVersion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fromVersion, LatestSchemaVersion);
        var script = new System.Text.StringBuilder();
        script.Append("-- ClaimGraph.Postgres: schema \"").Append(Schema).Append("\" from version ").Append(fromVersion)
            .Append(" to ").Append(LatestSchemaVersion).Append('\n');
        script.Append("BEGIN;\n").Append(ClaimLogMigrations.Lock(Sql)).Append(";\n");
        foreach (string statement in ClaimLogMigrations.Preamble(Sql))
        {
            script.Append(statement).Append(";\n");
        }

        script.Append(ClaimLogMigrations.RequireVersion(Sql, fromVersion)).Append(";\n");
        foreach ((int version, string description, Func<ClaimLogSql, string> sql) in ClaimLogMigrations.All)
        {
            if (version > fromVersion)
            {
                script.Append("\n-- Migration ").Append(version).Append(": ").Append(description).Append('\n');
                script.Append(sql(Sql).TrimEnd()).Append('\n');
                script.Append(ClaimLogMigrations.Record(Sql, version, description)).Append(";\n");
            }
        }

        return script.Append("COMMIT;\n").ToString();
    }

    /// <summary>The highest migration applied to the schema, or 0 when it has none.</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand(Sql.HasSchemaVersionTable, connection) { Parameters = { Param(Sql.SchemaVersionTable) } })
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return 0;
            }
        }

        await using var command = new NpgsqlCommand(Sql.SelectSchemaVersion, connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Throws unless the schema is at <see cref="LatestSchemaVersion"/>.</summary>
    /// <exception cref="ClaimLogException"><see cref="ClaimLogErrorCode.SchemaMissing"/> or <see cref="ClaimLogErrorCode.SchemaTooNew"/>.</exception>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        int version = await GetSchemaVersionAsync(cancellationToken).ConfigureAwait(false);
        if (version > LatestSchemaVersion)
        {
            throw TooNew(version);
        }

        if (version < LatestSchemaVersion)
        {
            throw new ClaimLogException(
                ClaimLogErrorCode.SchemaMissing,
                $"the schema '{Schema}' is at version {version}; this library needs version {LatestSchemaVersion}",
                null,
                null,
                "call MigrateAsync once (it is idempotent)",
                null);
        }
    }

    /// <summary>The stream's head: the version of its last event, or 0 when it has none or does not exist.</summary>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is not a valid stream id.</exception>
    public async Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        EnsureStreamId(streamId);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadHeadAsync(connection, streamId, cancellationToken).ConfigureAwait(false)).Version;
    }

    /// <summary>
    /// The stream's events after <paramref name="afterVersion"/>, in version order, read from one consistent database
    /// snapshot. Checks that versions follow each other without gaps and that each row's digest
    /// (<see cref="LoggedEvent.Chain"/>) follows from the one before (from the first event on when
    /// <paramref name="afterVersion"/> is 0).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is not a valid stream id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterVersion"/> is negative.</exception>
    /// <exception cref="ClaimLogException">
    /// <see cref="ClaimLogErrorCode.VersionGap"/> or <see cref="ClaimLogErrorCode.StreamDiverged"/> (a digest that does
    /// not follow: a row changed outside the coordinator) while enumerating.
    /// </exception>
    public async IAsyncEnumerable<LoggedEvent> ReadEventsAsync(string streamId, long afterVersion = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EnsureStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterVersion);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(Sql.SelectTail, connection) { Parameters = { Param(streamId), Param(afterVersion) } };
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        long previous = afterVersion;
        string? chain = afterVersion == 0 ? LogChain.Genesis : null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            LoggedEvent row = ReadEventRow(reader, streamId);
            Replay.EnsureNext(row, previous);
            if (chain is not null && !string.Equals(LogChain.Next(chain, row.Format, row.EventId, row.EventJson, row.DecisionsJson), row.Chain, StringComparison.Ordinal))
            {
                throw Replay.Diverged(streamId, row.Version, $"the digest of event '{row.EventId}' does not follow from the event before it: the row was changed outside the coordinator");
            }

            previous = row.Version;
            chain = row.Chain;
            yield return row;
        }
    }

    /// <summary>The stream's newest snapshot, or <see langword="null"/> when it has none.</summary>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is not a valid stream id.</exception>
    public async Task<StoredSnapshot?> ReadLatestSnapshotAsync(string streamId, CancellationToken cancellationToken = default)
    {
        EnsureStreamId(streamId);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(Sql.SelectLatestSnapshot, connection) { Parameters = { Param(streamId) } };
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new StoredSnapshot(streamId, reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), LogChain.ToHex(reader.GetFieldValue<byte[]>(4)));
    }

    /// <summary>
    /// The fingerprint (<see cref="PolicyOptions.Fingerprint"/>) of the policy options the stream is kept under, or
    /// <see langword="null"/> when the stream does not exist or was created before schema version 3 and not opened since.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is not a valid stream id.</exception>
    public async Task<string?> GetOptionsFingerprintAsync(string streamId, CancellationToken cancellationToken = default)
    {
        EnsureStreamId(streamId);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(Sql.SelectOptionsFingerprint, connection) { Parameters = { Param(streamId) } };
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>
    /// The stream's recorded policy options changes, oldest first: each time a coordinator opened it with
    /// <see cref="CoordinatorOptions.OptionsChanging"/> and other options, and the adoption of a fingerprint by a stream
    /// created before schema version 3 (<see cref="OptionsChange.OldFingerprint"/> null). Empty for a stream kept under
    /// the options it was created with.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is not a valid stream id.</exception>
    public async Task<ImmutableArray<OptionsChange>> ReadOptionsChangesAsync(string streamId, CancellationToken cancellationToken = default)
    {
        EnsureStreamId(streamId);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(Sql.SelectOptionsChanges, connection) { Parameters = { Param(streamId) } };
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var changes = ImmutableArray.CreateBuilder<OptionsChange>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            changes.Add(new OptionsChange(streamId, reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return changes.ToImmutable();
    }

    /// <summary>The versions of the stream's snapshots, newest first.</summary>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is not a valid stream id.</exception>
    public async Task<ImmutableArray<long>> GetSnapshotVersionsAsync(string streamId, CancellationToken cancellationToken = default)
    {
        EnsureStreamId(streamId);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(Sql.SelectSnapshotVersions, connection) { Parameters = { Param(streamId) } };
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = ImmutableArray.CreateBuilder<long>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt64(0));
        }

        return versions.ToImmutable();
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> snapshots of the stream. Events are never deleted.</summary>
    /// <returns>How many snapshots were deleted.</returns>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is not a valid stream id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keep"/> is below 1.</exception>
    public async Task<int> CompactSnapshotsAsync(string streamId, int keep, CancellationToken cancellationToken = default)
    {
        EnsureStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null, Sql.CompactSnapshots, cancellationToken, streamId, keep).ConfigureAwait(false);
    }

    /// <summary>
    /// Rebuilds the stream's graph from its events alone, from the first one (snapshots are not read), checking the
    /// logged decisions when <paramref name="verifyDecisions"/>. What a coordinator restarted from a snapshot must equal.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is not a valid stream id.</exception>
    /// <exception cref="ClaimLogException">A row is malformed, of an unknown format, out of sequence, or its decisions diverge.</exception>
    public async Task<ReplayResult> ReplayAsync(string streamId, PolicyOptions? options = null, bool verifyDecisions = true, CancellationToken cancellationToken = default)
    {
        options ??= PolicyOptions.Default;
        options.EnsureValid();
        CoordinatorState state = CoordinatorState.Empty;
        await foreach (LoggedEvent row in ReadEventsAsync(streamId, 0, cancellationToken).ConfigureAwait(false))
        {
            state = Replay.Apply(state, row, options, verifyDecisions, out _);
        }

        return new ReplayResult(state.Graph, state.Version, null);
    }

    /// <summary>
    /// Starts listening for appends to the stream on a dedicated connection (held until the listener is disposed).
    /// </summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="pollInterval">How long a wait lasts before the head is read anyway; default 10 s.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is not a valid stream id.</exception>
    /// <exception cref="ClaimLogException"><see cref="ClaimLogErrorCode.ConnectionFailed"/>: connecting or subscribing failed or took longer than 30 s.</exception>
    public Task<AppendListener> ListenAsync(string streamId, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        EnsureStreamId(streamId);
        return AppendListener.StartAsync(this, streamId, CoordinatorOptions.Default with { NotificationPollInterval = pollInterval ?? TimeSpan.FromSeconds(10) }, null, logged: false, cancellationToken);
    }

    /// <summary>Whether <paramref name="schema"/> is a valid schema name for this log.</summary>
    public static bool IsSchemaName(string? schema)
    {
        if (string.IsNullOrEmpty(schema) || schema.Length > 50 || !(schema[0] is '_' or (>= 'a' and <= 'z')))
        {
            return false;
        }

        foreach (char c in schema)
        {
            if (!(c is '_' or (>= 'a' and <= 'z') or (>= '0' and <= '9')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws unless <paramref name="streamId"/> is 1 to <see cref="MaxStreamIdLength"/> characters without NUL.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="streamId"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is empty, too long or contains NUL.</exception>
    public static void EnsureStreamId(string streamId)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        if (streamId.Length == 0 || streamId.Length > MaxStreamIdLength || streamId.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A stream id has 1 to {MaxStreamIdLength} characters and no NUL.", nameof(streamId));
        }
    }

    internal async Task<StreamHead> ReadHeadAsync(NpgsqlConnection connection, string streamId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Sql.SelectHead, connection) { Parameters = { Param(streamId) } };
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadHeadRowAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The head row under <paramref name="reader"/>'s current result (version, chain), or the empty head when there is none.</summary>
    internal static async Task<StreamHead> ReadHeadRowAsync(NpgsqlDataReader reader, CancellationToken cancellationToken) =>
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StreamHead(reader.GetInt64(0), LogChain.ToHex(reader.GetFieldValue<byte[]>(1)), reader.IsDBNull(2) ? null : reader.GetString(2))
            : StreamHead.Empty;

    /// <summary>Reads an event row selected with the columns of <see cref="ClaimLogSql"/> (version, id, format, event, decisions, time, chain, submission).</summary>
    internal static LoggedEvent ReadEventRow(NpgsqlDataReader reader, string streamId) =>
        new(streamId, reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), LogChain.ToHex(reader.GetFieldValue<byte[]>(6)))
        {
            Submission = reader.IsDBNull(7) ? null : reader.GetGuid(7),
        };

    internal static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (object value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static NpgsqlParameter<T> Param<T>(T value) => new() { TypedValue = value };

    private ClaimLogException TooNew(int version) =>
        new(
            ClaimLogErrorCode.SchemaTooNew,
            $"the schema '{Schema}' is at version {version}, newer than this library's {LatestSchemaVersion}",
            null,
            null,
            "upgrade ClaimGraph.Postgres on this replica",
            null);
}
