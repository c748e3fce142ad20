namespace ClaimGraph.Postgres;

/// <summary>
/// The SQL of one schema, built once: table names are quoted identifiers of a validated schema name, values always
/// travel as parameters.
/// </summary>
internal sealed class ClaimLogSql
{
    /// <summary>The columns of an event row, in the order <see cref="PostgresClaimLog.ReadEventRow"/> reads them.</summary>
    private const string EventColumns = "version, event_id, format, event_json, decisions_json, appended_at, chain, submission";

    public ClaimLogSql(string schema)
    {
        Schema = schema;
        string s = Quote(schema);
        Channel = schema + "_append";
        QuotedChannel = Quote(Channel);
        InboxChannel = schema + "_inbox";
        LoggedChannel = schema + "_logged";
        SchemaVersionTable = s + ".schema_version";
        Streams = s + ".streams";
        Events = s + ".events";
        Snapshots = s + ".snapshots";
        Inbox = s + ".inbox";
        OptionsChanges = s + ".options_changes";

        HasSchemaVersionTable = "SELECT to_regclass($1) IS NOT NULL";
        SelectSchemaVersion = "SELECT coalesce(max(version), 0) FROM " + SchemaVersionTable;
        EnsureStream = "INSERT INTO " + Streams + " (stream_id, version, options_fingerprint) VALUES ($1, 0, $2) ON CONFLICT (stream_id) DO NOTHING";
        SelectOptions =
            "SELECT s.version, s.options_fingerprint, (SELECT max(c.version) FROM " + OptionsChanges + " c WHERE c.stream_id = $1) " +
            "FROM " + Streams + " s WHERE s.stream_id = $1";
        ChangeOptions =
            "WITH s AS (UPDATE " + Streams + " SET options_fingerprint = $2 WHERE stream_id = $1 AND options_fingerprint IS NOT DISTINCT FROM $3 RETURNING version) " +
            "INSERT INTO " + OptionsChanges + " (stream_id, version, old_fingerprint, new_fingerprint) SELECT $1, s.version, $3, $2 FROM s RETURNING version";
        SelectOptionsChanges =
            "SELECT version, old_fingerprint, new_fingerprint, changed_at FROM " + OptionsChanges + " WHERE stream_id = $1 ORDER BY seq";
        SelectOptionsFingerprint = "SELECT options_fingerprint FROM " + Streams + " WHERE stream_id = $1";
        SelectHead = "SELECT version, chain, options_fingerprint FROM " + Streams + " WHERE stream_id = $1";
        LockHead = SelectHead + " FOR UPDATE";
        SelectTail = "SELECT " + EventColumns + " FROM " + Events + " WHERE stream_id = $1 AND version > $2 ORDER BY version";
        SelectTailAndLogged = TailAndLogged("$3::text[]");
        Append =
            "WITH head AS (UPDATE " + Streams + " SET version = $3, chain = $11, updated_at = now() " +
            "WHERE stream_id = $1 AND version = $2 AND chain = $10 AND options_fingerprint = $16 " +
            "AND NOT EXISTS (SELECT 1 FROM unnest($5::text[]) AS u(id) WHERE " + IsLogged("u.id") + ") RETURNING version), " +
            "ins AS (INSERT INTO " + Events + " (stream_id, version, event_id, format, event_json, decisions_json, chain, submission) " +
            "SELECT $1, $2 + t.ord, t.event_id, $4, t.event_json, t.decisions_json, t.chain, t.submission " +
            "FROM unnest($5::text[], $6::text[], $7::text[], $12::bytea[], $13::uuid[]) WITH ORDINALITY AS t(event_id, event_json, decisions_json, chain, submission, ord) " +
            "WHERE EXISTS (SELECT 1 FROM head) RETURNING 1), " +
            "snap AS (INSERT INTO " + Snapshots + " (stream_id, version, format, snapshot_json, chain) " +
            "SELECT $1, $3, $8, $9, $11 WHERE $9::text IS NOT NULL AND EXISTS (SELECT 1 FROM head) " +
            "ON CONFLICT (stream_id, version) DO NOTHING RETURNING 1), " +
            "old AS (DELETE FROM " + Snapshots + " WHERE $9::text IS NOT NULL AND EXISTS (SELECT 1 FROM head) " +
            "AND stream_id = $1 AND version < $3 AND version NOT IN " +
            "(SELECT version FROM " + Snapshots + " WHERE stream_id = $1 ORDER BY version DESC LIMIT $14 - 1) RETURNING 1), " +
            "taken AS (DELETE FROM " + Inbox + " WHERE seq = ANY($15::bigint[]) AND EXISTS (SELECT 1 FROM head) RETURNING 1) " +
            "SELECT (SELECT count(*) FROM ins) FROM head";
        InsertSnapshot =
            "INSERT INTO " + Snapshots + " (stream_id, version, format, snapshot_json, chain) " +
            "SELECT $1, $2, $3, $4, $5 WHERE ($2 = 0 AND $5 = decode(repeat('00', 32), 'hex')) " +
            "OR EXISTS (SELECT 1 FROM " + Events + " WHERE stream_id = $1 AND version = $2 AND chain = $5) " +
            "ON CONFLICT (stream_id, version) DO NOTHING";
        SnapshotExists = "SELECT EXISTS (SELECT 1 FROM " + Snapshots + " WHERE stream_id = $1 AND version = $2 AND chain = $3)";
        SelectLatestSnapshot =
            "SELECT version, format, snapshot_json, created_at, chain FROM " + Snapshots +
            " WHERE stream_id = $1 ORDER BY version DESC LIMIT 1";
        SelectSnapshotVersions = "SELECT version FROM " + Snapshots + " WHERE stream_id = $1 ORDER BY version DESC";
        CompactSnapshots =
            "DELETE FROM " + Snapshots + " WHERE stream_id = $1 AND version < (SELECT version FROM " + Snapshots +
            " WHERE stream_id = $1 ORDER BY version DESC OFFSET $2 - 1 LIMIT 1)";

        LockOrSubmit =
            "WITH p AS MATERIALIZED (SELECT t.event_id, t.event_json, t.ord, " + IsLogged("t.event_id") + " AS logged " +
            "FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS t(event_id, event_json, ord)), " +
            "l AS MATERIALIZED (SELECT CASE WHEN EXISTS (SELECT 1 FROM p WHERE NOT p.logged) " +
            "THEN pg_try_advisory_lock(hashtextextended($6, 0)) ELSE false END AS locked), " +
            "q AS (INSERT INTO " + Inbox + " (stream_id, submission, event_id, event_json) " +
            "SELECT $1, $2, p.event_id, p.event_json FROM p CROSS JOIN l " +
            "WHERE NOT l.locked AND NOT $5::boolean AND NOT p.logged ORDER BY p.ord RETURNING 1) " +
            "SELECT l.locked, (SELECT count(*) FROM q) FROM l";
        SelectInbox = "SELECT seq, submission, event_id, event_json FROM " + Inbox + " WHERE stream_id = $1 ORDER BY seq LIMIT $2";
        SelectInboxToLead =
            "SELECT i.seq, i.submission, i.event_id, i.event_json, " + IsLogged("i.event_id") + " " +
            "FROM " + Inbox + " i WHERE i.stream_id = $1 ORDER BY i.seq LIMIT $2";
        Forward =
            "WITH q AS (INSERT INTO " + Inbox + " (stream_id, submission, event_id, event_json) " +
            "SELECT $1, $2, t.event_id, t.event_json FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS t(event_id, event_json, ord) " +
            "WHERE NOT " + IsLogged("t.event_id") + " " +
            "AND ($6 = 0 OR EXISTS (SELECT 1 FROM " + Events + " e WHERE e.stream_id = $1 AND e.version = $6 AND e.chain = $7)) " +
            "ORDER BY t.ord RETURNING 1), " +
            "n AS (SELECT pg_notify($5, $1) FROM q LIMIT 1) " +
            "SELECT (SELECT count(*) FROM q), (SELECT count(*) FROM n)";
        SelectQueued = "SELECT count(*) FROM " + Inbox + " WHERE submission = $1";
        NotifyAppended = "SELECT pg_notify($1, $2) FROM " + Streams + " WHERE stream_id = $3 AND version = $4 AND chain = $5";
        NotifyLogged =
            "SELECT count(pg_notify($1, p)) FROM unnest($2::text[]) AS p " +
            "WHERE EXISTS (SELECT 1 FROM " + Streams + " WHERE stream_id = $3 AND version = $4 AND chain = $5)";
        NotifyQueued =
            "SELECT count(pg_notify($1, replace(i.submission::text, '-', '') || chr(10) || $2)) " +
            "FROM (SELECT q.submission FROM " + Inbox + " q WHERE q.stream_id = $2 " +
            "AND NOT EXISTS (SELECT 1 FROM " + Events + " e WHERE e.stream_id = $2 AND e.event_id = q.event_id OFFSET 0) " +
            "ORDER BY q.seq LIMIT 1) i";
        TryLeaderLock = "SELECT pg_try_advisory_lock(hashtextextended($1, 0))";
        Unlock = "SELECT pg_advisory_unlock(hashtextextended($1, 0))";
        SelectTailLoggedAndInboxLogged = TailAndLogged("$3::text[] || ARRAY(SELECT event_id FROM " + Inbox + " WHERE stream_id = $1)");
    }

    /// <summary>
    /// Makes the server run this transaction's prepared statements with their generic plan, made once per connection,
    /// rather than planning each call for its parameters (by default it keeps doing so whenever a custom plan looks
    /// cheaper, which on the append path cost about as much as running the statements). Safe because every statement on
    /// that path reads the log through an index whatever its parameters (see <see cref="IsLogged"/>); local to the
    /// transaction, so the caller's other work on a pooled connection is untouched.
    /// </summary>
    public const string UseGenericPlans = "SELECT set_config('plan_cache_mode', 'force_generic_plan', true)";

    public string Schema { get; }

    /// <summary>The NOTIFY channel (unquoted, for <c>pg_notify</c> and for matching notifications).</summary>
    public string Channel { get; }

    /// <summary>The NOTIFY channel as a quoted identifier, for <c>LISTEN</c>.</summary>
    public string QuotedChannel { get; }

    /// <summary>The NOTIFY channel (unquoted) on which forwarded events wake a stream's leader; the payload is the stream id.</summary>
    public string InboxChannel { get; }

    /// <summary>$1 = stream, $2 = at most this many rows: the inbox, oldest first, each with whether its event id is logged.</summary>
    public string SelectInboxToLead { get; }

    /// <summary>
    /// $1 = stream, $2 = submission, $3/$4 = ids/events, $5 = the inbox channel, $6/$7 = the replica's version and
    /// digest: queues the events not yet logged in the inbox for the stream's leader and notifies it when any was
    /// queued; queues nothing when the log's digest at $6 is not $7 (the replica's history is not the log's). Returns
    /// one row: how many were queued.
    /// </summary>
    public string Forward { get; }

    /// <summary>
    /// The NOTIFY channel (unquoted) on which a leader's commit names the forwarded submissions it logged: payload
    /// <c>"{submission},{submission}…\n{streamId}"</c> (submissions as 32 hex digits).
    /// </summary>
    public string LoggedChannel { get; }

    /// <summary>
    /// $1 = channel, $2 = payload, $3 = stream, $4/$5 = version and digest: notifies when the head is at ($4, $5). Sent
    /// in a transaction of its own right after an append's commit: a transaction that notifies holds the server's
    /// notification lock (one for the whole server) until its commit ends, and an append's commit waits for the disk, which
    /// would serialise every notifying transaction on the server (other streams', forwarding replicas') behind it.
    /// </summary>
    public string NotifyAppended { get; }

    /// <summary>
    /// $1 = channel, $2 = payloads, $3 = stream, $4/$5 = version and digest: one notification per payload, when the head
    /// is at ($4, $5) (right after an append: when it wrote; see <see cref="NotifyAppended"/>).
    /// </summary>
    public string NotifyLogged { get; }

    /// <summary>$1 = submission: how many of its events still wait in the inbox.</summary>
    public string SelectQueued { get; }

    /// <summary>
    /// Names, on <see cref="LoggedChannel"/>, the submission of the oldest event still queued in stream $2's inbox and
    /// not logged yet ($1: the channel): under group commit, the replica that queued it looks again and leads the next
    /// commit, which takes the other queued events too and names them when it logs them. Only one is woken: every
    /// woken replica runs a round, and all but one would find the lock taken again. (A row whose id another
    /// submission logged meanwhile is skipped: its replica would find its events logged and not lead. Should the
    /// named replica be gone, the others look again after their patience.)
    /// </summary>
    public string NotifyQueued { get; }

    /// <summary>$1 = the leader lock's name: takes the session-level advisory lock of a stream's leader, or returns false.</summary>
    public string TryLeaderLock { get; }

    /// <summary>$1 = a lock's name (the leader's, or a group commit's): releases the session-level advisory lock of that name.</summary>
    public string Unlock { get; }

    public string SchemaVersionTable { get; }

    public string Streams { get; }

    public string Events { get; }

    public string Snapshots { get; }

    /// <summary>The group-commit inbox: events submitted for whichever replica leads the next commit (unlogged).</summary>
    public string Inbox { get; }

    /// <summary>$1 = the schema_version table name as text.</summary>
    public string HasSchemaVersionTable { get; }

    /// <summary>The highest migration applied, or 0.</summary>
    public string SelectSchemaVersion { get; }

    /// <summary>The record of the policy options fingerprints each stream adopted or changed to (append-only).</summary>
    public string OptionsChanges { get; }

    /// <summary>$1 = stream, $2 = the creating replica's options fingerprint: creates the stream when missing.</summary>
    public string EnsureStream { get; }

    /// <summary>$1 = stream: its head version, options fingerprint, and the version of its last options change (or NULL). Takes no lock.</summary>
    public string SelectOptions { get; }

    /// <summary>
    /// $1 = stream, $2 = new fingerprint, $3 = old fingerprint (or NULL): when the stream's fingerprint is still $3, sets
    /// it to $2 and records the change at the head's version, which it returns; otherwise changes nothing and returns no row.
    /// </summary>
    public string ChangeOptions { get; }

    /// <summary>$1 = stream: its options changes, oldest first.</summary>
    public string SelectOptionsChanges { get; }

    /// <summary>$1 = stream: its options fingerprint (no row when it does not exist).</summary>
    public string SelectOptionsFingerprint { get; }

    /// <summary>$1 = stream: the head's version, digest and options fingerprint.</summary>
    public string SelectHead { get; }

    /// <summary>$1 = stream; locks the head row until the transaction ends.</summary>
    public string LockHead { get; }

    /// <summary>$1 = stream, $2 = after version.</summary>
    public string SelectTail { get; }

    /// <summary>$1 = stream, $2 = after version, $3 = event ids: the tail plus any logged event with one of the ids.</summary>
    public string SelectTailAndLogged { get; }

    /// <summary>
    /// As <see cref="SelectTailAndLogged"/>, plus any logged event whose id waits in the stream's inbox (the inbox's ids
    /// join the given ids in one array).
    /// </summary>
    public string SelectTailLoggedAndInboxLogged { get; }

    /// <summary>
    /// $1 = stream, $2 = expected head, $3 = new head, $4 = format, $5/$6/$7 = ids/events/decisions, $8 = snapshot
    /// format, $9 = snapshot JSON or NULL, $10 = expected head digest, $11 = new head digest, $12 = the rows' digests,
    /// $13 = the rows' submissions, $14 = snapshots to keep, $15 = inbox rows taken, $16 = the appender's options
    /// fingerprint. When the head is still ($2, $10) under options $16
    /// and none of the ids $5 is logged: moves it to ($3, $11), inserts the events, writes the snapshot at $3 (if any)
    /// keeping the newest $14, deletes the inbox rows $15, and returns one row (the inserted count). Otherwise changes
    /// nothing and returns no row. It does not notify: see <see cref="NotifyAppended"/>.
    /// </summary>
    public string Append { get; }

    /// <summary>
    /// $1 = stream, $2 = version, $3 = format, $4 = JSON, $5 = digest: inserted only when the log's event at $2 has that
    /// digest (so a replica whose history diverged cannot store its graph), and only once per version.
    /// </summary>
    public string InsertSnapshot { get; }

    /// <summary>$1 = stream, $2 = version, $3 = digest.</summary>
    public string SnapshotExists { get; }

    /// <summary>$1 = stream.</summary>
    public string SelectLatestSnapshot { get; }

    /// <summary>$1 = stream.</summary>
    public string SelectSnapshotVersions { get; }

    /// <summary>$1 = stream, $2 = how many of the newest to keep (at least 1).</summary>
    public string CompactSnapshots { get; }

    /// <summary>
    /// $1 = stream, $2 = submission, $3/$4 = ids/events, $5 = whether this submission's events are queued already,
    /// $6 = the stream's group-commit lock name: unless every id is logged, takes the session-level advisory lock of
    /// that name when no other session holds it; when another does and the events are not queued yet, queues the ones
    /// not yet logged in the inbox. Returns one row: whether it took the lock, and how many events it queued. The lock
    /// outlives the transaction: its holder releases it with <see cref="Unlock"/> after its commit.
    /// </summary>
    public string LockOrSubmit { get; }

    /// <summary>$1 = stream, $2 = at most this many rows: the inbox, oldest first.</summary>
    public string SelectInbox { get; }

    /// <summary>
    /// The tail after $2 and the logged rows (at or below $2) whose ids are in <paramref name="ids"/> (an SQL array), in
    /// version order: a range of the (stream, version) index and one probe of the (stream, event id) index per id. Both
    /// stay so in a plan the server caches for a prepared statement while the log is small (one <c>OR</c>, or an
    /// <c>= ANY</c> filter, made such a plan read every row of the stream on every call, so appends slowed as the log grew).
    /// </summary>
    private string TailAndLogged(string ids) =>
        "SELECT " + EventColumns + " FROM " + Events + " WHERE stream_id = $1 AND version > $2 " +
        "UNION ALL SELECT l.* FROM (SELECT DISTINCT u.id FROM unnest(" + ids + ") AS u(id)) i " +
        "CROSS JOIN LATERAL (SELECT " + EventColumns + " FROM " + Events + " e WHERE e.stream_id = $1 AND e.event_id = i.id OFFSET 0) l " +
        "WHERE l.version <= $2 ORDER BY version";

    /// <summary>
    /// Whether the event id <paramref name="id"/> (an SQL expression) is logged in stream $1: one probe of the log's
    /// (stream, event id) index. <c>OFFSET 0</c> keeps the probe per id: without it the server may turn the test into a
    /// join or an <c>= ANY</c> filter, and a plan cached for a prepared statement while the log was small then reads
    /// every row of the stream on every call.
    /// </summary>
    private string IsLogged(string id) => "EXISTS (SELECT 1 FROM " + Events + " e WHERE e.stream_id = $1 AND e.event_id = " + id + " OFFSET 0)";

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
