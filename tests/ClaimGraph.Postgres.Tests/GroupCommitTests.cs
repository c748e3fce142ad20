namespace ClaimGraph.Postgres.Tests;

/// <summary><see cref="CoordinatorConcurrency.GroupCommit"/>: a replica that finds the head taken queues its events and waits to be named.</summary>
public class GroupCommitTests
{
    private static readonly CoordinatorOptions GroupCommit = new() { Concurrency = CoordinatorConcurrency.GroupCommit };

    [SkippableFact]
    public async Task AppendAsync_QueuedAfterTheLeaderReadTheInbox_NamedWhenTheHeadIsReleasedAndLeadsTheNextCommit()
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

            // a holds the head and has read the inbox: b queues its event, which a's commit does not take.
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
}
