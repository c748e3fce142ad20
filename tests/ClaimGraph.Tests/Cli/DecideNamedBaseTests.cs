using System.Text.Json;
using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Cli;

/// <summary><c>claimgraph decide</c> on runs that start from a named base (#13): the table's Admit rows say which one.</summary>
public class DecideNamedBaseTests
{
    /// <summary>
    /// A run on <c>release/1.2</c> at <c>r7</c> beside a run on the default base; the release branch moves to <c>r8</c>
    /// under the first, which is restarted on <c>r8</c>, and it widens its claims.
    /// </summary>
    private const string Json = """
        { "options": { "leaseDuration": null }, "steps": [
          [ { "type": "workItemAdded", "eventId": "add-fix", "time": 0, "workItemId": "fix" },
            { "type": "workItemAdded", "eventId": "add-docs", "time": 0, "workItemId": "docs" } ],
          [ { "type": "runRequested", "eventId": "req-fix", "time": 1, "runId": "fix-1", "workItemId": "fix",
              "claims": ["write src/billing/**"], "base": "release/1.2", "baseRevision": "r7" },
            { "type": "runRequested", "eventId": "req-docs", "time": 1, "runId": "docs-1", "workItemId": "docs", "claims": ["write docs/**"] } ],
          [ { "type": "namedBaseAdvanced", "eventId": "move", "time": 2, "base": "release/1.2", "revision": "r8", "changedPaths": ["src/billing/tax.cs"] } ],
          [ { "type": "claimsAmended", "eventId": "widen", "time": 3, "runId": "fix#2", "fencingToken": 3, "additionalClaims": ["write tests/billing/**"] } ]
        ] }
        """;

    [Fact]
    public void Decide_Table_AdmitOnNamedBaseNamesBaseAndRevision()
    {
        CliRun run = ScenarioFixture.RunOn(Json, "decide", "{file}");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(string.Empty, run.Stderr);
        Assert.Equal(
            [
                "step  event     decision  run     reason            evidence",
                "2     req-fix   Admit     fix-1   Admitted          base 0, token 1, workspace ws/fix-1 (new workspace), named base release/1.2@r7",
                "2     req-docs  Admit     docs-1  Admitted          base 0, token 2, workspace ws/docs-1 (new workspace)",
                "3     move      Cancel    fix-1   AssumptionBroken  item fix, paths src/billing/tax.cs, assumed base release/1.2 at r7, now r8 (event move)",
                "3     move      Retry     fix-1   Restarted         new run fix#2, attempt 2, not before 2, workspace ws/fix-1 (reuses the workspace of run 'fix-1': same scope, same claims)",
                "3     move      Admit     fix#2   Admitted          base 0, token 3, workspace ws/fix-1 (reuses the workspace of run 'fix-1'), named base release/1.2@r8",
                "4     widen     Admit     fix#2   AmendmentGranted  wider claim set granted, named base release/1.2@r8",
            ],
            run.Lines);
    }

    /// <summary>
    /// The JSON Lines keep their fields (the named base and revision only for such runs), and an Admit's message names
    /// the named base it starts from.
    /// </summary>
    [Fact]
    public void Decide_Json_AdmitOnNamedBaseKeepsItsFields()
    {
        CliRun run = ScenarioFixture.RunOn(Json, "decide", "{file}", "--json");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        JsonElement[] lines = run.JsonLines;
        Assert.Equal(
            ["step", "event", "kind", "reason", "reasonCode", "run", "base", "namedBase", "baseRevision", "workspace", "reuseWorkspace", "workspaceNote", "fencingToken", "leaseExpiresAt", "message"],
            lines[0].EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(("release/1.2", "r7"), (lines[0].GetProperty("namedBase").GetString(), lines[0].GetProperty("baseRevision").GetString()));
        Assert.Equal(("release/1.2", "r8"), (lines[4].GetProperty("namedBase").GetString(), lines[4].GetProperty("baseRevision").GetString()));
        Assert.False(lines[1].TryGetProperty("namedBase", out _));
        Assert.False(lines[1].TryGetProperty("baseRevision", out _));

        // The sentence names the state the run starts from: the named base at its revision, or the default base.
        Assert.Equal("Run 'fix-1' starts on release/1.2 at r7 in workspace 'ws/fix-1' (new workspace).", lines[0].GetProperty("message").GetString());
        Assert.Equal("Run 'docs-1' starts on base 0 in workspace 'ws/docs-1' (new workspace).", lines[1].GetProperty("message").GetString());
    }
}
