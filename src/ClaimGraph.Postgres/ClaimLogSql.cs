namespace ClaimGraph.Postgres;

/// <summary>
/// The SQL of one schema, built once: table names are quoted identifiers of a validated schema name, values always
/// travel as parameters.
/// </summary>
internal sealed class ClaimLogSql
{
    public ClaimLogSql(string schema)
    {
        Schema = schema;
        string s = Quote(schema);
        Channel = schema + "_append";
        QuotedChannel = Quote(Channel);
        SchemaVersionTable = s + ".schema_version";
        Streams = s + ".streams";
        Events = s + ".events";
        Snapshots = s + ".snapshots";

        HasSchemaVersionTable = "SELECT to_regclass($1) IS NOT NULL";
        SelectSchemaVersion = "SELECT coalesce(max(version), 0) FROM " + SchemaVersionTable;
        EnsureStream = "INSERT INTO " + Streams + " (stream_id, version) VALUES ($1, 0) ON CONFLICT (stream_id) DO NOTHING";
        SelectHead = "SELECT version FROM " + Streams + " WHERE stream_id = $1";
        LockHead = "SELECT version FROM " + Streams + " WHERE stream_id = $1 FOR UPDATE";
        SelectTail =
            "SELECT version, event_id, format, event_json, decisions_json, appended_at FROM " + Events +
            " WHERE stream_id = $1 AND version > $2 ORDER BY version";
        SelectTailAndLogged =
            "SELECT version, event_id, format, event_json, decisions_json, appended_at FROM " + Events +
            " WHERE stream_id = $1 AND (version > $2 OR event_id = ANY($3)) ORDER BY version";
        Append =
            "WITH head AS (UPDATE " + Streams + " SET version = $3, updated_at = now() WHERE stream_id = $1 AND version = $2 RETURNING version), " +
            "ins AS (INSERT INTO " + Events + " (stream_id, version, event_id, format, event_json, decisions_json) " +
            "SELECT $1, $2 + t.ord, t.event_id, $4, t.event_json, t.decisions_json " +
            "FROM unnest($5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS t(event_id, event_json, decisions_json, ord) " +
            "WHERE EXISTS (SELECT 1 FROM head) RETURNING 1), " +
            "snap AS (INSERT INTO " + Snapshots + " (stream_id, version, format, snapshot_json) " +
            "SELECT $1, $3, $10, $11 WHERE $11::text IS NOT NULL AND EXISTS (SELECT 1 FROM head) " +
            "ON CONFLICT (stream_id, version) DO NOTHING RETURNING 1), " +
            "old AS (DELETE FROM " + Snapshots + " WHERE $11::text IS NOT NULL AND EXISTS (SELECT 1 FROM head) " +
            "AND stream_id = $1 AND version < $3 AND version NOT IN " +
            "(SELECT version FROM " + Snapshots + " WHERE stream_id = $1 ORDER BY version DESC LIMIT $12 - 1) RETURNING 1) " +
            "SELECT (SELECT count(*) FROM ins), pg_notify($8, $9) FROM head";
        InsertSnapshot =
            "INSERT INTO " + Snapshots + " (stream_id, version, format, snapshot_json) VALUES ($1, $2, $3, $4) " +
            "ON CONFLICT (stream_id, version) DO NOTHING";
        SelectLatestSnapshot =
            "SELECT version, format, snapshot_json, created_at FROM " + Snapshots +
            " WHERE stream_id = $1 ORDER BY version DESC LIMIT 1";
        SelectSnapshotVersions = "SELECT version FROM " + Snapshots + " WHERE stream_id = $1 ORDER BY version DESC";
        CompactSnapshots =
            "DELETE FROM " + Snapshots + " WHERE stream_id = $1 AND version < (SELECT version FROM " + Snapshots +
            " WHERE stream_id = $1 ORDER BY version DESC OFFSET $2 - 1 LIMIT 1)";
    }

    public string Schema { get; }

    /// <summary>The NOTIFY channel (unquoted, for <c>pg_notify</c> and for matching notifications).</summary>
    public string Channel { get; }

    /// <summary>The NOTIFY channel as a quoted identifier, for <c>LISTEN</c>.</summary>
    public string QuotedChannel { get; }

    public string SchemaVersionTable { get; }

    public string Streams { get; }

    public string Events { get; }

    public string Snapshots { get; }

    /// <summary>$1 = the schema_version table name as text.</summary>
    public string HasSchemaVersionTable { get; }

    /// <summary>The highest migration applied, or 0.</summary>
    public string SelectSchemaVersion { get; }

    /// <summary>$1 = stream.</summary>
    public string EnsureStream { get; }

    /// <summary>$1 = stream.</summary>
    public string SelectHead { get; }

    /// <summary>$1 = stream; locks the head row until the transaction ends.</summary>
    public string LockHead { get; }

    /// <summary>$1 = stream, $2 = after version.</summary>
    public string SelectTail { get; }

    /// <summary>$1 = stream, $2 = after version, $3 = event ids: the tail plus any logged event with one of the ids.</summary>
    public string SelectTailAndLogged { get; }

    /// <summary>
    /// $1 = stream, $2 = expected head, $3 = new head, $4 = format, $5/$6/$7 = ids/events/decisions, $8 = channel,
    /// $9 = payload, $10 = snapshot format, $11 = snapshot JSON or NULL, $12 = snapshots to keep. When the head is
    /// still $2: moves it to $3, inserts the events, writes the snapshot at $3 (if any) keeping the newest $12,
    /// notifies, and returns one row (the inserted count). Otherwise changes nothing and returns no row. One
    /// statement, so one transaction even without an explicit one.
    /// </summary>
    public string Append { get; }

    /// <summary>$1 = stream, $2 = version, $3 = format, $4 = JSON.</summary>
    public string InsertSnapshot { get; }

    /// <summary>$1 = stream.</summary>
    public string SelectLatestSnapshot { get; }

    /// <summary>$1 = stream.</summary>
    public string SelectSnapshotVersions { get; }

    /// <summary>$1 = stream, $2 = how many of the newest to keep (at least 1).</summary>
    public string CompactSnapshots { get; }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
