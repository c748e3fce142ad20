namespace ClaimGraph.Postgres;

/// <summary>Why the PostgreSQL claim log could not be read or written. The numbers are part of the public contract.</summary>
public enum ClaimLogErrorCode
{
    /// <summary>An event row's JSON does not parse as a ClaimGraph event, or its decisions column is not a JSON array.</summary>
    MalformedEvent = 1,

    /// <summary>An event row's <c>format</c> is not one this library reads (typically written by a newer version).</summary>
    UnknownEventFormat = 2,

    /// <summary>A snapshot row's JSON does not load as a work graph (see the inner <c>WorkGraphSnapshotException</c>).</summary>
    MalformedSnapshot = 3,

    /// <summary>A snapshot row's <c>format</c>, or the version inside its JSON, is not one this library reads.</summary>
    UnknownSnapshotFormat = 4,

    /// <summary>The stream's event versions are not 1, 2, 3, … without gaps, or its head row disagrees with its events.</summary>
    VersionGap = 5,

    /// <summary>
    /// Replaying a logged event gave other decisions than the log holds: the replicas run different policy options
    /// or library versions, or a row was edited.
    /// </summary>
    DecisionsDiverged = 6,

    /// <summary>The database has no ClaimGraph schema, or an older one: call <c>MigrateAsync</c> first.</summary>
    SchemaMissing = 7,

    /// <summary>The database's schema was migrated by a newer version of this library.</summary>
    SchemaTooNew = 8,

    /// <summary>An append lost the race for the stream head more times than <c>CoordinatorOptions.MaxConflictRetries</c> allows.</summary>
    ConcurrencyRetriesExhausted = 9,

    /// <summary>
    /// The database connection broke (the server closed it, the network failed) or a round trip took longer than
    /// <c>CoordinatorOptions.CommandTimeout</c>. For an append, whether it committed is unknown: send the same events
    /// again (appends are idempotent by event id). The coordinator stays usable; its next call takes a fresh connection.
    /// </summary>
    ConnectionFailed = 10,

    /// <summary>
    /// The log no longer continues this replica's history: the stream's head is behind the version the replica
    /// applied, or the events at those versions differ from the ones it applied (their hash chain differs). The
    /// database lost commits the replica saw (a crash with <c>synchronous_commit=off</c> or <c>fsync=off</c>, a failover
    /// to an asynchronous standby, a point-in-time restore), or a row was changed outside the coordinator. Nothing was
    /// appended. Reload the replica from the log (<c>PostgresCoordinator.ReloadAsync</c>) and stop the runs it had
    /// admitted that the reloaded graph does not have active.
    /// </summary>
    StreamDiverged = 11,

    /// <summary>The server is out of disk space (SQLSTATE 53100). Nothing of the failed statement was logged: free space, then send the same events again.</summary>
    DiskFull = 12,

    /// <summary>The server refused the connection: too many clients (SQLSTATE 53300). Nothing was logged: raise <c>max_connections</c> or lower the pools' <c>Maximum Pool Size</c>, then try again.</summary>
    TooManyConnections = 13,

    /// <summary>The server ran out of another resource (SQLSTATE class 53: memory, a configured limit). Nothing of the failed statement was logged: try again later.</summary>
    ServerOutOfResources = 14,

    /// <summary>
    /// The stream records other policy options (another <c>PolicyOptions.Fingerprint</c>) than this replica's
    /// <c>CoordinatorOptions.Policy</c>, or a snapshot row was written under other options. Nothing was appended.
    /// Open every replica with the stream's options, or open once with <c>CoordinatorOptions.OptionsChanging</c> to
    /// change them on purpose (the change is recorded in the stream's options changes).
    /// </summary>
    OptionsMismatch = 15,
}
