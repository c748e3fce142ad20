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

    [Fact]
    public void Readme_ArgumentsExample_IsWhatTheToolPrints()
    {
        string readme = File.ReadAllText(Path.Combine(ReadmeTests.RepoRoot(), "README.md")).ReplaceLineEndings("\n");
        int section = readme.IndexOf("**Arguments.**", StringComparison.Ordinal);
        int start = readme.IndexOf("```console\n", section, StringComparison.Ordinal) + "```console\n".Length;
        string block = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];

        string[] commands = [.. block.Split('\n').Where(l => l.StartsWith("$ claimgraph ", StringComparison.Ordinal))];
        Assert.Equal(2, commands.Length);
        var printed = new System.Text.StringBuilder();
        foreach (string command in commands)
        {
            CliRun run = CliRun.Of(Words(command["$ claimgraph ".Length..]));
            run.AssertUsageError();
            printed.Append(command).Append('\n').Append(run.Stderr);
        }

        Assert.Equal(block, printed.ToString());
    }

    /// <summary>The words of a shell line whose only quoting is single quotes.</summary>
    private static string[] Words(string line) =>
        [.. Regex.Matches(line, "'([^']*)'|(\\S+)").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)];
}
