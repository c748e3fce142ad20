using System.Collections.Immutable;
using ClaimGraph.Cli;
using ClaimGraph.Globs;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Tests.Cli;

/// <summary>
/// The scenarios in <c>examples/</c>: <c>decide</c> prints exactly the expected files beside them, and, checked
/// independently of those files (so that regenerating them cannot hide a regression), each shows what it is named for.
/// To regenerate after a deliberate change: <c>claimgraph decide examples/X.json &gt; examples/X.decide.txt</c> and
/// <c>claimgraph decide examples/X.json --json &gt; examples/X.decide.jsonl</c>.
/// </summary>
public class ExampleScenarioTests
{
    public static TheoryData<string> Examples => new(ScenarioFixture.ExampleNames);

    [Fact]
    public void Examples_AreExactlyTheListedScenarios()
    {
        string[] files = Directory.GetFiles(ScenarioFixture.ExamplesDirectory, "*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(ScenarioFixture.ExampleNames.Order(StringComparer.Ordinal), files);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Decide_Table_IsTheExpectedFile(string name)
    {
        CliRun run = CliRun.Of("decide", ScenarioFixture.ExamplePath(name));

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(string.Empty, run.Stderr);
        Assert.Equal(Expected(name, ".decide.txt"), run.Stdout);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Decide_JsonLines_IsTheExpectedFile(string name)
    {
        CliRun run = CliRun.Of("decide", ScenarioFixture.ExamplePath(name), "--json");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(Expected(name, ".decide.jsonl"), run.Stdout);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Examples_RejectNoEventAndExplainEveryRun(string name)
    {
        ScenarioReplay replay = Replay(name);

        Assert.DoesNotContain(All(replay), d => d is RejectDecision);
        foreach (string run in replay.Graph.Runs.Keys)
        {
            Assert.Equal(CliApp.ExitSuccess, CliRun.Of("explain", ScenarioFixture.ExamplePath(name), "--run", run).ExitCode);
        }
    }

    [Fact]
    public void SafeFanOut_BothDisjointRunsAreAdmittedInOneStep()
    {
        ScenarioReplay replay = Replay("safe-fan-out");

        ImmutableArray<Decision> step2 = replay.Steps[1].Decisions;
        Assert.Equal(["docs-1", "detector-1"], step2.Select(d => d.RunId));
        Assert.All(step2, d => Assert.Equal(ReasonCode.Admitted, Assert.IsType<AdmitDecision>(d).Reason));
        Assert.DoesNotContain(All(replay), d => d.Kind == DecisionKind.Hold);
        Assert.All(replay.Graph.WorkItems.Values, w => Assert.Equal(WorkItemStatus.Done, w.Status));
    }

    [Fact]
    public void SameServiceDirectory_SecondIsHeldWithAWitnessThenAdmitted()
    {
        ScenarioReplay replay = Replay("same-service-directory");

        HoldDecision hold = Assert.IsType<HoldDecision>(Assert.Single(All(replay), d => d.Kind == DecisionKind.Hold));
        ClaimConflictHold reason = Assert.IsType<ClaimConflictHold>(Assert.Single(hold.Reasons));
        Assert.Equal((ReasonCode.ClaimConflict, "limits-1", "auth-1"), (reason.Code, hold.RunId, reason.BlockingRunId));
        Assert.True(reason.Conflict!.Left.Pattern.Covers(reason.Conflict.Witness));
        Assert.True(reason.Conflict.Right.Pattern.Covers(reason.Conflict.Witness));
        Assert.StartsWith("services/api/", reason.Conflict.Witness, StringComparison.Ordinal);
        Assert.False(hold.ReservesPlace); // backfill (the default): not overtaken yet, 64 bypasses left
        Assert.Equal(64, hold.Bypass!.Left);

        AdmitDecision admit = Assert.IsType<AdmitDecision>(Assert.Single(replay.Steps[2].Decisions));
        Assert.Equal(("limits-1", "done-auth", 1L), (admit.RunId, admit.EventId, admit.BaseVersion));
    }

    [Fact]
    public void SchemaDependency_HeldOnTheDependencyUntilTheSchemaIsDone()
    {
        ScenarioReplay replay = Replay("schema-dependency");

        HoldDecision hold = Assert.IsType<HoldDecision>(Assert.Single(All(replay), d => d.Kind == DecisionKind.Hold));
        Assert.Equal("api-1", hold.RunId);
        Assert.Equal(ReasonCode.DependencyPending, hold.Reason);
        Assert.Equal(("schema", "schema-1"), (((DependencyPendingHold)hold.Reasons[0]).WorkItemId, ((DependencyPendingHold)hold.Reasons[0]).ActiveRunId));
        Assert.False(hold.ReservesPlace);
        Assert.DoesNotContain(replay.Steps[1].Decisions, d => d.RunId == "api-1" && d.Kind == DecisionKind.Admit);

        Decision admit = Assert.Single(replay.Steps[2].Decisions, d => d.RunId == "api-1");
        Assert.Equal((DecisionKind.Admit, "done-schema"), (admit.Kind, admit.EventId));
        Assert.True(replay.Graph.TryGetWorkItem("schema", out WorkItem? schema));
        Assert.Equal(WorkItemStatus.Done, schema.Status);
    }

    [Fact]
    public void BlockerFails_HeldRunNamesTheBlockerAndIsAdmittedWhenItFails()
    {
        ScenarioReplay replay = Replay("blocker-fails");

        HoldDecision hold = Assert.IsType<HoldDecision>(Assert.Single(replay.Steps[1].Decisions, d => d.Kind == DecisionKind.Hold));
        Assert.Equal(("metrics-1", ReasonCode.ClaimConflict, "cache-1"), (hold.RunId, hold.Reason, ((ClaimHold)hold.Reasons[0]).BlockingRunId));

        ImmutableArray<Decision> failure = replay.Steps[2].Decisions;
        RetryDecision retry = Assert.IsType<RetryDecision>(failure[0]);
        Assert.Equal(("cache-1", ReasonCode.TransientFailure, 2), (retry.RunId, retry.Reason, retry.Attempt));
        Assert.True(retry.NotBefore > 15000);
        Assert.Contains(failure, d => d is AdmitDecision { RunId: "metrics-1" });
        HoldDecision retryHold = Assert.IsType<HoldDecision>(Assert.Single(failure, d => d.RunId == retry.NewRunId));
        Assert.Equal([ReasonCode.BackoffPending, ReasonCode.ClaimConflict], retryHold.Reasons.Select(r => r.Code));
        Assert.Equal("metrics-1", ((ClaimHold)retryHold.Reasons[1]).BlockingRunId);
    }

    [Fact]
    public void IssueChangesState_ReopenCancelsWithUpstreamChangedAndRetries()
    {
        ScenarioReplay replay = Replay("issue-changes-state");

        ImmutableArray<Decision> reopen = replay.Steps[2].Decisions;
        CancelDecision cancel = Assert.IsType<CancelDecision>(reopen[0]);
        Assert.Equal(("api-1", ReasonCode.UpstreamChanged, "schema"), (cancel.RunId, cancel.Reason, cancel.CauseWorkItemId));
        RetryDecision retry = Assert.IsType<RetryDecision>(reopen[1]);
        Assert.Equal(("api-1", ReasonCode.Restarted), (retry.RunId, retry.Reason));
        Assert.True(retry.ReuseWorkspace);
        Assert.Equal(ReasonCode.DependencyPending, Assert.IsType<HoldDecision>(reopen[2]).Reason);

        Assert.True(replay.Graph.TryGetRun(retry.NewRunId, out Run? again));
        Assert.Equal(RunStatus.Active, again.Status);
        Assert.True(replay.Graph.TryGetRun("api-1", out Run? first));
        Assert.Equal(RunStatus.Cancelled, first.Status);
    }

    [Fact]
    public void Restart_OrphanedRunsAreRetriedInTheirOldWorkspaces()
    {
        ScenarioReplay replay = Replay("restart");

        RetryDecision[] retries = [.. All(replay).OfType<RetryDecision>()];
        Assert.Equal(["docs-1", "parser-1"], retries.Select(r => r.RunId).Order(StringComparer.Ordinal));
        foreach (RetryDecision retry in retries)
        {
            Assert.Equal(ReasonCode.Orphaned, retry.Reason);
            Assert.True(retry.ReuseWorkspace);
            Assert.Equal("ws/" + retry.RunId, retry.WorkspaceKey);
            AdmitDecision admit = Assert.IsType<AdmitDecision>(Assert.Single(replay.Steps[3].Decisions, d => d.RunId == retry.NewRunId));
            Assert.Equal(retry.WorkspaceKey, admit.WorkspaceKey);
            Assert.True(admit.ReuseWorkspace);
        }

        Assert.DoesNotContain(All(replay), d => d.RunId == "ui-1" && d.Kind != DecisionKind.Admit);
        Assert.True(replay.Graph.TryGetRun("ui-1", out Run? alive));
        Assert.Equal(RunStatus.Active, alive.Status);
    }

    [Fact]
    public void SchemaMoved_AssumingRunCancelledWithTheBrokenAssumptionOthersUntouched()
    {
        ScenarioReplay replay = Replay("schema-moved");

        CancelDecision cancel = Assert.IsType<CancelDecision>(Assert.Single(All(replay), d => d.Kind == DecisionKind.Cancel));
        Assert.Equal(("reports-1", ReasonCode.AssumptionBroken), (cancel.RunId, cancel.Reason));
        Assert.Equal(("schema:billing", "v42", "v43", "migrate-billing"), (cancel.BrokenAssumption!.Subject, cancel.BrokenAssumption.Version, cancel.BrokenAssumption.ActualVersion, cancel.BrokenAssumption.BrokenByEventId));
        RetryDecision retry = Assert.IsType<RetryDecision>(Assert.Single(All(replay), d => d.Kind == DecisionKind.Retry));
        Assert.Equal(ReasonCode.Restarted, retry.Reason);
        Assert.Equal("v43", Assert.Single(replay.Graph.Runs[retry.NewRunId].Assumptions).Version);
        Assert.Equal(RunStatus.Succeeded, replay.Graph.Runs[retry.NewRunId].Status);
        Assert.Equal(RunStatus.Succeeded, replay.Graph.Runs["docs-1"].Status);
        Assert.DoesNotContain(All(replay), d => d.RunId == "docs-1" && d.Kind != DecisionKind.Admit);
    }

    private static ScenarioReplay Replay(string name) => ScenarioReplay.Run(ScenarioFile.Load(ScenarioFixture.ExamplePath(name)));

    private static IEnumerable<Decision> All(ScenarioReplay replay) => replay.Steps.SelectMany(s => s.Decisions);

    private static string Expected(string name, string suffix) =>
        File.ReadAllText(Path.Combine(ScenarioFixture.ExamplesDirectory, name + suffix)).ReplaceLineEndings("\n");
}
