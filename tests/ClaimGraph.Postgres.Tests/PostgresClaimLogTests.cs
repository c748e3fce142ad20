using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;
using Npgsql;

namespace ClaimGraph.Postgres.Tests;

public class PostgresClaimLogTests
{
    [SkippableFact]
    public async Task MigrateAsync_Twice_SecondChangesNothing()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync(migrate: false);
        Assert.Equal(0, await db.Log.GetSchemaVersionAsync());

        SchemaMigrationResult first = await db.Log.MigrateAsync();
        SchemaMigrationResult second = await db.Log.MigrateAsync();

        Assert.Equal(new SchemaMigrationResult(0, PostgresClaimLog.LatestSchemaVersion), first);
        Assert.Equal(new SchemaMigrationResult(PostgresClaimLog.LatestSchemaVersion, PostgresClaimLog.LatestSchemaVersion), second);
        Assert.Equal(PostgresClaimLog.LatestSchemaVersion, (int)await db.ScalarAsync<long>("SELECT count(*) FROM {s}.schema_version"));
        await db.Log.EnsureSchemaAsync();
    }

    [SkippableFact]
    public async Task GetMigrationScript_RunByAnAdministrator_SchemaCurrentAndMigrateChangesNothing()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync(migrate: false);
        string script = db.Log.GetMigrationScript();
        Assert.StartsWith("-- ClaimGraph.Postgres: schema \"" + db.Schema + "\" from version 0 to " + PostgresClaimLog.LatestSchemaVersion, script, StringComparison.Ordinal);

        await using (NpgsqlConnection connection = await db.Admin.OpenConnectionAsync())
        await using (var run = new NpgsqlCommand(script, connection))
        {
            await run.ExecuteNonQueryAsync();
        }

        await db.Log.EnsureSchemaAsync();
        Assert.Equal(new SchemaMigrationResult(PostgresClaimLog.LatestSchemaVersion, PostgresClaimLog.LatestSchemaVersion), await db.Log.MigrateAsync());
        await using (PostgresCoordinator c = await db.OpenAsync("s"))
        {
            await c.AppendAsync(Ev.Item("e1", "a"));
        }

        // Run again (the schema is no longer at version 0): refused, nothing changed.
        PostgresException again = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(script));
        Assert.Contains("not at version 0", again.MessageText, StringComparison.Ordinal);
        Assert.Equal("-- ClaimGraph.Postgres", db.Log.GetMigrationScript(PostgresClaimLog.LatestSchemaVersion)[..22]);
        Assert.DoesNotContain("CREATE TABLE " + "\"" + db.Schema + "\".events", db.Log.GetMigrationScript(1), StringComparison.Ordinal);
        Assert.Single(await db.ReadLogAsync("s"));
    }

    [SkippableFact]
    public async Task MigrateAsync_FourReplicasAtOnce_AllSucceedAndTheSchemaIsMigratedOnce()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync(migrate: false);

        SchemaMigrationResult[] results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => db.NewLog().MigrateAsync())));

        Assert.Single(results, r => r.PreviousVersion == 0);
        Assert.Equal(PostgresClaimLog.LatestSchemaVersion, (int)await db.ScalarAsync<long>("SELECT count(*) FROM {s}.schema_version"));
    }

    [SkippableFact]
    public async Task MigrateAsync_SchemaOfANewerLibrary_SchemaTooNew()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("INSERT INTO {s}.schema_version (version, description) VALUES (99, 'from the future')");

        ClaimLogException migrate = await Assert.ThrowsAsync<ClaimLogException>(() => db.Log.MigrateAsync());
        ClaimLogException open = await Assert.ThrowsAsync<ClaimLogException>(() => db.OpenAsync("s"));

        Assert.Equal(ClaimLogErrorCode.SchemaTooNew, migrate.Code);
        Assert.Equal(ClaimLogErrorCode.SchemaTooNew, open.Code);
        Assert.Contains("version 99", open.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Events_UpdateOrDelete_RefusedByTheDatabase()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using (PostgresCoordinator c = await db.OpenAsync("s"))
        {
            await c.AppendAsync(Ev.Item("e1", "a"));
        }

        PostgresException update = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("UPDATE {s}.events SET decisions_json = '[]'"));
        PostgresException delete = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("DELETE FROM {s}.events"));

        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.MessageText, StringComparison.Ordinal);
        Assert.Single(await db.ReadLogAsync("s"));
    }

    [SkippableFact]
    public async Task OpenAsync_EventJsonDoesNotParse_MalformedEventNamingStreamAndVersion()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await db.PlantEventAsync("s", 1, "e1", PostgresClaimLog.EventFormat, PolicyJson.WriteEvent(Ev.Item("e1", "a")), "[]");
        await db.PlantEventAsync("s", 2, "e2", PostgresClaimLog.EventFormat, "{\"type\":\"workItemAdded\",", "[]");

        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => db.OpenAsync("s"));

        AssertNames(ex, ClaimLogErrorCode.MalformedEvent, "s", 2);
        Assert.IsType<JsonReadException>(ex.InnerException);
    }

    [SkippableTheory]
    [InlineData("unknown type", "e1", 1, "{\"type\":\"teleported\",\"eventId\":\"e1\",\"time\":0}", "[]", ClaimLogErrorCode.MalformedEvent)]
    [InlineData("newer row format", "e1", 7, "ITEM", "[]", ClaimLogErrorCode.UnknownEventFormat)]
    [InlineData("row id differs from JSON id", "row-id", 1, "ITEM", "[]", ClaimLogErrorCode.MalformedEvent)]
    [InlineData("decisions not a JSON array", "e1", 1, "ITEM", "{oops", ClaimLogErrorCode.MalformedEvent)]
    public async Task OpenAsync_BadEventRow_TypedErrorNamingStreamAndVersion(string why, string rowId, int format, string json, string decisions, ClaimLogErrorCode expected)
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await db.PlantEventAsync("s", 1, rowId, format, json == "ITEM" ? PolicyJson.WriteEvent(Ev.Item("e1", "a")) : json, decisions);

        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => db.OpenAsync("s"));

        Assert.True(ex.Code == expected, $"{why}: {ex.Message}");
        AssertNames(ex, expected, "s", 1);
    }

    [SkippableFact]
    public async Task OpenAsync_LoggedDecisionsDifferFromThePolicy_DecisionsDiverged()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await db.PlantEventAsync("s", 1, "e1", PostgresClaimLog.EventFormat, PolicyJson.WriteEvent(Ev.Item("e1", "a")), "[]");
        await db.PlantEventAsync("s", 2, "e2", PostgresClaimLog.EventFormat, PolicyJson.WriteEvent(Ev.Request("e2", "r", "a", "write a/**")), "[]");

        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => db.OpenAsync("s"));
        await using PostgresCoordinator lenient = await db.OpenAsync("s", new CoordinatorOptions { VerifyReplayedDecisions = false });

        AssertNames(ex, ClaimLogErrorCode.DecisionsDiverged, "s", 2);
        Assert.Contains("\"kind\":\"Admit\"", ex.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Active, lenient.Graph.Runs["r"].Status);
    }

    [SkippableFact]
    public async Task ReadEventsAsync_MissingVersion_VersionGap()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await db.PlantEventAsync("s", 1, "e1", PostgresClaimLog.EventFormat, PolicyJson.WriteEvent(Ev.Item("e1", "a")), "[]");
        await db.PlantEventAsync("s", 3, "e3", PostgresClaimLog.EventFormat, PolicyJson.WriteEvent(Ev.Item("e3", "b")), "[]");

        ClaimLogException read = await Assert.ThrowsAsync<ClaimLogException>(() => db.ReadLogAsync("s"));
        ClaimLogException open = await Assert.ThrowsAsync<ClaimLogException>(() => db.OpenAsync("s"));

        AssertNames(read, ClaimLogErrorCode.VersionGap, "s", 2);
        AssertNames(open, ClaimLogErrorCode.VersionGap, "s", 2);
    }

    [SkippableTheory]
    [InlineData("not json at all", 1, ClaimLogErrorCode.MalformedSnapshot)]
    [InlineData("{\"format\":\"claimgraph.workgraph\",\"version\":1}", 1, ClaimLogErrorCode.MalformedSnapshot)]
    [InlineData("VALID", 9, ClaimLogErrorCode.UnknownSnapshotFormat)]
    [InlineData("VERSION99", 1, ClaimLogErrorCode.UnknownSnapshotFormat)]
    public async Task OpenAsync_BadSnapshotRow_TypedErrorNamingStreamAndVersion(string json, int format, ClaimLogErrorCode expected)
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using (PostgresCoordinator c = await db.OpenAsync("s"))
        {
            await c.AppendAsync([Ev.Item("e1", "a"), Ev.Item("e2", "b")]);
        }

        string valid = WorkGraphSnapshot.Save(WorkGraph.Empty);
        json = json switch
        {
            "VALID" => valid,
            "VERSION99" => valid.Replace("\"version\":1", "\"version\":99", StringComparison.Ordinal),
            _ => json,
        };
        Assert.True(json != valid || format != 1, "the planted snapshot must be bad");
        await db.ExecuteAsync("INSERT INTO {s}.snapshots (stream_id, version, format, snapshot_json, chain) SELECT 's', 2, $1, $2, chain FROM {s}.events WHERE stream_id = 's' AND version = 2", format, json);

        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => db.OpenAsync("s"));
        await using PostgresCoordinator withoutSnapshots = await db.OpenAsync("s", new CoordinatorOptions { UseSnapshots = false });

        AssertNames(ex, expected, "s", 2);
        Assert.Equal(2, withoutSnapshots.Version);
    }

    [Fact]
    public void Constructor_SchemaNotALowerCaseIdentifier_ArgumentException()
    {
        using NpgsqlDataSource source = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=u;Password=p");

        Assert.Throws<ArgumentException>(() => new PostgresClaimLog(source, "Bad-Schema"));
        Assert.Throws<ArgumentException>(() => new PostgresClaimLog(source, "x\"; DROP TABLE y; --"));
        Assert.Throws<ArgumentException>(() => new PostgresClaimLog(source, string.Empty));
        Assert.Equal("ok_1", new PostgresClaimLog(source, "ok_1").Schema);
    }

    [Fact]
    public async Task MigrateAsync_ServerUnreachable_ExceptionDoesNotCarryThePassword()
    {
        const string secret = "s3cr3t-do-not-print-4711";
        await using NpgsqlDataSource source = NpgsqlDataSource.Create($"Host=127.0.0.1;Port=1;Username=claimgraph;Password={secret};Timeout=2");
        var log = new PostgresClaimLog(source);

        Exception ex = await Assert.ThrowsAnyAsync<Exception>(() => log.MigrateAsync());

        Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, log.ToString()!, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task OpenAsync_WrongPassword_ExceptionDoesNotCarryThePassword()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        const string secret = "wrong-s3cr3t-0815";
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Password = secret };
        await using NpgsqlDataSource source = NpgsqlDataSource.Create(builder.ConnectionString);

        Exception ex = await Assert.ThrowsAnyAsync<NpgsqlException>(() => PostgresCoordinator.OpenAsync(new PostgresClaimLog(source, db.Schema), "s"));

        Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal);
    }

    private static void AssertNames(ClaimLogException ex, ClaimLogErrorCode code, string stream, long version)
    {
        Assert.Equal(code, ex.Code);
        Assert.Equal(stream, ex.StreamId);
        Assert.Equal(version, ex.Version);
        Assert.Contains($"stream '{stream}' at version {version}", ex.Message, StringComparison.Ordinal);
    }
}
