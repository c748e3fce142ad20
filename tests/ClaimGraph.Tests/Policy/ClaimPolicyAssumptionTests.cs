using ClaimGraph.Graph;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Policy;

/// <summary>
/// The state a run assumes beside its claims (docs/policy.md, "Assumptions"): a named base at a revision, resources at
/// a version; which events break them, what the cancel says, what a restart assumes, and what Explain shows.
/// </summary>
public class ClaimPolicyAssumptionTests
{
    private static PolicyHarness Started(params RunRequested[] requests)
    {
        var h = new PolicyHarness();
        foreach (RunRequested r in requests)
        {
            if (!h.Graph.ContainsWorkItem(r.WorkItemId))
            {
                h.Item(r.WorkItemId);
            }

            h.Send(r);
        }

        return h;
    }

    private static RunRequested Request(string run, string item, string claim) => new("req-" + run, 0, run, item, [claim]);

    [Fact]
    public void ResourceChanged_OtherVersion_CancelsWithTheBrokenAssumptionAndRestarts()
    {
        PolicyHarness h = Started(Request("ra", "a", "write src/billing/**") with { Assumes = ["schema:billing@v42"] });
        Assert.Equal(RunStatus.Active, h.Status("ra"));
        h.Send(new ResourceChanged("move", 5, "schema:billing", "v43"));
        CancelDecision cancel = h.Single<CancelDecision>("ra");
        Assert.Equal(ReasonCode.AssumptionBroken, cancel.Reason);
        Assumption broken = Assert.IsType<Assumption>(cancel.BrokenAssumption);
        Assert.Equal((AssumptionKind.Resource, "schema:billing", "v42", "v43", "move"), (broken.Kind, broken.Subject, broken.Version, broken.ActualVersion, broken.BrokenByEventId));
        Assert.Equal("Run 'ra' is cancelled: it assumed 'schema:billing' at 'v42'; event 'move' changed it to 'v43'.", cancel.Message);
        Assert.Contains("\"assumption\":{\"kind\":\"resource\",\"subject\":\"schema:billing\",\"expected\":\"v42\",\"holds\":false,\"actual\":\"v43\",\"brokenBy\":\"move\"}", PolicyJson.WriteDecision(cancel), StringComparison.Ordinal);
        RetryDecision retry = h.Single<RetryDecision>("ra");
        Assert.Equal(ReasonCode.Restarted, retry.Reason);
        Assumption renewed = Assert.Single(h.Graph.Runs[retry.NewRunId].Assumptions);
        Assert.True(renewed.Holds);
        Assert.Equal("v43", renewed.Version);
        Assert.False(Assert.Single(h.Graph.Runs["ra"].Assumptions).Holds);
    }

    [Fact]
    public void ResourceChanged_SameVersionOrOtherResource_TouchesNothing()
    {
        PolicyHarness h = Started(
            Request("ra", "a", "write a/**") with { Assumes = ["schema:billing@v42"] },
            Request("rb", "b", "write b/**"));
        h.Send(new ResourceChanged("same", 1, "schema:billing", "v42"));
        h.Send(new ResourceChanged("other", 2, "schema:orders", "v9"));
        Assert.Empty(h.Last);
        Assert.Equal(RunStatus.Active, h.Status("ra"));
        Assert.Equal(RunStatus.Active, h.Status("rb"));
    }

    [Fact]
    public void ResourceChanged_HeldRunAssumingIt_CancelledToo()
    {
        PolicyHarness h = Started(
            Request("ra", "a", "write src/**"),
            Request("rb", "b", "write src/**") with { Assumes = ["artifact:build/app.dll@sha256:1"] });
        Assert.Equal(RunStatus.Held, h.Status("rb"));
        h.Send(new ResourceChanged("e9", 1, "artifact:build/app.dll", "sha256:2"));
        Assert.Equal(ReasonCode.AssumptionBroken, h.Single<CancelDecision>("rb").Reason);
        Assert.Equal(RunStatus.Active, h.Status("ra"));
    }

    [Fact]
    public void NamedBaseAdvanced_CoveredPath_BreaksOnlyRunsOnThatBase()
    {
        PolicyHarness h = Started(
            Request("rel", "a", "write src/**") with { Base = "release/1.2", BaseRevision = "r1" },
            Request("main", "b", "read src/**") with { Base = "main", BaseRevision = "m1" },
            Request("plain", "c", "read src/**"));
        h.Send(new NamedBaseAdvanced("fix", 3, "release/1.2", "r2") { ChangedPaths = ["src/app.cs", "docs/x.md"] });
        CancelDecision cancel = Assert.IsType<CancelDecision>(Assert.Single(h.Last.OfType<CancelDecision>()));
        Assert.Equal("rel", cancel.RunId);
        Assert.Equal(ReasonCode.AssumptionBroken, cancel.Reason);
        Assert.Equal(["src/app.cs"], cancel.Paths.ToArray());
        Assert.Equal((AssumptionKind.Base, "release/1.2", "r1", "r2"), (cancel.BrokenAssumption!.Kind, cancel.BrokenAssumption.Subject, cancel.BrokenAssumption.Version, cancel.BrokenAssumption.ActualVersion));
        Assert.Contains("assumed base 'release/1.2' at 'r1'", cancel.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Active, h.Status("main"));
        Assert.Equal(RunStatus.Active, h.Status("plain"));
    }

    [Fact]
    public void NamedBaseAdvanced_NoCoveredPath_RunKeepsGoing()
    {
        PolicyHarness h = Started(Request("rel", "a", "write src/**") with { Base = "release/1.2", BaseRevision = "r1" });
        h.Send(new NamedBaseAdvanced("fix", 3, "release/1.2", "r2") { ChangedPaths = ["docs/x.md"] });
        Assert.Empty(h.Last);
        Assert.True(h.Graph.Runs["rel"].AssumedBase!.Holds);
    }

    [Fact]
    public void BaseAdvanced_DefaultBase_LeavesRunsOnNamedBases()
    {
        PolicyHarness h = Started(
            Request("rel", "a", "read src/**") with { Base = "release/1.2", BaseRevision = "r1" },
            Request("plain", "b", "read src/**"));
        h.Send(new BaseAdvanced("out", 3, 1) { ChangedPaths = ["src/app.cs"] });
        Assert.Equal("plain", Assert.Single(h.Last.OfType<CancelDecision>()).RunId);
        Assert.Equal(RunStatus.Active, h.Status("rel"));
    }

    [Theory]
    [InlineData("release/1.2", null)]
    [InlineData(null, "r1")]
    [InlineData("", "r1")]
    public void RunRequested_BaseWithoutRevision_RejectedInvalidEvent(string? name, string? revision)
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Send(Request("ra", "a", "write a/**") with { Base = name, BaseRevision = revision });
        Assert.Equal(ReasonCode.InvalidEvent, h.Single<RejectDecision>().Reason);
        Assert.False(h.Graph.ContainsRun("ra"));
    }

    [Theory]
    [InlineData("schema:billing")]
    [InlineData("@v1")]
    [InlineData("schema:billing@")]
    [InlineData("schema:a//b@v1")]
    public void RunRequested_MalformedAssumption_RejectedInvalidEvent(string line)
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Send(Request("ra", "a", "write a/**") with { Assumes = [line] });
        RejectDecision reject = h.Single<RejectDecision>();
        Assert.Equal(ReasonCode.InvalidEvent, reject.Reason);
        Assert.Contains("assumption 0", reject.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void RunRequested_SameResourceTwice_RejectedInvalidEvent()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Send(Request("ra", "a", "write a/**") with { Assumes = ["schema:x@1", "schema:x@2"] });
        Assert.Contains("assumed twice", h.Single<RejectDecision>().Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "v1")]
    [InlineData("schema:x", "")]
    [InlineData("a//b", "v1")]
    public void ResourceChanged_Malformed_RejectedInvalidEvent(string resource, string version)
    {
        var h = new PolicyHarness();
        h.Send(new ResourceChanged("e1", 0, resource, version));
        Assert.Equal(ReasonCode.InvalidEvent, h.Single<RejectDecision>().Reason);
    }

    [Fact]
    public void Explain_ShowsWhatEachRunAssumedAndWhetherItHeld()
    {
        PolicyHarness h = Started(
            Request("ra", "a", "write a/**") with { Assumes = ["schema:billing@v42", "artifact:build/app.dll@d1"] },
            Request("rb", "b", "write b/**") with { Base = "main", BaseRevision = "m1" });
        h.Send(new ResourceChanged("move", 1, "schema:billing", "v43"));
        RunExplanation ra = RunExplainer.Explain(h.Graph, "ra")!;
        Assert.Equal([false, true], ra.Assumptions.Select(a => a.Holds).ToArray());
        RunExplanation rb = RunExplainer.Explain(h.Graph, "rb")!;
        ConcurrentRun beside = Assert.Single(rb.ChangePacket, c => c.RunId == "ra");
        Assert.Equal("schema:billing@v42 (broken by move: v43)", beside.Assumptions[0].ToString());
        string json = PolicyJson.WriteExplanation(rb);
        Assert.Contains("\"kind\": \"base\"", json, StringComparison.Ordinal);
        Assert.Contains("\"brokenBy\": \"move\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_RunAssumptions_RoundTrip()
    {
        PolicyHarness h = Started(Request("ra", "a", "write a/**") with { Base = "main", BaseRevision = "m1", Assumes = ["schema:billing@v42"] });
        h.Send(new ResourceChanged("move", 1, "schema:billing", "v43"));
        WorkGraph back = WorkGraphSnapshot.Load(WorkGraphSnapshot.Save(h.Graph));
        Assert.Equal(h.Graph.Runs["ra"].Assumptions.ToArray(), back.Runs["ra"].Assumptions.ToArray());
        Assert.Equal(h.Graph, back);
    }

    [Fact]
    public void RunRequested_ResourceAlreadyMoved_CancelledAtOnceAndRestartedOnTheCurrentVersion()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Send(new ResourceChanged("move", 1, "schema:billing", "v43"));
        h.Send(Request("ra", "a", "write src/**") with { Assumes = ["schema:billing@v42", "artifact:build/app.dll@d1"] });
        CancelDecision cancel = h.Single<CancelDecision>("ra");
        Assert.Equal(ReasonCode.AssumptionBroken, cancel.Reason);
        Assumption broken = Assert.IsType<Assumption>(cancel.BrokenAssumption);
        Assert.Equal((AssumptionKind.Resource, "schema:billing", "v42", "v43", "move"), (broken.Kind, broken.Subject, broken.Version, broken.ActualVersion, broken.BrokenByEventId));
        Assert.Empty(cancel.Paths);
        RetryDecision retry = h.Single<RetryDecision>("ra");
        Assert.Equal(ReasonCode.Restarted, retry.Reason);
        Assert.Equal(["schema:billing@v43", "artifact:build/app.dll@d1"], h.Graph.Runs[retry.NewRunId].Assumptions.Select(a => a.ToString()).ToArray());
        Assert.Equal(RunStatus.Active, h.Status(retry.NewRunId));
    }

    [Fact]
    public void RunRequested_NamedBaseAlreadyMoved_CancelledAtOnceWhateverItsClaims()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Send(new NamedBaseAdvanced("adv", 1, "release/1.2", "r2") { ChangedPaths = ["docs/x.md"] });
        h.Send(Request("rel", "a", "write src/**") with { Base = "release/1.2", BaseRevision = "r1", Assumes = ["schema:billing@v1"] });
        CancelDecision cancel = h.Single<CancelDecision>("rel");
        Assert.Equal(ReasonCode.AssumptionBroken, cancel.Reason);
        Assert.Equal("base release/1.2@r1 (broken by adv: r2)", cancel.BrokenAssumption!.ToString());
        Assert.Equal(ReasonCode.Restarted, h.Single<RetryDecision>("rel").Reason);
    }

    [Fact]
    public void Admit_RunOnNamedBase_NamesItsBaseAndRevision()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        AdmitDecision rel = Assert.Single(h.Send(Request("rel", "a", "write a/**") with { Base = "release/1.2", BaseRevision = "r1" }).OfType<AdmitDecision>());
        Assert.Equal(("release/1.2", "r1"), (rel.NamedBase, rel.BaseRevision));
        Assert.Contains("\"namedBase\":\"release/1.2\",\"baseRevision\":\"r1\"", PolicyJson.WriteDecision(rel), StringComparison.Ordinal);
        AdmitDecision plain = Assert.Single(h.Send(Request("plain", "b", "write b/**")).OfType<AdmitDecision>());
        Assert.Null(plain.NamedBase);
        Assert.DoesNotContain("namedBase", PolicyJson.WriteDecision(plain), StringComparison.Ordinal);
    }

    [Fact]
    public void RunRequested_CurrentOrUnknownVersions_Accepted()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Item("b");
        h.Send(new ResourceChanged("move", 1, "schema:billing", "v43"));
        h.Send(new NamedBaseAdvanced("adv", 2, "release/1.2", "r2"));
        h.Send(Request("ra", "a", "write a/**") with { Base = "release/1.2", BaseRevision = "r2", Assumes = ["schema:billing@v43"] });
        h.Send(Request("rb", "b", "write b/**") with { Base = "main", BaseRevision = "m7", Assumes = ["schema:orders@v1"] });
        Assert.Equal(RunStatus.Active, h.Status("ra"));
        Assert.Equal(RunStatus.Active, h.Status("rb"));
    }

    [Fact]
    public void Snapshot_CurrentVersions_RoundTripAndCount()
    {
        var h = new PolicyHarness();
        h.Item("a");
        h.Send(new ResourceChanged("move", 1, "schema:billing", "v43"));
        h.Send(new NamedBaseAdvanced("adv", 2, "release/1.2", "r2"));
        string text = WorkGraphSnapshot.Save(h.Graph);
        Assert.Contains("\"resources\":[{\"subject\":\"schema:billing\",\"version\":\"v43\",\"eventId\":\"move\"}]", text.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        WorkGraph back = WorkGraphSnapshot.Load(text);
        Assert.Equal(h.Graph, back);
        Assert.Equal(new CurrentVersion("r2", "adv"), back.Versions.Bases["release/1.2"]);

        // The table is content: a graph that differs only there is not equal.
        WorkGraph other = back.WithCurrentVersion(AssumptionKind.Resource, "schema:billing", new CurrentVersion("v44", "x"));
        Assert.NotEqual(back, other);
    }

    [Fact]
    public void EventJson_AssumptionFields_RoundTripAndAreAbsentWhenUnused()
    {
        RunRequested plain = Request("ra", "a", "write a/**");
        Assert.DoesNotContain("assumes", PolicyJson.WriteEvent(plain), StringComparison.Ordinal);
        Assert.DoesNotContain("base", PolicyJson.WriteEvent(plain), StringComparison.Ordinal);
        PolicyEvent[] events =
        [
            plain with { Base = "main", BaseRevision = "m1", Assumes = ["schema:billing@v42"] },
            new NamedBaseAdvanced("n", 1, "release/1.2", "r2") { ChangedPaths = ["artifact:build/app.dll"] },
            new ResourceChanged("c", 2, "schema:billing", "v43"),
        ];
        foreach (PolicyEvent e in events)
        {
            string text = PolicyJson.WriteEvent(e);
            Assert.Equal(text, PolicyJson.WriteEvent(EventJson.Read(text)));
        }
    }
}
