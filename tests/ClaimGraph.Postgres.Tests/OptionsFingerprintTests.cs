using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Postgres.Tests;

/// <summary>A stream records the fingerprint of its policy options; other options are refused unless changed on purpose.</summary>
public class OptionsFingerprintTests
{
    private static readonly PolicyOptions Longer = PolicyOptions.Default with { LeaseDuration = 120_000 };

    private static CoordinatorOptions With(PolicyOptions policy, bool changing = false) =>
        CoordinatorOptions.Default with { Policy = policy, OptionsChanging = changing };

    [SkippableFact]
    public async Task OpenAsync_NewStream_RecordsTheFingerprintAndNoChange()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator c = await db.OpenAsync("s", With(Longer));

        Assert.Equal(Longer.Fingerprint, await db.Log.GetOptionsFingerprintAsync("s"));
        Assert.Empty(await db.Log.ReadOptionsChangesAsync("s"));
        Assert.Null(await db.Log.GetOptionsFingerprintAsync("missing"));
    }

    [SkippableFact]
    public async Task OpenAsync_SameOptions_ReopensAndAppends()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using (PostgresCoordinator first = await db.OpenAsync("s", With(Longer)))
        {
            await first.AppendAsync(Ev.Item("e1", "a"));
        }

        await using PostgresCoordinator again = await db.OpenAsync("s", With(PolicyOptions.Default with { LeaseDuration = 120_000 }));
        await again.AppendAsync(Ev.Item("e2", "b"));

        Assert.Equal(2, await db.Log.GetStreamVersionAsync("s"));
        Assert.Empty(await db.Log.ReadOptionsChangesAsync("s"));
    }

    [SkippableFact]
    public async Task OpenAsync_OtherOptions_OptionsMismatchAndNothingChanged()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using (PostgresCoordinator first = await db.OpenAsync("s"))
        {
            await first.AppendAsync(Ev.Item("e1", "a"));
        }

        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => db.OpenAsync("s", With(Longer)));

        Assert.Equal(ClaimLogErrorCode.OptionsMismatch, ex.Code);
        Assert.Equal(15, (int)ex.Code);
        Assert.Equal("s", ex.StreamId);
        Assert.Contains(PolicyOptions.Default.Fingerprint, ex.Message, StringComparison.Ordinal);
        Assert.Contains("OptionsChanging", ex.Hint, StringComparison.Ordinal);
        Assert.Equal(PolicyOptions.Default.Fingerprint, await db.Log.GetOptionsFingerprintAsync("s"));
        Assert.Empty(await db.Log.ReadOptionsChangesAsync("s"));
    }

    [SkippableFact]
    public async Task OpenAsync_OptionsChanging_ChangeRecordedAndOldReplicaRefusedOnAppend()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator old = await db.OpenAsync("s");
        await old.AppendAsync(Ev.Item("e1", "a"));

        await using PostgresCoordinator changed = await db.OpenAsync("s", With(Longer, changing: true));

        OptionsChange change = Assert.Single(await db.Log.ReadOptionsChangesAsync("s"));
        Assert.Equal(("s", 1L, PolicyOptions.Default.Fingerprint, Longer.Fingerprint), (change.StreamId, change.Version, change.OldFingerprint, change.NewFingerprint));
        Assert.Equal(Longer.Fingerprint, await db.Log.GetOptionsFingerprintAsync("s"));
        StoredSnapshot atChange = (await db.Log.ReadLatestSnapshotAsync("s"))!;
        Assert.Equal(1, atChange.Version);
        Assert.Contains(Longer.Fingerprint, atChange.Json, StringComparison.Ordinal);

        // The replica still on the old options appends nothing from now on.
        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => old.AppendAsync(Ev.Item("e2", "b")));
        Assert.Equal(ClaimLogErrorCode.OptionsMismatch, ex.Code);
        Assert.Equal(1, await db.Log.GetStreamVersionAsync("s"));

        await changed.AppendAsync(Ev.Item("e3", "c"));
        await using PostgresCoordinator reopened = await db.OpenAsync("s", With(Longer));
        Assert.Equal(2, reopened.Version);
        Assert.Equal(1, reopened.LoadedSnapshotVersion);
        Assert.Single(await db.Log.ReadOptionsChangesAsync("s"));
    }

    [SkippableFact]
    public async Task OpenAsync_OptionsChangingAfterASnapshotUnderTheOldOptions_StartsFromThatSnapshot()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using (PostgresCoordinator old = await db.OpenAsync("s"))
        {
            await old.AppendAsync([Ev.Item("e1", "a"), Ev.Item("e2", "b")]);
            Assert.Equal(2, await old.SaveSnapshotAsync());
        }

        await using PostgresCoordinator changed = await db.OpenAsync("s", With(Longer, changing: true));
        await using PostgresCoordinator reopened = await db.OpenAsync("s", With(Longer));

        Assert.Equal((2L, 2L), (changed.LoadedSnapshotVersion!.Value, reopened.LoadedSnapshotVersion!.Value));
        Assert.Equal(2, Assert.Single(await db.Log.ReadOptionsChangesAsync("s")).Version);
    }

    [SkippableFact]
    public async Task OpenAsync_OptionsChangingWithTheSameOptions_RecordsNothing()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using (await db.OpenAsync("s"))
        {
        }

        await using PostgresCoordinator again = await db.OpenAsync("s", With(PolicyOptions.Default, changing: true));

        Assert.Empty(await db.Log.ReadOptionsChangesAsync("s"));
    }

    [SkippableFact]
    public async Task OpenAsync_StreamCreatedBeforeMigration3_AdoptsTheFirstFingerprintWithItsSnapshot()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync(migrate: false);
        foreach (string statement in ClaimLogMigrations.Preamble(db.Log.Sql))
        {
            await db.ExecuteAsync(statement);
        }

        foreach ((int version, string description, Func<ClaimLogSql, string> sql) in ClaimLogMigrations.All.Where(m => m.Version <= 2))
        {
            await db.ExecuteAsync(sql(db.Log.Sql));
            await db.ExecuteAsync(ClaimLogMigrations.Record(db.Log.Sql, version, description));
        }

        await db.ExecuteAsync("INSERT INTO {s}.streams (stream_id, version) VALUES ('old', 0)");
        await db.ExecuteAsync(
            "INSERT INTO {s}.snapshots (stream_id, version, format, snapshot_json, chain) VALUES ('old', 0, $1, $2, decode(repeat('00', 32), 'hex'))",
            WorkGraphSnapshot.CurrentVersion,
            WorkGraphSnapshot.Save(WorkGraph.Empty));
        Assert.Equal(new SchemaMigrationResult(2, PostgresClaimLog.LatestSchemaVersion), await db.Log.MigrateAsync());
        Assert.Null(await db.Log.GetOptionsFingerprintAsync("old"));

        await using (PostgresCoordinator first = await db.OpenAsync("old", With(Longer)))
        {
            Assert.Equal(0, first.LoadedSnapshotVersion);
            await first.AppendAsync(Ev.Item("e1", "a"));
        }

        OptionsChange adopted = Assert.Single(await db.Log.ReadOptionsChangesAsync("old"));
        Assert.Equal((0L, (string?)null, Longer.Fingerprint), (adopted.Version, adopted.OldFingerprint, adopted.NewFingerprint));
        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => db.OpenAsync("old"));
        Assert.Equal(ClaimLogErrorCode.OptionsMismatch, ex.Code);
    }

    [SkippableFact]
    public async Task SaveSnapshotAsync_RecordsTheFingerprint_LoadExpectingOtherOptionsRefused()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator c = await db.OpenAsync("s", With(Longer));
        await c.AppendAsync(Ev.Item("e1", "a"));
        await c.SaveSnapshotAsync();

        StoredSnapshot snapshot = (await db.Log.ReadLatestSnapshotAsync("s"))!;

        Assert.Contains("\"optionsFingerprint\":\"" + Longer.Fingerprint + "\"", snapshot.Json, StringComparison.Ordinal);
        Assert.Equal(["a"], snapshot.Load(new SnapshotLoadOptions { ExpectedOptionsFingerprint = Longer.Fingerprint }).WorkItems.Keys);
        ClaimLogException ex = Assert.Throws<ClaimLogException>(() => snapshot.Load(new SnapshotLoadOptions { ExpectedOptionsFingerprint = PolicyOptions.Default.Fingerprint }));
        Assert.Equal(ClaimLogErrorCode.OptionsMismatch, ex.Code);
        Assert.Equal(1, ex.Version);
    }
}
