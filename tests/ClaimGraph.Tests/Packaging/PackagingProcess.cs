using System.Diagnostics;
using System.Text;

namespace ClaimGraph.Tests.Packaging;

/// <summary>
/// Runs <c>dotnet</c> and installed tools as processes for the packaging tests. Tests that pack share the collection
/// <see cref="Collection"/>: two packs of one project at once would write the same files under its obj folder.
/// </summary>
internal static class PackagingProcess
{
    /// <summary>The xunit collection of every test that packs (they run one at a time).</summary>
    public const string Collection = "packing";

    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(150);

    /// <summary>The folder holding <c>ClaimGraph.sln</c>, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "ClaimGraph.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException($"No ClaimGraph.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// The dotnet host running these tests (the SDK sets <c>DOTNET_HOST_PATH</c> for the processes it starts), or the
    /// one on the PATH.
    /// </summary>
    public static string Dotnet
    {
        get
        {
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (host is not null && File.Exists(host))
            {
                return host;
            }

            string? current = Environment.ProcessPath;
            if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
            {
                return current;
            }

            string name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
            foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                string candidate = Path.Combine(directory, name);
                if (directory.Length > 0 && File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return name;
        }
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
    }

    /// <summary>
    /// Runs a program to completion (or fails the test after <see cref="StepTimeout"/>, killing it). Build servers
    /// are kept out (they would outlive the step); MSBuild variables of the test host are not passed on; the installed
    /// tool finds the runtime of the dotnet host through <c>DOTNET_ROOT</c>.
    /// </summary>
    public static Result Run(string program, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        string dotnet = new FileInfo(Dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(Dotnet);
        start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(dotnet);

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(StepTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(program)} {string.Join(' ', arguments)} did not finish in {StepTimeout.TotalSeconds} s:\n{stdout}{stderr}");
        }

        // The process has exited; wait (briefly) for the last lines, unless a child it left behind holds the pipes.
        Task drained = Task.Run(process.WaitForExit);
        drained.Wait(TimeSpan.FromSeconds(10));
        lock (stdout)
        {
            lock (stderr)
            {
                return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
            }
        }
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is not null)
        {
            lock (text)
            {
                text.Append(line).Append('\n');
            }
        }
    }
}
