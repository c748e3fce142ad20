using System.Reflection;
using ClaimGraph.Cli;
using static ClaimGraph.Tests.Packaging.PackagingProcess;

namespace ClaimGraph.Tests.Packaging;

/// <summary>
/// The <c>claimgraph</c> tool as a user gets it: packed, installed with <c>dotnet tool install</c> from the package
/// folder, and run as a process. The package is made with <c>dotnet pack --no-build</c> from the CLI build this test
/// project was built against (same configuration): no compiling, no restore (so it works offline), and nothing written
/// outside the CLI project's own bin and obj folders and a temporary folder. The install reads only that folder
/// (<c>--source</c>), so no package source is contacted.
/// </summary>
[Collection(PackagingProcess.Collection)]
public sealed class ToolInstallTests : IDisposable
{
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
}
