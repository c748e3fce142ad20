using System.Collections.Immutable;
using ClaimGraph.Graph;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Graph.Parts;

/// <summary>The run table on its own: queue, per-item runs, active counts per label and base, leases, fencing.</summary>
public class RunTableTests
{
    private static readonly ImmutableSortedSet<string> NoLabels = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
    private static readonly ImmutableSortedSet<string> Ui = ImmutableSortedSet.Create(StringComparer.Ordinal, "ui");

    [Fact]
    public void Add_WaitingRun_QueuedNotActive()
    {
        RunTable table = RunTable.Empty.Add(Run("r", "a"), Ui);

        Assert.Equal(["r"], table.Queue.Select(r => r.Id));
        Assert.Equal(0, table.ActiveCount);
        Assert.False(table.HasActiveRun("a"));
        Assert.Equal(["r"], table.RunsOf("a").Select(r => r.Id));
    }

    [Fact]
    public void Replace_PendingToActive_CountsLabelBaseAndLease()
    {
        Run pending = Run("r", "a");
        RunTable table = RunTable.Empty.Add(pending, Ui);

        table = table.Replace(pending, pending with { Status = RunStatus.Active, AdmittedBase = 4, LeaseExpiresAt = 100, FencingToken = 7 }, Ui);

        Assert.Empty(table.Queue);
        Assert.Equal(1, table.ActiveCount);
        Assert.Equal(1, table.ActiveCountWithLabel("ui"));
        Assert.True(table.HasActiveRun("a"));
        Assert.Equal<string>(["r"], table.ActiveRunIdsOf("a"));
        Assert.Equal(4, table.OldestActiveBase);
        Assert.Equal<string>(["r"], table.LeasesBefore(101));
        Assert.Empty(table.LeasesBefore(100));
        Assert.Equal(8, table.NextFencingToken);
    }

    [Fact]
    public void Replace_ActiveToSucceeded_CountsGone()
    {
        Run active = Run("r", "a", status: RunStatus.Active) with { AdmittedBase = 2, LeaseExpiresAt = 50 };
        RunTable table = RunTable.Empty.Add(active, Ui);

        table = table.Replace(active, active with { Status = RunStatus.Succeeded }, Ui);

        Assert.Equal(0, table.ActiveCount);
        Assert.Empty(table.ActiveByLabel);
        Assert.Null(table.OldestActiveBase);
        Assert.Empty(table.LeasesBefore(long.MaxValue));
    }

    [Fact]
    public void Relabel_ActiveRun_MovesItsLabelCount()
    {
        RunTable table = RunTable.Empty.Add(Run("r", "a", status: RunStatus.Active), Ui);

        table = table.Relabel("a", Ui, ImmutableSortedSet.Create(StringComparer.Ordinal, "api"));

        Assert.Equal(0, table.ActiveCountWithLabel("ui"));
        Assert.Equal(1, table.ActiveCountWithLabel("api"));
    }

    [Fact]
    public void IssueFencingToken_Twice_TokensGrow()
    {
        RunTable table = RunTable.Empty.IssueFencingToken(out long first).IssueFencingToken(out long second);

        Assert.Equal(1, first);
        Assert.Equal(2, second);
        Assert.Equal(3, table.NextFencingToken);
        Assert.Equal(1, RunTable.Empty.NextFencingToken);
    }

    [Fact]
    public void Create_SameRunsAsUpdates_SameAnswers()
    {
        Run[] runs =
        [
            Run("r1", "a", status: RunStatus.Active) with { AdmittedBase = 3, LeaseExpiresAt = 10, FencingToken = 5 },
            Run("r2", "b"),
            Run("r3", "a", status: RunStatus.Failed),
        ];
        RunTable updated = RunTable.Empty;
        foreach (Run run in runs)
        {
            updated = updated.Add(run, run.WorkItemId == "a" ? Ui : NoLabels);
        }

        RunTable built = RunTable.Create(updated.Runs, id => id == "a" ? Ui : NoLabels, 1);

        Assert.True(built.ContentEquals(updated));
        Assert.Equal(updated.Queue, built.Queue);
        Assert.Equal(updated.ActiveByLabel, built.ActiveByLabel);
        Assert.Equal(updated.OldestActiveBase, built.OldestActiveBase);
        Assert.Equal<string>(updated.LeasesBefore(11), built.LeasesBefore(11));
        Assert.Equal(updated.RunsOf("a"), built.RunsOf("a"));
        Assert.Equal(6, built.NextFencingToken);
    }
}
