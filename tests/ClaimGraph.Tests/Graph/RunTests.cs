using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Graph;

namespace ClaimGraph.Tests.Graph;

public class RunTests
{
    private static readonly ClaimSet Src = ClaimSet.Parse("write src/**");

    [Fact]
    public void Constructor_Defaults_PendingFirstAttempt()
    {
        var run = new Run("r", "a", Src);
        Assert.Equal(1, run.Attempt);
        Assert.Equal(RunStatus.Pending, run.Status);
        Assert.Empty(run.History);
        Assert.Empty(run.AdmittedUpstreamRevisions);
        Assert.Null(run.AdmittedBase);
        Assert.False(run.IsInOverlapIndex);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.ThrowsAny<ArgumentException>(() => new Run("", "a", Src));
        Assert.ThrowsAny<ArgumentException>(() => new Run("r", null!, Src));
        Assert.Throws<ArgumentNullException>(() => new Run("r", "a", null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Run("r", "a", Src) { Attempt = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Run("r", "a", Src) { FencingToken = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Run("r", "a", Src) { Status = (RunStatus)9 });
        Assert.Throws<ArgumentNullException>(() => new Run("r", "a", Src) { History = null! });
    }

    [Theory]
    [InlineData(RunStatus.Pending, false, false)]
    [InlineData(RunStatus.Pending, true, false)]
    [InlineData(RunStatus.Held, false, false)]
    [InlineData(RunStatus.Held, true, true)]
    [InlineData(RunStatus.Active, false, true)]
    [InlineData(RunStatus.Succeeded, true, false)]
    [InlineData(RunStatus.Cancelled, false, false)]
    public void IsInOverlapIndex_ActiveOrReservingHeld(RunStatus status, bool reserves, bool expected)
    {
        Assert.Equal(expected, new Run("r", "a", Src) { Status = status, ReservesPlace = reserves }.IsInOverlapIndex);
    }

    [Fact]
    public void AppendHistory_AddsAtEndAndKeepsOriginal()
    {
        var run = new Run("r", "a", Src);
        var e1 = new RunHistoryEntry("e1", 10, DecisionKind.Hold, ReasonCode.ClaimConflict, "held") { RelatedRunIds = ["q"], WitnessPath = "src/x" };
        var e2 = new RunHistoryEntry("e2", 20, DecisionKind.Admit, ReasonCode.Admitted, "admitted");
        Run after = run.AppendHistory(e1).AppendHistory(e2);
        Assert.Equal([e1, e2], after.History);
        Assert.Empty(run.History);
    }

    [Fact]
    public void Equals_SameContent_EqualWithSameHash()
    {
        Run a = Make();
        Run b = Make();
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());

        static Run Make() => new Run("r", "a", ClaimSet.Parse("write src/**\nread docs/**"))
        {
            Attempt = 2,
            Priority = 1,
            RequestedAt = 5,
            Status = RunStatus.Active,
            NotBefore = 3,
            AdmittedBase = 4,
            AdmittedUpstreamRevisions = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("u", 3L)]),
            WorkspaceKey = "ws",
            LeaseExpiresAt = 100,
            FencingToken = 9,
        }.AppendHistory(new RunHistoryEntry("e", 1, DecisionKind.Admit, ReasonCode.Admitted, "ok") { RelatedRunIds = ["x"] });
    }

    [Fact]
    public void Equals_EachFieldDiffers_NotEqual()
    {
        var r = new Run("r", "a", Src);
        Run[] variants =
        [
            r with { Id = "s" },
            r with { WorkItemId = "b" },
            r with { Attempt = 2 },
            r with { Claims = ClaimSet.Parse("write docs/**") },
            r with { Priority = 1 },
            r with { RequestedAt = 1 },
            r with { Status = RunStatus.Held },
            r with { NotBefore = 1 },
            r with { ReservesPlace = true },
            r with { AdmittedBase = 1 },
            r with { AdmittedUpstreamRevisions = ImmutableSortedDictionary<string, long>.Empty.Add("u", 1) },
            r with { WorkspaceKey = "w" },
            r with { LeaseExpiresAt = 1 },
            r with { FencingToken = 1 },
            r.AppendHistory(new RunHistoryEntry("e", 1, DecisionKind.Hold, ReasonCode.ClaimConflict, "m")),
        ];
        foreach (Run v in variants)
        {
            Assert.NotEqual(r, v);
        }
    }

    [Fact]
    public void AdmittedUpstreamRevisions_OtherComparer_ReplacedByOrdinal()
    {
        var run = new Run("r", "a", Src) { AdmittedUpstreamRevisions = ImmutableSortedDictionary.Create<string, long>(StringComparer.OrdinalIgnoreCase).Add("b", 1).Add("C", 2) };
        Assert.Equal<string>(["C", "b"], run.AdmittedUpstreamRevisions.Keys);
    }

    [Fact]
    public void ToString_ShowsClaimsOnOneLine()
    {
        string text = new Run("r", "a", ClaimSet.Parse("write src/**\nread docs/**")).ToString();
        Assert.Contains("Claims = [write src/**;read docs/**]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RunOrder_Admission_PriorityThenTimeThenId()
    {
        var a = new Run("a", "x", Src) { Priority = 1, RequestedAt = 9 };
        var b = new Run("b", "x", Src) { Priority = 0, RequestedAt = 1 };
        var c = new Run("c", "x", Src) { Priority = 0, RequestedAt = 1 };
        var d = new Run("d", "x", Src) { Priority = 0, RequestedAt = 0 };
        Run[] runs = [c, b, d, a];
        Array.Sort(runs, RunOrder.Admission);
        Assert.Equal<string>(["a", "d", "b", "c"], runs.Select(r => r.Id));
    }

    [Fact]
    public void RunStatusExtensions_TerminalAndWaiting()
    {
        Assert.True(RunStatus.Failed.IsTerminal());
        Assert.False(RunStatus.Active.IsTerminal());
        Assert.True(RunStatus.Held.IsWaiting());
        Assert.False(RunStatus.Active.IsWaiting());
    }
}
