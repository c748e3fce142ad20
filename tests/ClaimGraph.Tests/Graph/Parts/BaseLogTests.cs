using ClaimGraph.Graph;

namespace ClaimGraph.Tests.Graph.Parts;

/// <summary>The base log on its own: advancing, reading what a base has not seen, pruning.</summary>
public class BaseLogTests
{
    private static BaseLog Log(params long[] versions)
    {
        BaseLog log = BaseLog.Empty;
        foreach (long v in versions)
        {
            log = log.Advance(new MergedChange(v, ["src/" + v], null));
        }

        return log;
    }

    [Fact]
    public void Advance_Changes_VersionIsTheLast()
    {
        BaseLog log = Log(2, 5, 9);

        Assert.Equal(9, log.Version);
        Assert.Equal([2L, 5L, 9L], log.Changes.Select(c => c.Version));
        Assert.Equal(0, BaseLog.Empty.Version);
    }

    [Fact]
    public void Since_Base_OnlyLaterChanges()
    {
        BaseLog log = Log(2, 5, 9);

        Assert.Equal([5L, 9L], log.Since(2).Select(c => c.Version));
        Assert.Equal([5L, 9L], log.Since(4).Select(c => c.Version));
        Assert.Empty(log.Since(9));
    }

    [Fact]
    public void PruneBelow_Version_DropsOlderKeepsVersion()
    {
        BaseLog log = Log(2, 5, 9);

        BaseLog pruned = log.PruneBelow(5);

        Assert.Equal([5L, 9L], pruned.Changes.Select(c => c.Version));
        Assert.Equal(9, pruned.Version);
        Assert.Same(pruned, pruned.PruneBelow(5));
        Assert.False(pruned.ContentEquals(log));
        Assert.True(pruned.ContentEquals(BaseLog.Create(9, pruned.Changes)));
    }
}
