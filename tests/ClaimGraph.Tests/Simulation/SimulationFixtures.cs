using System.Collections.Immutable;
using System.Diagnostics;
using ClaimGraph.Simulation;

namespace ClaimGraph.Tests.Simulation;

/// <summary>Small hand-made tasks and histories, and a throwaway git repository.</summary>
internal static class SimulationFixtures
{
    public const long Minute = 60_000;

    /// <summary>Minutes in an hour: <c>10 / Hour</c> is ten minutes in hours, as results report them.</summary>
    public const double Hour = 60.0;

    /// <summary>A task arriving at <paramref name="arrivalMinutes"/> that takes <paramref name="minutes"/> and changes <paramref name="files"/>.</summary>
    public static SimulationTask Task(string id, long arrivalMinutes, long minutes, ClaimGranularity granularity, params string[] files) =>
        new(id, "sha-" + id, arrivalMinutes * Minute, minutes * Minute, [.. files.Order(StringComparer.Ordinal)], SimulationTask.ClaimLines(files, granularity));

    public static SimulationTask Task(string id, long arrivalMinutes, long minutes, params string[] files) =>
        Task(id, arrivalMinutes, minutes, ClaimGranularity.File, files);

    public static HistoryCommit Commit(string sha, long time, params string[] files) => new(sha, time, time, [.. files]);

    /// <summary>A history from commits given oldest first (stored newest first, like git log).</summary>
    public static CommitHistory OldestFirst(params HistoryCommit[] commits) => new("test", [.. commits.Reverse()]);

    /// <summary>Runs git in <paramref name="directory"/> with fixed identity and dates; fails the test on a non-zero exit.</summary>
    public static void Git(string directory, long unixTime, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["-c", "user.name=Sim Test", "-c", "user.email=sim@example.invalid", "-c", "commit.gpgsign=false", .. arguments])
        {
            start.ArgumentList.Add(a);
        }

        string date = "@" + unixTime.ToString(System.Globalization.CultureInfo.InvariantCulture) + " +0000";
        start.Environment["GIT_AUTHOR_DATE"] = date;
        start.Environment["GIT_COMMITTER_DATE"] = date;
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {error.Result}");
    }

    /// <summary>A fresh empty directory under the temp folder; the caller deletes it.</summary>
    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "claimgraph-sim-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static ImmutableArray<SimulationTask> Tasks(params SimulationTask[] tasks) => [.. tasks];
}
