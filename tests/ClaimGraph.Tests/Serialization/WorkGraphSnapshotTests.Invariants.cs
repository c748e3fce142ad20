using ClaimGraph.Claims;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Serialization;

/// <summary>Loading trusts nothing (#13): invariants the policy keeps, and the options the graph was kept under.</summary>
public partial class WorkGraphSnapshotTests
{
    private static WorkGraph TwoActive(string claimsA, string claimsB, long tokenA = 1, long tokenB = 2) =>
        Items("a", "b")
            .AddRun(Run("a#1", "a", claimsA, RunStatus.Active) with { FencingToken = tokenA }).Value
            .AddRun(Run("b#1", "b", claimsB, RunStatus.Active) with { FencingToken = tokenB }).Value;

    [Theory]
    [InlineData("write x/**", "write x/**")]
    [InlineData("write x/**", "read x/y")]
    [InlineData("append CHANGELOG.md", "write *.md")]
    [InlineData("", "read docs/**")]
    public void TryLoad_TwoActiveRunsWithConflictingClaims_ConflictingActiveRuns(string claimsA, string claimsB)
    {
        string saved = WorkGraphSnapshot.Save(TwoActive(claimsA, claimsB));

        Assert.False(WorkGraphSnapshot.TryLoad(saved, out WorkGraph? graph, out SnapshotError? error));

        Assert.Null(graph);
        Assert.Equal(SnapshotErrorCode.ConflictingActiveRuns, error.Code);
        Assert.Equal("$.runs[0].claims", error.Path);
        Assert.Contains("'a#1' and 'b#1'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("write x/**", "write y/**")]
    [InlineData("append CHANGELOG.md", "append CHANGELOG.md")]
    [InlineData("read x/**", "read x/**")]
    [InlineData("write x/**\n!x/gen/**", "write x/gen/**")]
    public void TryLoad_TwoActiveRunsWithCompatibleClaims_Loads(string claimsA, string claimsB)
    {
        WorkGraph g = TwoActive(claimsA, claimsB);

        Assert.Equal(g, WorkGraphSnapshot.Load(WorkGraphSnapshot.Save(g)));
    }

    [Fact]
    public void TryLoad_ConflictWithAHeldRun_Loads()
    {
        WorkGraph g = Items("a", "b")
            .AddRun(Run("a#1", "a", "write x/**", RunStatus.Active) with { FencingToken = 1 }).Value
            .AddRun(Run("b#1", "b", "write x/**", RunStatus.Held) with { ReservesPlace = true }).Value;

        Assert.Equal(g, WorkGraphSnapshot.Load(WorkGraphSnapshot.Save(g)));
    }

    [Fact]
    public void TryLoad_TwoActiveRunsWithOneFencingToken_DuplicateFencingToken()
    {
        string saved = WorkGraphSnapshot.Save(TwoActive("write x/**", "write y/**", tokenA: 5, tokenB: 5));

        Assert.False(WorkGraphSnapshot.TryLoad(saved, out _, out SnapshotError? error));

        Assert.Equal((SnapshotErrorCode.DuplicateFencingToken, "$.runs[1].fencingToken"), (error.Code, error.Path));
        Assert.Contains("fencing token 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_InvariantChecksOff_LoadsWhatWasSaved()
    {
        WorkGraph g = TwoActive("write x/**", "write x/**", tokenA: 5, tokenB: 5);

        Assert.Equal(g, WorkGraphSnapshot.Load(WorkGraphSnapshot.Save(g), new SnapshotLoadOptions { CheckInvariants = false }));
    }

    [Fact]
    public void TryLoad_PolicyMadeGraph_Loads()
    {
        var options = PolicyOptions.Default;
        PolicyStepResult result = ClaimPolicy.Step(
            WorkGraph.Empty,
            [
                new WorkItemAdded("e1", 0, "a"), new WorkItemAdded("e2", 0, "b"), new WorkItemAdded("e3", 0, "c"),
                new RunRequested("e4", 1, "a#1", "a", ["write x/**"]), new RunRequested("e5", 2, "b#1", "b", ["write y/**"]),
                new RunRequested("e6", 3, "c#1", "c", ["read x/**"]),
            ],
            options);

        Assert.Equal(2, result.Graph.Runs.Values.Count(r => r.Status == RunStatus.Active));
        Assert.Equal(result.Graph, WorkGraphSnapshot.Load(WorkGraphSnapshot.Save(result.Graph, indented: false, options.Fingerprint), new SnapshotLoadOptions { ExpectedOptionsFingerprint = options.Fingerprint }));
    }

    [Fact]
    public void Save_WithoutFingerprint_SameBytesAsBefore()
    {
        WorkGraph g = Rich();

        Assert.Equal(WorkGraphSnapshot.Save(g), WorkGraphSnapshot.Save(g, indented: false, optionsFingerprint: null));
        Assert.DoesNotContain("optionsFingerprint", WorkGraphSnapshot.Save(g), StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_OtherOptions_OptionsMismatchUnlessChanging()
    {
        WorkGraph g = Rich();
        string kept = PolicyOptions.Default.Fingerprint;
        string other = (PolicyOptions.Default with { MaxAttempts = 5 }).Fingerprint;
        string saved = WorkGraphSnapshot.Save(g, indented: true, kept);

        Assert.False(WorkGraphSnapshot.TryLoad(saved, new SnapshotLoadOptions { ExpectedOptionsFingerprint = other }, out _, out SnapshotError? error));
        Assert.Equal((SnapshotErrorCode.OptionsMismatch, "$.optionsFingerprint"), (error.Code, error.Path));
        Assert.Contains(kept, error.Message, StringComparison.Ordinal);
        Assert.Contains(other, error.Message, StringComparison.Ordinal);

        Assert.Equal(g, WorkGraphSnapshot.Load(saved, new SnapshotLoadOptions { ExpectedOptionsFingerprint = other, OptionsChanging = true }));
        Assert.Equal(g, WorkGraphSnapshot.Load(saved, new SnapshotLoadOptions { ExpectedOptionsFingerprint = kept }));
        Assert.Equal(g, WorkGraphSnapshot.Load(saved));
    }

    [Fact]
    public void TryLoad_NoFingerprintRecordedButOneExpected_OptionsMismatch()
    {
        string saved = WorkGraphSnapshot.Save(Rich());

        Assert.False(WorkGraphSnapshot.TryLoad(saved, new SnapshotLoadOptions { ExpectedOptionsFingerprint = PolicyOptions.Default.Fingerprint }, out _, out SnapshotError? error));

        Assert.Equal(SnapshotErrorCode.OptionsMismatch, error.Code);
        Assert.Contains("records no policy options", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_EmptyFingerprint_InvalidValue()
    {
        string saved = WorkGraphSnapshot.Save(Rich()).Replace("\"version\":1,", "\"version\":1,\"optionsFingerprint\":\"\",", StringComparison.Ordinal);

        Assert.False(WorkGraphSnapshot.TryLoad(saved, out _, out SnapshotError? error));

        Assert.Equal((SnapshotErrorCode.InvalidValue, "$.optionsFingerprint"), (error.Code, error.Path));
    }

    [Fact]
    public void Save_EmptyFingerprint_Throws()
    {
        Assert.Throws<ArgumentException>(() => WorkGraphSnapshot.Save(Rich(), indented: false, string.Empty));
    }
}
