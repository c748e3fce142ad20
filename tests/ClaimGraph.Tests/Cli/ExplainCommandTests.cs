using System.Text.Json;
using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Cli;

public class ExplainCommandTests
{
    [Fact]
    public void Explain_HeldThenAdmittedRun_ShowsHistoryAndClaims()
    {
        CliRun run = ScenarioFixture.RunOn(ScenarioFixture.Conflict, "explain", "{file}", "--run", "b-1");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        string[] lines = run.Lines;
        Assert.Equal("run b-1: work item b, attempt 1, Active", lines[0]);
        Assert.Equal(["claims:", "  write src/b/**", "  read docs/**", "history:"], lines[1..5]);
        Assert.Matches("^  20 ms +req-b +Hold +ClaimConflict +Run 'b-1' waits: claims conflict with active run 'a-1'", lines[6]);
        Assert.Matches("^  30 ms +done-a +Admit +Admitted +Run 'b-1' starts on base 1", lines[7]);
        Assert.Equal("change packet: no run was active beside it", lines[^1]);
    }

    [Fact]
    public void Explain_ConcurrentRuns_ChangePacketSaysWhyItWasSafe()
    {
        CliRun run = CliRun.Of("explain", ScenarioFixture.ExamplePath("safe-fan-out"), "--run", "docs-1");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Contains("change packet:", run.Lines);
        Assert.Contains(run.Lines, l => l.StartsWith("  detector-1 (work item detector): DisjointCoverage: ", StringComparison.Ordinal));
        Assert.Contains("    write docs/** / write src/detector/**: disjoint, parting at segment 1: 'docs' vs 'src'", run.Lines);
    }

    [Fact]
    public void Explain_Json_HasHistoryAndChangePacket()
    {
        CliRun run = CliRun.Of("explain", ScenarioFixture.ExamplePath("safe-fan-out"), "--run", "detector-1", "--json");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        JsonElement root = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(("detector-1", "Succeeded"), (root.GetProperty("run").GetString(), root.GetProperty("status").GetString()));
        Assert.Equal(["Admit", "Note"], root.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
        JsonElement other = Assert.Single(root.GetProperty("changePacket").EnumerateArray());
        Assert.Equal(("docs-1", "DisjointCoverage"), (other.GetProperty("run").GetString(), other.GetProperty("safety").GetString()));
        Assert.DoesNotContain("\\u0027", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_UnknownRun_ExitTwoNamingTheFileAndTheRuns()
    {
        CliRun run = ScenarioFixture.RunOn(ScenarioFixture.Conflict, out string file, "explain", "{file}", "--run", "zz-9");

        run.AssertUsageError();
        Assert.Equal(
            $"claimgraph: {file}: --run: no run 'zz-9' after replaying the scenario; its runs are a-1, b-1",
            run.Stderr.TrimEnd());
    }

    [Fact]
    public void Explain_NoRunOption_UsageError()
    {
        CliRun run = CliRun.Of("explain", ScenarioFixture.ExamplePath("safe-fan-out"));

        run.AssertUsageError();
        Assert.Contains("--run", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_BadScenario_ExitTwoWithLocation()
    {
        CliRun run = ScenarioFixture.RunOn("{ \"steps\": 3 }", out string file, "explain", "{file}", "--run", "a");

        run.AssertUsageError();
        Assert.Equal($"claimgraph: {file}:1:12: $.steps: expected an array of steps, each an array of events, found a number", run.Stderr.TrimEnd());
    }
}
