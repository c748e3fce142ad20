using System.Text.Json;
using ClaimGraph.Cli;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Cli;

/// <summary><c>claimgraph lint</c> and the tree's <c>.gitignore</c> files (the walk itself: <see cref="RepositoryTreeTests"/>).</summary>
public sealed class LintCommandGitignoreTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly string _claims;

    public LintCommandGitignoreTests()
    {
        // 4 files kept (.gitignore, src/a.cs, src/b.cs, obj/x); bin/ (2 files) and app.log ignored.
        _tree.Write(".gitignore", "bin/\n*.log\n");
        _tree.Files("src/a.cs", "src/b.cs", "obj/x", "bin/out.dll", "bin/out.pdb", "app.log", ".git/HEAD");
        _claims = Path.Combine(Path.GetTempPath(), Path.GetFileName(_tree.Root) + ".claims");
        File.WriteAllText(_claims, "write src/**\nread bin/**\nread **/*.log\n");
    }

    public void Dispose()
    {
        File.Delete(_claims);
        _tree.Dispose();
    }

    [Fact]
    public void Lint_IgnoredFiles_AreNeitherCoveredNorCounted()
    {
        CliRun run = CliRun.Of("lint", _claims, "--root", _tree.Root);

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(string.Empty, run.Stderr);
        Assert.Equal(
            [
                "line   files  claim",
                "   1       2  write src/**",
                "   2       0  read bin/**    warning: covers no file: a typo?",
                "   3       0  read **/*.log  warning: covers no file: a typo?",
                $"{_claims}: 4 files under {_tree.Root} (1 file and 1 directory ignored by .gitignore); 2 warnings",
            ],
            run.Lines);
    }

    [Fact]
    public void Lint_NoIgnore_ChecksEveryFileButDotGit()
    {
        CliRun run = CliRun.Of("lint", _claims, "--root", _tree.Root, "--no-ignore");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(
            [
                "line   files  claim",
                "   1       2  write src/**",
                "   2       2  read bin/**",
                "   3       1  read **/*.log",
                $"{_claims}: 7 files under {_tree.Root}; no warnings",
            ],
            run.Lines);
    }

    [Fact]
    public void Lint_NestedGitignoreAndNegation_DecideWhatIsCounted()
    {
        _tree.Write("src/.gitignore", "*.cs\n!b.cs\n");
        File.WriteAllText(_claims, "write src/a.cs\nwrite src/b.cs\n");

        JsonElement[] lines = [.. Json(CliRun.Of("lint", _claims, "--root", _tree.Root, "--json")).GetProperty("lines").EnumerateArray()];

        Assert.Equal([0, 1], lines.Select(l => l.GetProperty("files").GetInt32()));
        Assert.Equal("CoversNoFile", lines[0].GetProperty("warning").GetProperty("code").GetString());
    }

    [Fact]
    public void Lint_Json_SaysWhetherGitignoreWasReadAndWhatItLeftOut()
    {
        JsonElement honoured = Json(CliRun.Of("lint", _claims, "--root", _tree.Root, "--json"));
        JsonElement everything = Json(CliRun.Of("lint", _claims, "--root", _tree.Root, "--json", "--no-ignore"));

        Assert.True(honoured.GetProperty("gitignore").GetBoolean());
        Assert.Equal(4, honoured.GetProperty("files").GetInt32());
        Assert.Equal(1, honoured.GetProperty("ignoredFiles").GetInt32());
        Assert.Equal(1, honoured.GetProperty("ignoredDirectories").GetInt32());
        Assert.Equal(0, honoured.GetProperty("gitignoreWarnings").GetArrayLength());
        Assert.False(everything.GetProperty("gitignore").GetBoolean());
        Assert.Equal(7, everything.GetProperty("files").GetInt32());
        Assert.Equal(0, everything.GetProperty("ignoredFiles").GetInt32() + everything.GetProperty("ignoredDirectories").GetInt32());
    }

    [Fact]
    public void Lint_UnsupportedGitignoreLine_WarnsOnStderrAndCounts()
    {
        _tree.Write("obj/.gitignore", "# POSIX classes are git's, not ClaimGraph's\n[[:alpha:]]\n");
        File.WriteAllText(_claims, "write src/**\n");

        CliRun text = CliRun.Of("lint", _claims, "--root", _tree.Root);
        CliRun strict = CliRun.Of("lint", _claims, "--root", _tree.Root, "--fail-on-warnings");
        CliRun json = CliRun.Of("lint", _claims, "--root", _tree.Root, "--json");
        CliRun noIgnore = CliRun.Of("lint", _claims, "--root", _tree.Root, "--no-ignore", "--fail-on-warnings");

        Assert.Equal(CliApp.ExitSuccess, text.ExitCode);
        Assert.StartsWith(
            "claimgraph: warning: obj/.gitignore:2: the line '[[:alpha:]]' is not applied: ",
            Assert.Single(text.Stderr.TrimEnd().Split('\n')),
            StringComparison.Ordinal);
        Assert.EndsWith("(CharacterClass)", text.Stderr.TrimEnd(), StringComparison.Ordinal);
        Assert.EndsWith("; 1 warning", text.Lines[^1], StringComparison.Ordinal);
        Assert.Equal(LintCommand.ExitWarnings, strict.ExitCode);

        JsonElement warning = Assert.Single(Json(json).GetProperty("gitignoreWarnings").EnumerateArray());
        Assert.Equal("obj/.gitignore", warning.GetProperty("file").GetString());
        Assert.Equal(2, warning.GetProperty("line").GetInt32());
        Assert.Equal("[[:alpha:]]", warning.GetProperty("text").GetString());
        Assert.Equal("CharacterClass", warning.GetProperty("reason").GetString());
        Assert.Equal(1, Json(json).GetProperty("warnings").GetInt32());

        Assert.Equal(CliApp.ExitSuccess, noIgnore.ExitCode);
        Assert.Equal(string.Empty, noIgnore.Stderr);
    }

    [Fact]
    public void Lint_BadClaimLine_ReportsOnlyTheClaimError()
    {
        _tree.Write(".gitignore", "[[:alpha:]]\n");
        File.WriteAllText(_claims, "write src/[\n");

        CliRun run = CliRun.Of("lint", _claims, "--root", _tree.Root);

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        Assert.DoesNotContain(".gitignore", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_DescribesGitignoreAndNoIgnore()
    {
        CliRun run = CliRun.Of("lint", "--help");

        // Help wraps long descriptions: compare with the whitespace collapsed.
        string help = System.Text.RegularExpressions.Regex.Replace(run.Stdout, @"\s+", " ");
        Assert.Contains("--no-ignore", help, StringComparison.Ordinal);
        Assert.Contains("files ignored by the .gitignore files in it are left out", help, StringComparison.Ordinal);
    }

    private static JsonElement Json(CliRun run) => Assert.Single(run.JsonLines);
}
