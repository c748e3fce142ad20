using ClaimGraph.Policy;
using Npgsql;

namespace ClaimGraph.Postgres.Tests;

/// <summary>
/// A fresh schema in the server named by <c>CLAIMGRAPH_POSTGRES</c>, dropped on dispose. Tests that need it call
/// <see cref="CreateAsync"/>, which skips them (reported as skipped, never passed) when the variable is unset.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public const string Variable = "CLAIMGRAPH_POSTGRES";

    private readonly List<NpgsqlDataSource> _sources = [];

    private TestDatabase(string connectionString, string schema)
    {
        ConnectionString = connectionString;
        Schema = schema;
        Admin = NewDataSource();
        Log = new PostgresClaimLog(Admin, schema);
    }

    /// <summary>The server's connection string, or null when the variable is unset or empty.</summary>
    public static string? ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public string ConnectionString { get; }

    public string Schema { get; }

    /// <summary>A data source for setup and checks.</summary>
    public NpgsqlDataSource Admin { get; }

    /// <summary>The log over <see cref="Admin"/>, migrated.</summary>
    public PostgresClaimLog Log { get; }

    /// <summary>Skips the calling test when no server is configured; otherwise a new schema, migrated when asked.</summary>
    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        string? connectionString = ServerConnectionString;
        Skip.If(connectionString is null, Variable + " is not set (see .ci/postgres.sh)");
        var db = new TestDatabase(connectionString!, "cgtest_" + Guid.NewGuid().ToString("N")[..16]);
        if (migrate)
        {
            await db.Log.MigrateAsync();
        }

        return db;
    }

    /// <summary>A data source of its own: its connections are not shared with any other.</summary>
    public NpgsqlDataSource NewDataSource(string? connectionString = null)
    {
        NpgsqlDataSource source = NpgsqlDataSource.Create(connectionString ?? ConnectionString);
        lock (_sources)
        {
            _sources.Add(source);
        }

        return source;
    }

    /// <summary>A log over a data source of its own (a replica's own connections).</summary>
    public PostgresClaimLog NewLog(string? connectionString = null) => new(NewDataSource(connectionString), Schema);

    public Task<PostgresCoordinator> OpenAsync(string stream, CoordinatorOptions? options = null) =>
        PostgresCoordinator.OpenAsync(NewLog(), stream, options);

    public async Task<int> ExecuteAsync(string sql, params object[] values)
    {
        await using NpgsqlConnection connection = await Admin.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{s}", "\"" + Schema + "\"", StringComparison.Ordinal), connection);
        foreach (object value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] values)
    {
        await using NpgsqlConnection connection = await Admin.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{s}", "\"" + Schema + "\"", StringComparison.Ordinal), connection);
        foreach (object value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until <paramref name="eventId"/> is queued (committed) in the inbox and returns its submission.</summary>
    public async Task<Guid> WaitForInboxRowAsync(string eventId)
    {
        for (int i = 0; i < 400; i++)
        {
            Guid? submission = await ScalarOrNullAsync<object>("SELECT submission FROM {s}.inbox WHERE event_id = $1", eventId) as Guid?;
            if (submission is { } found)
            {
                return found;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"'{eventId}' never reached the inbox");
    }

    /// <summary>
    /// Writes an event row and moves the head, bypassing the coordinator (to plant malformed rows). The row's digest
    /// follows from the row at the version before (or the empty stream), so only what is planted is wrong.
    /// </summary>
    public async Task PlantEventAsync(string stream, long version, string eventId, int format, string eventJson, string decisionsJson)
    {
        await ExecuteAsync("INSERT INTO {s}.streams (stream_id, version) VALUES ($1, 0) ON CONFLICT DO NOTHING", stream);
        byte[]? before = version == 1 ? null : await ScalarOrNullAsync<byte[]>("SELECT chain FROM {s}.events WHERE stream_id = $1 AND version = $2", stream, version - 1);
        string chain = Appending.LogChain.Next(before is null ? Appending.LogChain.Genesis : Appending.LogChain.ToHex(before), format, eventId, eventJson, decisionsJson);
        await ExecuteAsync(
            "INSERT INTO {s}.events (stream_id, version, event_id, format, event_json, decisions_json, chain) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            stream,
            version,
            eventId,
            format,
            eventJson,
            decisionsJson,
            Appending.LogChain.ToBytes(chain));
        await ExecuteAsync("UPDATE {s}.streams SET version = $2, chain = $3 WHERE stream_id = $1 AND version < $2", stream, version, Appending.LogChain.ToBytes(chain));
    }

    public async Task<T?> ScalarOrNullAsync<T>(string sql, params object[] values)
        where T : class
    {
        await using NpgsqlConnection connection = await Admin.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{s}", "\"" + Schema + "\"", StringComparison.Ordinal), connection);
        foreach (object value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteScalarAsync() as T;
    }

    public async Task<List<LoggedEvent>> ReadLogAsync(string stream)
    {
        var rows = new List<LoggedEvent>();
        await foreach (LoggedEvent row in Log.ReadEventsAsync(stream))
        {
            rows.Add(row);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ExecuteAsync("DROP SCHEMA IF EXISTS {s} CASCADE");
        }
        finally
        {
            foreach (NpgsqlDataSource source in _sources)
            {
                await source.DisposeAsync();
            }
        }
    }
}

/// <summary>Events for tests, with readable defaults.</summary>
internal static class Ev
{
    public static WorkItemAdded Item(string eventId, string item, long time = 0) => new(eventId, time, item);

    public static RunRequested Request(string eventId, string run, string item, params string[] claims) => new(eventId, 0, run, item, [.. claims]);

    public static RunSucceeded Succeed(string eventId, string run, long token, long newBase) => new(eventId, 0, run, token, newBase);

    public static Tick Tick(string eventId, long time) => new(eventId, time);
}
