using Npgsql;

namespace ClaimGraph.Postgres.Tests;

/// <summary>The reads every append makes stay proportional to what is new, not to the length of the log.</summary>
public class QueryPlanTests
{
    [SkippableFact]
    public async Task SelectTailLoggedAndInboxLogged_LongLog_ReadsTheIndexesNotTheWholeLog()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("INSERT INTO {s}.streams (stream_id, version) VALUES ('s', 0)");
        await db.ExecuteAsync(
            "INSERT INTO {s}.events (stream_id, version, event_id, format, event_json, decisions_json, chain) " +
            "SELECT 's', g, 'e' || g, 1, repeat('x', 300), '[]', sha256(int8send(g)) FROM generate_series(1, 5000) g");
        await db.ExecuteAsync("INSERT INTO {s}.inbox (stream_id, submission, event_id, event_json) VALUES ('s', gen_random_uuid(), 'e17', '{}')");
        await db.ExecuteAsync("ANALYZE {s}.events");

        string plan = await ExplainAsync(db, db.Log.Sql.SelectTailLoggedAndInboxLogged, "s", 4998L, new[] { "e3", "new" });

        Assert.DoesNotContain("Seq Scan on events", plan, StringComparison.Ordinal);
        Assert.Contains("events_stream_id_event_id_key", plan, StringComparison.Ordinal);
    }

    /// <summary>The statements on the append path that look events up (see <see cref="Statement"/>).</summary>
    public static TheoryData<string> AppendPathStatements => ["SelectTailAndLogged", "SelectTailLoggedAndInboxLogged", "LockOrSubmit", "Append", "Forward", "SelectInboxToLead"];

    /// <summary>
    /// A coordinator prepares its statements and the server runs them with a generic plan it makes once per connection
    /// (the coordinator asks for that plan, see <see cref="ClaimLogSql.UseGenericPlans"/>), often while the log is still
    /// small, and keeps it while the log grows. Such a plan must bound every read of the log by version or event id: one
    /// <c>OR</c> or <c>= ANY</c> over event ids made it filter every row of the stream on every call. (The plan is read
    /// while the log has 3 events, as it is made: reading it again later is not reliable, because the server drops its
    /// cached plans whenever it falls behind on other sessions' catalog changes.)
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(AppendPathStatements))]
    public async Task GenericPlan_MadeWhileTheLogIsSmall_BoundsEveryReadOfTheLog(string statement)
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("INSERT INTO {s}.streams (stream_id, version) VALUES ('s', 0)");
        await AddEventsAsync(db, 1, 3);
        await db.ExecuteAsync("INSERT INTO {s}.inbox (stream_id, submission, event_id, event_json) VALUES ('s', gen_random_uuid(), 'e2', '{}')");

        string plan = await GenericPlanAsync(db, statement);

        Assert.Contains(" on events", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan on events", plan, StringComparison.Ordinal);
        Assert.True(EventScansUseMoreThanTheStream(plan), "an index condition on the stream alone reads the whole stream:\n" + plan);
    }

    /// <summary>Whether every index scan of the events table is bounded by more than the stream (by version or event id).</summary>
    private static bool EventScansUseMoreThanTheStream(string plan)
    {
        bool onEvents = false;
        foreach (string line in plan.Split('\n'))
        {
            if (line.Contains("->", StringComparison.Ordinal) || !line.StartsWith(' '))
            {
                onEvents = line.Contains(" on events", StringComparison.Ordinal);
            }
            else if (onEvents && line.Contains("Index Cond:", StringComparison.Ordinal)
                && !line.Contains("version", StringComparison.Ordinal) && !line.Contains("event_id", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A group-commit round that queues its events reads none of the inbox: which events this call queued already is
    /// the call's own knowledge. (A scan for the submission read every row the inbox ever held until the next vacuum,
    /// since the inbox's rows are deleted as fast as they are queued.)
    /// </summary>
    [SkippableFact]
    public async Task LockOrSubmit_GenericPlan_ReadsNoInboxRows()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();

        string plan = await GenericPlanAsync(db, "LockOrSubmit");

        Assert.Contains("Insert on inbox", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Scan on inbox", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Scan using inbox", plan, StringComparison.Ordinal);
    }

    /// <summary>
    /// The coordinator's statements run with the generic plan from their first call: the server plans each once per
    /// connection, instead of planning every call for its parameters (its default whenever a custom plan looks cheaper).
    /// Fails with five custom plans per statement without <see cref="ClaimLogSql.UseGenericPlans"/>.
    /// </summary>
    [SkippableTheory]
    [InlineData(CoordinatorConcurrency.Optimistic)]
    [InlineData(CoordinatorConcurrency.GroupCommit)]
    [InlineData(CoordinatorConcurrency.Leader)]
    public async Task Appends_RunTheirPreparedStatementsWithGenericPlans(CoordinatorConcurrency mode)
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator coordinator = await db.OpenAsync("s", new CoordinatorOptions { Concurrency = mode });
        for (int i = 0; i < 8; i++)
        {
            await coordinator.AppendAsync(Ev.Item("e" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), "x" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        // Read, on the coordinator's own connection just before its next commit, how its prepared statements were planned.
        (long Custom, long Generic)? plans = null;
        coordinator.BeforeCommit = async (connection, token) =>
        {
            coordinator.BeforeCommit = null;

            // The notifications and the group-commit lock's release after the commit run outside the transaction the
            // setting is local to (and read no log).
            await using var command = new NpgsqlCommand(
                "SELECT coalesce(sum(custom_plans) FILTER (WHERE statement NOT LIKE '%pg_notify%' AND statement NOT LIKE '%pg_advisory_unlock%'), 0)::bigint, " +
                "coalesce(sum(generic_plans), 0)::bigint FROM pg_prepared_statements",
                connection);
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(token);
            await reader.ReadAsync(token);
            plans = (reader.GetInt64(0), reader.GetInt64(1));
        };
        await coordinator.AppendAsync(Ev.Item("last", "y"));

        Assert.NotNull(plans);
        Assert.Equal(0, plans.Value.Custom);
        Assert.True(plans.Value.Generic >= 8, $"{plans.Value.Generic} executions with a generic plan");
    }

    private static async Task AddEventsAsync(TestDatabase db, int from, int to) =>
        await db.ExecuteAsync(
            "INSERT INTO {s}.events (stream_id, version, event_id, format, event_json, decisions_json, chain) " +
            "SELECT 's', g, 'e' || g, 1, repeat('x', 300), '[]', sha256(int8send(g)) FROM generate_series($1::int, $2::int) g",
            from,
            to);

    /// <summary>A statement of the append path by name, with its parameter types and sample values.</summary>
    private static (string Sql, string Types, object[] Values) Statement(ClaimLogSql sql, string name)
    {
        string[] ids = ["e3", "new"];
        return name switch
        {
            "SelectTailAndLogged" => (sql.SelectTailAndLogged, "text, bigint, text[]", ["s", 4998L, ids]),
            "SelectTailLoggedAndInboxLogged" => (sql.SelectTailLoggedAndInboxLogged, "text, bigint, text[]", ["s", 4998L, ids]),
            "LockOrSubmit" => (sql.LockOrSubmit, "text, uuid, text[], text[], boolean, text", ["s", Guid.NewGuid(), ids, new[] { "{}", "{}" }, false, "plan"]),
            "Forward" => (sql.Forward, "text, uuid, text[], text[], text, bigint, bytea", ["s", Guid.NewGuid(), ids, new[] { "{}", "{}" }, "c", 5000L, new byte[32]]),
            "SelectInboxToLead" => (sql.SelectInboxToLead, "text, int", ["s", 100]),
            "Append" => (
                sql.Append,
                "text, bigint, bigint, int, text[], text[], text[], int, text, bytea, bytea, bytea[], uuid[], int, bigint[], text",
                ["s", 5000L, 5002L, 1, ids, new[] { "{}", "{}" }, new[] { "[]", "[]" }, 1, "{}", new byte[32], new byte[32], new[] { new byte[32], new byte[32] }, new[] { Guid.NewGuid(), Guid.NewGuid() }, 3, new long[] { 1 }, "f"]),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private static async Task RunAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The generic plan the server makes for <paramref name="statement"/> (see <see cref="Statement"/>), prepared on a
    /// connection of its own as the coordinator prepares it; not run (<c>EXPLAIN</c> without <c>ANALYZE</c>).
    /// <c>EXECUTE</c> takes no bound parameters, so the sample values travel as literals of the prepared types.
    /// </summary>
    private static async Task<string> GenericPlanAsync(TestDatabase db, string statement)
    {
        (string sql, string types, object[] values) = Statement(db.Log.Sql, statement);
        await using NpgsqlConnection connection = await db.Admin.OpenConnectionAsync();
        await RunAsync(connection, "SET plan_cache_mode = force_generic_plan");
        await RunAsync(connection, $"PREPARE p({types}) AS {sql}");
        await using var command = new NpgsqlCommand($"EXPLAIN (COSTS OFF) EXECUTE p({string.Join(", ", values.Select(Literal))})", connection);
        return await ReadPlanAsync(command);
    }

    /// <summary>The lines of an <c>EXPLAIN</c>, one plan line each.</summary>
    private static async Task<string> ReadPlanAsync(NpgsqlCommand explain)
    {
        var lines = new List<string>();
        await using NpgsqlDataReader reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    private static string Literal(object value) => value switch
    {
        string text => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'",
        long or int => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
        bool flag => flag ? "true" : "false",
        Guid id => "'" + id.ToString() + "'",
        byte[] bytes => "'\\x" + Convert.ToHexString(bytes) + "'",
        string[] texts => "'{" + string.Join(',', texts.Select(t => "\"" + t.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "}'",
        long[] numbers => "'{" + string.Join(',', numbers) + "}'",
        Guid[] ids => "'{" + string.Join(',', ids) + "}'",
        byte[][] blobs => "'{" + string.Join(',', blobs.Select(b => "\"\\\\x" + Convert.ToHexString(b) + "\"")) + "}'",
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    /// <summary>The server's plan for <paramref name="sql"/> with these parameters (as the coordinator sends them).</summary>
    private static async Task<string> ExplainAsync(TestDatabase db, string sql, params object[] values)
    {
        await using NpgsqlConnection connection = await db.Admin.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (COSTS OFF) " + sql, connection);
        foreach (object value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await ReadPlanAsync(command);
    }
}
