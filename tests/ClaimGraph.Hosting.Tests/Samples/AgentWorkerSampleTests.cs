using System.Diagnostics;
using System.Reflection;
using System.Text;
using ClaimGraph.Graph;

namespace ClaimGraph.Hosting.Tests.Samples;

/// <summary>
/// samples/AgentWorker end to end, as a user runs it: a process that requests runs for four tasks, starts the admitted
/// ones as agent processes that edit files in a temporary repository, heartbeats them past their lease, reports each
/// success with the paths changed, and exits when every task is done. Run again on its state file, it finds nothing to do.
/// </summary>
public sealed class AgentWorkerSampleTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "claimgraph-agentworker-" + Guid.NewGuid().ToString("N"));

    public AgentWorkerSampleTests() => Directory.CreateDirectory(_work);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void AgentWorker_FourTasks_RunsThemWithoutCollisionsAndResumesFromItsState()
    {
        string repo = Path.Combine(_work, "repo");
        string state = Path.Combine(_work, "state.json");

        // Agents work 3.5 s, longer than the 3 s lease: only the heartbeats (every second) keep their runs alive.
        (int exit, string output) = RunSample("--repo", repo, "--state", state, "--lease-ms", "3000", "--agent-delay-ms", "3500");

        Assert.True(exit == 0, output);
        string[] lines = output.Split('\n');
        Assert.Contains("decision: Admit docs#1 Admitted", output, StringComparison.Ordinal);
        Assert.Contains("decision: Admit billing#1 Admitted", output, StringComparison.Ordinal);
        Assert.Contains("decision: Hold billing-schema#1 ClaimConflict", output, StringComparison.Ordinal);
        Assert.Contains("decision: Hold release-notes#1 DependencyPending", output, StringComparison.Ordinal);
        // On a starved machine a heartbeat can come after its lease: the tick service then cancels the run and the policy
        // retries it. That is the design working, so it is allowed, but only that.
        string[] cancels = lines.Where(l => l.StartsWith("decision: Cancel", StringComparison.Ordinal)).ToArray();
        Assert.All(cancels, cancel => Assert.Contains(" LeaseExpired: ", cancel, StringComparison.Ordinal));
        if (cancels.Length == 0)
        {
            // The held runs start only once what blocked them is done.
            Assert.True(Index(lines, "agent: billing#1 exited with 0") < Index(lines, "decision: Admit billing-schema#1"), output);
            Assert.True(Index(lines, "agent: docs#1 exited with 0") < Index(lines, "decision: Admit release-notes#1"), output);
        }

        foreach (string task in (string[])["docs", "billing", "billing-schema", "release-notes"])
        {
            Assert.Contains($"heartbeat: {task}#", output, StringComparison.Ordinal);
        }

        Assert.Contains("summary: 4 of 4 tasks done", output, StringComparison.Ordinal);
        var edits = new Dictionary<string, string>
        {
            ["docs/guide.md"] = "docs",
            ["src/billing/invoice.cs"] = "billing",
            ["src/billing/schema.sql"] = "billing-schema",
            ["CHANGELOG.md"] = "release-notes",
        };
        Dictionary<string, string> files = Files(repo);
        Assert.Equal(edits.Keys.Order(), files.Keys.Order());
        foreach ((string path, string task) in edits)
        {
            // Edited by its own task's runs only (attempt 1, or a retry after a lease expiry): no two tasks collided.
            Assert.All(files[path].TrimEnd('\n').Split('\n'), line => Assert.Matches($"^edited by {task}#[0-9]+$", line));
        }

        using (var saved = InProcessClaimCoordinator.Open(snapshotPath: state))
        {
            WorkGraph graph = saved.Current.Graph;
            Assert.All(graph.WorkItems.Values, item => Assert.Equal(WorkItemStatus.Done, item.Status));
            Assert.Equal(4, graph.WorkItemCount);
            Assert.Equal(4, graph.BaseVersion);
        }

        // Again, on the saved state: every event is already applied, so no decision and no agent.
        (int again, string second) = RunSample("--repo", repo, "--state", state);
        Assert.True(again == 0, second);
        Assert.DoesNotContain("decision:", second, StringComparison.Ordinal);
        Assert.DoesNotContain("agent:", second, StringComparison.Ordinal);
        Assert.Contains("summary: 4 of 4 tasks done", second, StringComparison.Ordinal);
        Assert.Equal(files, Files(repo));
    }

    private static int Index(string[] lines, string prefix)
    {
        int index = Array.FindIndex(lines, l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no line starts with '{prefix}'");
        return index;
    }

    private static Dictionary<string, string> Files(string repo) =>
        Directory.GetFiles(repo, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(repo, f).Replace('\\', '/'), File.ReadAllText);

    /// <summary>Runs the sample's build (same configuration as this test project) with <c>dotnet</c>; fails after 60 s.</summary>
    private static (int ExitCode, string Output) RunSample(params string[] arguments)
    {
        string configuration = typeof(AgentWorkerSampleTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string sample = Path.Combine(TestPaths.RepositoryRoot(), "samples", "AgentWorker", "bin", configuration, "net10.0", "AgentWorker.dll");
        Assert.True(File.Exists(sample), $"{sample} is not built");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(sample);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the sample did not finish in 60 s:\n" + stdout.Result + stderr.Result);
        }

        return (process.ExitCode, (stdout.Result + stderr.Result).ReplaceLineEndings("\n"));
    }
}
