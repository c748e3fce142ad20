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

    /// <summary>The server's plan for <paramref name="sql"/> with these parameters (as the coordinator sends them).</summary>
    private static async Task<string> ExplainAsync(TestDatabase db, string sql, params object[] values)
    {
        await using NpgsqlConnection connection = await db.Admin.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (COSTS OFF) " + sql, connection);
        foreach (object value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var lines = new List<string>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
