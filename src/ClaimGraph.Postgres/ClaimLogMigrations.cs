namespace ClaimGraph.Postgres;

/// <summary>The schema's migrations, in order. A migration is never edited once released: a change is a new one.</summary>
internal static class ClaimLogMigrations
{
    public static IReadOnlyList<(int Version, string Description, Func<ClaimLogSql, string> Sql)> All { get; } =
    [
        (1, "streams, append-only events, snapshots", V1),
        (2, "hash chain, truncate guard, head never moves back, group-commit inbox", V2),
        (3, "policy options fingerprint per stream, options changes", V3),
    ];

    public static int Latest => All[^1].Version;

    /// <summary>Serialises migrations of one schema (a transaction-level advisory lock).</summary>
    public static string Lock(ClaimLogSql sql) => "SELECT pg_advisory_xact_lock(hashtextextended(" + Literal("claimgraph.migrate." + sql.Schema) + ", 0))";

    /// <summary>The schema and its version table, created when missing.</summary>
    public static IEnumerable<string> Preamble(ClaimLogSql sql) =>
    [
        "CREATE SCHEMA IF NOT EXISTS " + ClaimLogSql.Quote(sql.Schema),
        "CREATE TABLE IF NOT EXISTS " + sql.SchemaVersionTable + " (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    ];

    /// <summary>Records that migration <paramref name="version"/> was applied.</summary>
    public static string Record(ClaimLogSql sql, int version, string description) =>
        "INSERT INTO " + sql.SchemaVersionTable + " (version, description) VALUES (" + version.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", " + Literal(description) + ")";

    /// <summary>Fails the script unless the schema is at <paramref name="version"/>.</summary>
    public static string RequireVersion(ClaimLogSql sql, int version)
    {
        string v = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "DO $$ BEGIN IF (SELECT coalesce(max(version), 0) FROM " + sql.SchemaVersionTable + ") <> " + v +
            " THEN RAISE EXCEPTION 'the ClaimGraph schema %.schema_version is not at version " + v + "; export the script from its current version', " +
            Literal(sql.Schema) + "; END IF; END $$";
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string V1(ClaimLogSql sql)
    {
        string forbid = ClaimLogSql.Quote(sql.Schema) + ".forbid_event_change";
        return $"""
            CREATE TABLE {sql.Streams} (
                stream_id text PRIMARY KEY CHECK (length(stream_id) BETWEEN 1 AND {PostgresClaimLog.MaxStreamIdLength}),
                version bigint NOT NULL CHECK (version >= 0),
                updated_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE {sql.Events} (
                stream_id text NOT NULL REFERENCES {sql.Streams} (stream_id),
                version bigint NOT NULL CHECK (version >= 1),
                event_id text NOT NULL CHECK (length(event_id) >= 1),
                format integer NOT NULL,
                event_json text NOT NULL,
                decisions_json text NOT NULL,
                appended_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (stream_id, version),
                UNIQUE (stream_id, event_id));
            CREATE TABLE {sql.Snapshots} (
                stream_id text NOT NULL REFERENCES {sql.Streams} (stream_id),
                version bigint NOT NULL CHECK (version >= 0),
                format integer NOT NULL,
                snapshot_json text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (stream_id, version));
            CREATE FUNCTION {forbid}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the ClaimGraph event log %.% is append-only', TG_TABLE_SCHEMA, TG_TABLE_NAME;
            END $$;
            CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON {sql.Events}
                FOR EACH ROW EXECUTE FUNCTION {forbid}();
            """;
    }

    /// <summary>
    /// The hash chain (<see cref="Appending.LogChain"/>) on events, heads and snapshots, filled in for rows logged before;
    /// <c>TRUNCATE</c> refused on events and streams; a head that would move back refused; the group-commit inbox.
    /// </summary>
    private static string V2(ClaimLogSql sql)
    {
        string schema = ClaimLogSql.Quote(sql.Schema);
        string forbid = schema + ".forbid_event_change";
        string forbidRewind = schema + ".forbid_head_rewind";
        string genesis = "decode(repeat('00', 32), 'hex')";
        return $"""
            ALTER TABLE {sql.Events} ADD COLUMN chain bytea, ADD COLUMN submission uuid;
            ALTER TABLE {sql.Streams} ADD COLUMN chain bytea;
            ALTER TABLE {sql.Snapshots} ADD COLUMN chain bytea;
            ALTER TABLE {sql.Events} DISABLE TRIGGER events_append_only;
            DO $$
            DECLARE
                r record;
                previous bytea;
                stream text;
            BEGIN
                FOR r IN SELECT stream_id, version, event_id, format, event_json, decisions_json FROM {sql.Events} ORDER BY stream_id, version LOOP
                    IF stream IS DISTINCT FROM r.stream_id THEN
                        previous := {genesis};
                        stream := r.stream_id;
                    END IF;
                    previous := sha256(previous || int4send(r.format)
                        || int4send(octet_length(convert_to(r.event_id, 'UTF8'))) || convert_to(r.event_id, 'UTF8')
                        || int4send(octet_length(convert_to(r.event_json, 'UTF8'))) || convert_to(r.event_json, 'UTF8')
                        || int4send(octet_length(convert_to(r.decisions_json, 'UTF8'))) || convert_to(r.decisions_json, 'UTF8'));
                    UPDATE {sql.Events} SET chain = previous WHERE stream_id = r.stream_id AND version = r.version;
                END LOOP;
            END $$;
            ALTER TABLE {sql.Events} ENABLE TRIGGER events_append_only;
            UPDATE {sql.Streams} s SET chain = coalesce((SELECT e.chain FROM {sql.Events} e WHERE e.stream_id = s.stream_id AND e.version = s.version), {genesis});
            UPDATE {sql.Snapshots} s SET chain = coalesce((SELECT e.chain FROM {sql.Events} e WHERE e.stream_id = s.stream_id AND e.version = s.version), {genesis});
            DELETE FROM {sql.Snapshots} WHERE version > 0 AND NOT EXISTS (SELECT 1 FROM {sql.Events} e WHERE e.stream_id = {sql.Snapshots}.stream_id AND e.version = {sql.Snapshots}.version);
            ALTER TABLE {sql.Events} ALTER COLUMN chain SET NOT NULL, ADD CHECK (octet_length(chain) = 32);
            ALTER TABLE {sql.Streams} ALTER COLUMN chain SET DEFAULT {genesis}, ALTER COLUMN chain SET NOT NULL, ADD CHECK (octet_length(chain) = 32);
            ALTER TABLE {sql.Snapshots} ALTER COLUMN chain SET NOT NULL, ADD CHECK (octet_length(chain) = 32);
            CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON {sql.Events} FOR EACH STATEMENT EXECUTE FUNCTION {forbid}();
            CREATE TRIGGER streams_no_truncate BEFORE TRUNCATE ON {sql.Streams} FOR EACH STATEMENT EXECUTE FUNCTION {forbid}();
            CREATE FUNCTION {forbidRewind}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the head of ClaimGraph stream % cannot move back from version % to %', OLD.stream_id, OLD.version, NEW.version;
            END $$;
            CREATE TRIGGER streams_head_forward BEFORE UPDATE ON {sql.Streams}
                FOR EACH ROW WHEN (NEW.version < OLD.version) EXECUTE FUNCTION {forbidRewind}();
            CREATE TRIGGER streams_no_delete BEFORE DELETE ON {sql.Streams} FOR EACH ROW EXECUTE FUNCTION {forbid}();
            CREATE UNLOGGED TABLE {sql.Inbox} (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                stream_id text NOT NULL,
                submission uuid NOT NULL,
                event_id text NOT NULL,
                event_json text NOT NULL,
                submitted_at timestamptz NOT NULL DEFAULT now());
            CREATE INDEX inbox_stream ON {sql.Inbox} (stream_id, seq);
            CREATE INDEX inbox_submission ON {sql.Inbox} (submission);
            """;
    }

    /// <summary>
    /// The policy options' fingerprint on each stream (<c>NULL</c> for streams created before: the first replica to open
    /// one records its fingerprint), and the append-only record of every fingerprint a stream adopted or changed to.
    /// </summary>
    private static string V3(ClaimLogSql sql)
    {
        string forbid = ClaimLogSql.Quote(sql.Schema) + ".forbid_event_change";
        return $"""
            ALTER TABLE {sql.Streams} ADD COLUMN options_fingerprint text CHECK (length(options_fingerprint) >= 1);
            CREATE TABLE {sql.OptionsChanges} (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                stream_id text NOT NULL REFERENCES {sql.Streams} (stream_id),
                version bigint NOT NULL CHECK (version >= 0),
                old_fingerprint text,
                new_fingerprint text NOT NULL CHECK (length(new_fingerprint) >= 1),
                changed_at timestamptz NOT NULL DEFAULT now());
            CREATE INDEX options_changes_stream ON {sql.OptionsChanges} (stream_id, seq);
            CREATE TRIGGER options_changes_append_only BEFORE UPDATE OR DELETE ON {sql.OptionsChanges}
                FOR EACH ROW EXECUTE FUNCTION {forbid}();
            CREATE TRIGGER options_changes_no_truncate BEFORE TRUNCATE ON {sql.OptionsChanges}
                FOR EACH STATEMENT EXECUTE FUNCTION {forbid}();
            """;
    }
}
