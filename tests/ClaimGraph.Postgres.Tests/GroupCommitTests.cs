using Npgsql;

namespace ClaimGraph.Postgres.Tests;

/// <summary><see cref="CoordinatorConcurrency.GroupCommit"/>: a replica that finds the group-commit lock taken queues its events and waits to be named.</summary>
public class GroupCommitTests
{
    private static readonly CoordinatorOptions GroupCommit = new() { Concurrency = CoordinatorConcurrency.GroupCommit };

    [SkippableFact]
    public async Task AppendAsync_QueuedAfterTheLeaderReadTheInbox_NamedWhenTheLockIsReleasedAndLeadsTheNextCommit()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator a = await db.OpenAsync("s", GroupCommit);
        await using PostgresCoordinator b = await db.OpenAsync("s", GroupCommit);

        // b's patience outlasts the test: only a notification naming its submission ends its wait.
        b.GroupCommitPatience = TimeSpan.FromMinutes(1);
        Task<AppendResult>? queued = null;
        a.BeforeCommit = async (_, _) =>
        {
            a.BeforeCommit = null;

            // a holds the lock and has read the inbox: b queues its event, which a's commit does not take.
            queued = b.AppendAsync(Ev.Item("b1", "y"), CancellationToken.None);
            await db.WaitForInboxRowAsync("b1");
        };

        AppendResult first = await a.AppendAsync(Ev.Item("a1", "x"));
        AppendResult second = await queued!.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        Assert.False(Assert.Single(second.Events).AlreadyLogged);
        Assert.Equal(2, second.Attempts);
        Assert.Equal(["a1", "b1"], (await db.ReadLogAsync("s")).Select(r => r.EventId));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM {s}.inbox"));
    }

    [SkippableFact]
    public async Task AppendAsync_FailsWhileLeading_ReleasesTheLockForTheNextReplica()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator a = await db.OpenAsync("s", GroupCommit);
        await using PostgresCoordinator b = await db.OpenAsync("s", GroupCommit);

        // b's patience outlasts the test: should a's failure leave the lock held, b would queue and wait.
        b.GroupCommitPatience = TimeSpan.FromMinutes(1);
        a.BeforeCommit = (_, _) => throw new InvalidOperationException("fails while it leads");

        await Assert.ThrowsAsync<InvalidOperationException>(() => a.AppendAsync(Ev.Item("a1", "x")));

        Assert.True(await TryTakeAndReleaseAsync(db, "claimgraph.groupcommit." + db.Schema + ".s"), "the failed leader still holds the group-commit lock");
        AppendResult appended = await b.AppendAsync(Ev.Item("b1", "y")).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, appended.Version);
        Assert.Equal(1, appended.Attempts);
        Assert.Equal(["b1"], (await db.ReadLogAsync("s")).Select(r => r.EventId));
    }

    [SkippableFact]
    public async Task AppendAsync_FirstRoundTripFailsAfterTakingTheLock_ReleasesIt()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await using PostgresCoordinator a = await db.OpenAsync("s", GroupCommit with { CommandTimeout = TimeSpan.FromSeconds(1) });
        await using PostgresCoordinator b = await db.OpenAsync("s", GroupCommit);
        b.GroupCommitPatience = TimeSpan.FromMinutes(1);

        // One append first, so that a's statements are prepared (preparing them would wait for the table lock below).
        await a.AppendAsync(Ev.Item("a0", "x"));

        // The round's first statement (which takes the lock) reads no head row; the head read after it waits for this
        // table lock past the command timeout, so the round fails holding the lock.
        await using NpgsqlConnection blocker = await db.Admin.OpenConnectionAsync();
        await using (NpgsqlTransaction held = await blocker.BeginTransactionAsync())
        {
            await using (var lockStreams = new NpgsqlCommand($"LOCK TABLE \"{db.Schema}\".streams IN ACCESS EXCLUSIVE MODE", blocker, held))
            {
                await lockStreams.ExecuteNonQueryAsync();
            }

            ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => a.AppendAsync(Ev.Item("a1", "x")));
            Assert.Equal(ClaimLogErrorCode.ConnectionFailed, ex.Code);
            await held.RollbackAsync();
        }

        Assert.True(await TryTakeAndReleaseAsync(db, "claimgraph.groupcommit." + db.Schema + ".s"), "the failed round's session still holds the group-commit lock");
        AppendResult appended = await b.AppendAsync(Ev.Item("b1", "y")).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, appended.Attempts);
        Assert.Equal(["a0", "b1"], (await db.ReadLogAsync("s")).Select(r => r.EventId));
    }

    [SkippableFact]
    public async Task NotifyQueued_SeveralSubmissionsQueued_NamesOnlyTheOldestOfTheStream()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        Guid other = Guid.NewGuid(), done = Guid.NewGuid(), oldest = Guid.NewGuid(), next = Guid.NewGuid();
        const string Queue = "INSERT INTO {s}.inbox (stream_id, submission, event_id, event_json) VALUES ($1, $2, $3, '{}')";
        await db.ExecuteAsync(Queue, "t", other, "t1");

        // Queued first, but its id was logged meanwhile (by another submission): its replica would not lead.
        await using (PostgresCoordinator logger = await db.OpenAsync("s"))
        {
            await logger.AppendAsync(Ev.Item("s0", "x"));
        }

        await db.ExecuteAsync(Queue, "s", done, "s0");
        await db.ExecuteAsync(Queue, "s", oldest, "s1");
        await db.ExecuteAsync(Queue, "s", next, "s2");
        await db.ExecuteAsync(Queue, "s", oldest, "s3");

        await using NpgsqlConnection listener = await db.Admin.OpenConnectionAsync();
        var heard = new List<string>();
        listener.Notification += (_, e) => heard.Add(e.Payload);
        await using (var listen = new NpgsqlCommand("LISTEN " + ClaimLogSql.Quote(db.Log.Sql.LoggedChannel), listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        // Only the replica that queued first an event not logged yet is woken (it leads the next commit, which takes
        // the others' events too).
        Assert.Equal(1, await db.ScalarAsync<long>(db.Log.Sql.NotifyQueued, db.Log.Sql.LoggedChannel, "s"));
        for (int i = 0; i < 20 && heard.Count == 0; i++)
        {
            await listener.WaitAsync(250);
        }

        await listener.WaitAsync(200);
        Assert.Equal([oldest.ToString("N") + "\ns"], heard);
    }

    /// <summary>Whether another session can take the advisory lock <paramref name="name"/> now (it is released again at once).</summary>
    private static async Task<bool> TryTakeAndReleaseAsync(TestDatabase db, string name)
    {
        await using NpgsqlConnection connection = await db.Admin.OpenConnectionAsync();
        await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection) { Parameters = { new NpgsqlParameter { Value = name } } };
        if (!(bool)(await take.ExecuteScalarAsync())!)
        {
            return false;
        }

        await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", connection) { Parameters = { new NpgsqlParameter { Value = name } } };
        return (bool)(await release.ExecuteScalarAsync())!;
    }
}
