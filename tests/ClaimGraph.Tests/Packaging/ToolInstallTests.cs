using System.Diagnostics;
using System.Reflection;
using System.Text;
using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Packaging;

/// <summary>
/// The <c>claimgraph</c> tool as a user gets it: packed, installed with <c>dotnet tool install</c> from the package
/// folder, and run as a process. The package is made with <c>dotnet pack --no-build</c> from the CLI build this test
/// project was built against (same configuration): no compiling, no restore (so it works offline), and nothing written
/// outside the CLI project's own bin and obj folders and a temporary folder. The install reads only that folder
/// (<c>--source</c>), so no package source is contacted.
/// </summary>
public sealed class ToolInstallTests : IDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(150);

    private readonly string _work = Path.Combine(Path.GetTempPath(), "claimgraph-tool-" + Guid.NewGuid().ToString("N"));

    public ToolInstallTests() => Directory.CreateDirectory(_work);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void PackAndInstall_ClaimgraphOverlap_PrintsWitness()
    {
        string root = RepositoryRoot();
        string feed = Path.Combine(_work, "feed");
        string tools = Path.Combine(_work, "tools");
        string configuration = typeof(CliApp).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

        Result pack = Run(Dotnet, root, "pack", Path.Combine(root, "src", "ClaimGraph.Cli", "ClaimGraph.Cli.csproj"), "-c", configuration, "--no-build", "-o", feed, "-nodeReuse:false");
        Assert.True(pack.ExitCode == 0, $"dotnet pack failed:\n{pack.Output}");

        // The package id is the csproj's PackageId; its version (from Directory.Build.props) is the one the CLI reports.
        string package = Path.GetFileName(Assert.Single(Directory.GetFiles(feed, "ClaimGraph.Cli.*.nupkg")));
        string version = package["ClaimGraph.Cli.".Length..^".nupkg".Length];
        Assert.Equal(CliApp.Version, version);

        Result install = Run(Dotnet, _work, "tool", "install", "ClaimGraph.Cli", "--tool-path", tools, "--source", feed, "--version", version);
        Assert.True(install.ExitCode == 0, $"dotnet tool install failed:\n{install.Output}");

        string claimgraph = Path.Combine(tools, OperatingSystem.IsWindows() ? "claimgraph.exe" : "claimgraph");
        Result overlap = Run(claimgraph, _work, "overlap", "src/**", "src/a.md");
        Result disjoint = Run(claimgraph, _work, "overlap", "docs/**", "*.md");
        Result bad = Run(claimgraph, _work, "overlap", "src/[a", "src/a.md");
        Result versionRun = Run(claimgraph, _work, "--version");

        Assert.Equal(0, overlap.ExitCode);
        Assert.Equal("overlaps: yes\nwitness: src/a.md\n", overlap.Stdout);
        Assert.Equal(string.Empty, overlap.Stderr);
        Assert.Equal((0, "overlaps: no\n"), (disjoint.ExitCode, disjoint.Stdout));
        Assert.Equal(CliApp.ExitBadInput, bad.ExitCode);
        Assert.Contains("UnclosedSet", bad.Stderr, StringComparison.Ordinal);
        Assert.Equal(version + "\n", versionRun.Stdout);
    }

    /// <summary>The folder holding <c>ClaimGraph.sln</c>, found by walking up from the test assembly.</summary>
    private static string RepositoryRoot()
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
    private static string Dotnet
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

    private sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
    }

    /// <summary>
    /// Runs a program to completion (or fails the test after <see cref="StepTimeout"/>, killing it). Build servers
    /// are kept out (they would outlive the step); MSBuild variables of the test host are not passed on; the installed
    /// tool finds the runtime of the dotnet host through <c>DOTNET_ROOT</c>.
    /// </summary>
    private static Result Run(string program, string directory, params string[] arguments)
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
