using ClaimGraph.Claims;
using ClaimGraph.Policy;

namespace ClaimGraph.Tests.Policy;

/// <summary>Each hold reason type carries exactly its evidence and says it in one sentence and one short summary.</summary>
public class HoldReasonTests
{
    private static ClaimConflict Conflict() =>
        ClaimSet.Conflicts(ClaimSet.Parse("write src/billing/**"), ClaimSet.Parse("write src/*/schema.sql")).Conflict!;

    public static TheoryData<HoldReason, ReasonCode, string, string> Reasons() => new()
    {
        {
            new ClaimConflictHold("ra", "a", Conflict()), ReasonCode.ClaimConflict,
            "claims conflict with active run 'ra': 'write src/billing/**' and 'write src/*/schema.sql' both cover 'src/billing/schema.sql'",
            "blocker ra; write src/billing/** vs write src/*/schema.sql; witness src/billing/schema.sql"
        },
        {
            new QueuedBehindHold("rb", "b", Conflict()), ReasonCode.QueuedBehind,
            "queued behind held run 'rb': 'write src/billing/**' and 'write src/*/schema.sql' both cover 'src/billing/schema.sql'",
            "blocker rb; write src/billing/** vs write src/*/schema.sql; witness src/billing/schema.sql"
        },
        { new DependencyPendingHold("schema", "r-schema"), ReasonCode.DependencyPending, "dependency 'schema' is not done (its run 'r-schema' is in progress)", "item schema, run r-schema" },
        { new DependencyPendingHold("schema", null), ReasonCode.DependencyPending, "dependency 'schema' is not done", "item schema" },
        { new DependencyUnknownHold("ghost"), ReasonCode.DependencyUnknown, "dependency 'ghost' is not in the graph", "item ghost" },
        { ConcurrencyLimitHold.Global, ReasonCode.ConcurrencyLimit, "the global concurrency limit is reached", "limit *" },
        { new ConcurrencyLimitHold("ui"), ReasonCode.ConcurrencyLimit, "the concurrency limit of label 'ui' is reached", "limit ui" },
        { new BackoffPendingHold(11_000), ReasonCode.BackoffPending, "retry backoff until 11000", "not before 11000" },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Reason_EachType_CodeMessageAndEvidenceFromItsOwnFields(HoldReason reason, ReasonCode code, string message, string evidence)
    {
        Assert.Equal(code, reason.Code);
        Assert.Equal(message, reason.Message);
        Assert.Equal(evidence, reason.Evidence);
        Assert.Equal(message, reason.ToString());
    }

    [Fact]
    public void Equals_SameTypeAndEvidence_EqualElseNot()
    {
        Assert.Equal(new ClaimConflictHold("ra", "a", Conflict()), new ClaimConflictHold("ra", "a", Conflict()));
        Assert.NotEqual<HoldReason>(new ClaimConflictHold("ra", "a", Conflict()), new QueuedBehindHold("ra", "a", Conflict()));
        Assert.Equal(ConcurrencyLimitHold.Global, new ConcurrencyLimitHold(null));
        Assert.NotEqual(ConcurrencyLimitHold.Global, new ConcurrencyLimitHold("*"));
        Assert.NotEqual(new DependencyPendingHold("a", null), new DependencyPendingHold("a", "r"));
        Assert.Equal(new BackoffPendingHold(5).GetHashCode(), new BackoffPendingHold(5).GetHashCode());
    }

    [Fact]
    public void Evidence_Hold_ReasonsSeparatedAndRestCounted()
    {
        var hold = new HoldDecision("e", "r", [new DependencyUnknownHold("x"), new BackoffPendingHold(7)], null, 2);
        Assert.Equal("item x | not before 7 | 2 more", hold.Evidence);
        Assert.Equal("Run 'r' waits: dependency 'x' is not in the graph; retry backoff until 7; and 2 more blockers.", hold.Message);
    }
}
