using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Tests.Policy;

/// <summary>
/// The checks at the policy's intake (#13): claim lines that are blank or only a comment are refused instead of read as
/// nothing (a list of only such lines was the barrier), and event text must be valid Unicode without NUL.
/// </summary>
public class EventIntakeTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    [InlineData("# comment")]
    [InlineData("  # write src/**")]
    [InlineData("write a/**\nwrite b/**")]
    public void Step_RequestWithBlankOrCommentLine_InvalidPatternAndNothingChanges(string line)
    {
        var h = new PolicyHarness();
        h.Item("a");
        WorkGraph before = h.Graph;

        RejectDecision reject = Assert.IsType<RejectDecision>(Assert.Single(h.Request("r", "a", line)));

        Assert.Equal((ReasonCode.InvalidPattern, "r"), (reject.Reason, reject.RunId));
        Assert.Contains("claim line 0", reject.Detail, StringComparison.Ordinal);
        Assert.Same(before, h.Graph);
    }

    [Fact]
    public void Step_HugeClaimLineWithALineBreak_DetailQuotesItCutToAFewHundredCharacters()
    {
        var h = new PolicyHarness();
        h.Item("a");
        string line = "write src/" + new string('x', 100_000) + "\nwrite docs/" + new string('y', 100_000);

        RejectDecision reject = Assert.IsType<RejectDecision>(Assert.Single(h.Request("r", "a", line)));

        Assert.Equal(ReasonCode.InvalidPattern, reject.Reason);
        Assert.StartsWith("claim line 0 (\"write src/xxx", reject.Detail, StringComparison.Ordinal);
        Assert.Contains("characters left out]…", reject.Detail, StringComparison.Ordinal);
        Assert.Contains("yyy\") holds a line break", reject.Detail, StringComparison.Ordinal);
        Assert.True(reject.Detail.Length < 300, $"the detail is {reject.Detail.Length} characters long");
    }

    [Fact]
    public void Step_ClaimLineWithALineBreak_QuotedEscapedAsBefore()
    {
        var h = new PolicyHarness();
        h.Item("a");

        RejectDecision reject = Assert.IsType<RejectDecision>(Assert.Single(h.Request("r", "a", "write a/**\r\nwrite b/**")));

        Assert.Equal("claim line 0 (\"write a/**\\r\\nwrite b/**\") holds a line break: a claim is one line", reject.Detail);
    }

    [Fact]
    public void Step_RequestWithABlankLineAmongClaims_NamesTheLine()
    {
        var h = new PolicyHarness();
        h.Item("a");

        RejectDecision reject = Assert.IsType<RejectDecision>(Assert.Single(h.Request("r", "a", "write src/**", "")));

        Assert.Equal(ReasonCode.InvalidPattern, reject.Reason);
        Assert.Contains("claim line 1 is blank", reject.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_RequestWithNoLines_StillTheBarrier()
    {
        var h = new PolicyHarness();
        h.Item("a");

        h.Request("r", "a");

        Assert.True(h.Graph.Runs["r"].Claims.IsBarrier);
        Assert.Equal(RunStatus.Active, h.Status("r"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# more")]
    public void Step_AmendmentWithBlankOrCommentLine_InvalidPattern(string line)
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Request("r", "a", "write a/**");
        WorkGraph before = h.Graph;

        RejectDecision reject = Assert.IsType<RejectDecision>(Assert.Single(h.Send(new ClaimsAmended(h.NextId(), h.Time, "r", h.Token("r"), [line]))));

        Assert.Equal((ReasonCode.InvalidPattern, "r"), (reject.Reason, reject.RunId));
        Assert.Same(before, h.Graph);
    }

    public static TheoryData<PolicyEvent> EventsWithBadText => new()
    {
        new WorkItemAdded("e9", 0, "a\0b"),
        new WorkItemAdded("e9", 0, "b") { Labels = ["ui\uD800"] },
        new WorkItemAdded("e9\uDC00", 0, "b"),
        new RunRequested("e9", 0, "r\0", "a", ["write a/**"]),
        new RunRequested("e9", 0, "r", "a", ["write a/\uD83D**"]),
        new RunRequested("e9", 0, "r", "a", ["write a/x\0"]),
        new BaseAdvanced("e9", 0, 1) { ChangedPaths = ["a/\uDE00"] },
        new Recovered("e9", 0) { AliveRunIds = ["x\0"] },
    };

    [Theory]
    [MemberData(nameof(EventsWithBadText))]
    public void Step_EventWithNulOrLoneSurrogate_InvalidEventAndNothingChanges(PolicyEvent e)
    {
        var h = new PolicyHarness();
        h.Item("a");
        WorkGraph before = h.Graph;

        RejectDecision reject = Assert.IsType<RejectDecision>(Assert.Single(h.Send(e)));

        Assert.Equal(ReasonCode.InvalidEvent, reject.Reason);
        Assert.Contains("valid Unicode", reject.Detail, StringComparison.Ordinal);
        Assert.Same(before, h.Graph);
    }

    [Fact]
    public void Step_SurrogatePairInIds_Accepted()
    {
        var h = new PolicyHarness();

        h.Item("a\uD83D\uDE00");
        h.Request("r\uD83D\uDE00", "a\uD83D\uDE00", "write a/\uD83D\uDE00/**");

        Assert.Equal(RunStatus.Active, h.Status("r\uD83D\uDE00"));
    }
}
