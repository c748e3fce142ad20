using System.Text.RegularExpressions;
using System.Xml.Linq;
using ClaimGraph.Cli;
using ClaimGraph.Tests.Docs;

namespace ClaimGraph.Tests.Cli;

/// <summary>Help texts point where a user of the installed tool can read on: addresses, not paths in a clone.</summary>
public class DocumentationTests
{
    public static TheoryData<string[]> HelpCommands => new()
    {
        new[] { "--help" },
        new[] { "overlap", "--help" },
        new[] { "match", "--help" },
        new[] { "lint", "--help" },
        new[] { "simulate", "--help" },
        new[] { "decide", "--help" },
        new[] { "explain", "--help" },
        new[] { "graph", "--help" },
    };

    [Fact]
    public void Repository_IsThePackagesRepositoryUrl()
    {
        XDocument props = XDocument.Load(Path.Combine(ReadmeTests.RepoRoot(), "Directory.Build.props"));

        Assert.Equal(Documentation.Repository, props.Descendants("RepositoryUrl").Single().Value);
    }

    [Theory]
    [MemberData(nameof(HelpCommands))]
    public void Help_NamesNoPathOfTheRepository(string[] args)
    {
        CliRun run = CliRun.Of(args);

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        string help = Regex.Replace(run.Stdout, @"\s+", " ");
        Assert.DoesNotMatch(@"(?<!blob/main/)\b(docs|src|examples|schemas)/[\w./-]*\.(md|json)", help.Replace(Documentation.Repository, string.Empty, StringComparison.Ordinal).Replace("/blob/main/", "blob/main/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("lint", Documentation.Lint)]
    [InlineData("decide", Documentation.Scenario)]
    [InlineData("overlap", Documentation.Globs)]
    public void Help_PointsToItsDocumentation(string command, string address)
    {
        CliRun run = CliRun.Of(command, "--help");

        Assert.Contains(address, run.Stdout, StringComparison.Ordinal);
    }
}
