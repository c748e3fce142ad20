namespace ClaimGraph.Postgres;

/// <summary>The schema's migrations, in order. A migration is never edited once released: a change is a new one.</summary>
internal static class ClaimLogMigrations
{
    public static IReadOnlyList<(int Version, string Description, Func<ClaimLogSql, string> Sql)> All { get; } =
    [
        (1, "streams, append-only events, snapshots", V1),
    ];

    public static int Latest => All[^1].Version;

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
}
