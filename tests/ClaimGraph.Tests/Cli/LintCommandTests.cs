using System.Text.Json;
using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Cli;

public sealed class LintCommandTests : IDisposable
{
    /// <summary>10 files: 6 under src (2 of them generated), 2 docs, a CHANGELOG, a README; plus a .git folder to skip.</summary>
    private static readonly string[] TreeFiles =
    [
        "src/app/main.cs", "src/app/util.cs", "src/lib/a.cs", "src/lib/b.cs", "src/gen/x.cs", "src/gen/y.cs",
        "docs/guide.md", "docs/api.md", "CHANGELOG.md", "README.md",
    ];

    private readonly string _root;

    public LintCommandTests()
    {
        _root = Path.Combine(Path.GetTempPath(), "claimgraph-lint-" + Guid.NewGuid().ToString("N"));
        foreach (string file in TreeFiles)
        {
            Write(Path.Combine("tree", file), "x");
        }

        Write(Path.Combine("tree", ".git", "HEAD"), "ref: refs/heads/main");
        Write(Path.Combine("tree", ".git", "objects", "ab", "cdef"), "x");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Tree => Path.Combine(_root, "tree");

    [Fact]
    public void Lint_CleanClaims_PrintsCountsPerLineAndExitsZero()
    {
        string claims = Write("claims.txt", "# the billing run\nwrite src/app/**\nread docs/**\n\nappend CHANGELOG.md\n");

        CliRun run = CliRun.Of("lint", claims, "--root", Tree);

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(string.Empty, run.Stderr);
        Assert.Equal(
            [
                "line   files  claim",
                "   2       2  write src/app/**",
                "   3       2  read docs/**",
                "   5       1  append CHANGELOG.md",
                $"{claims}: 10 files under {Tree}; no warnings",
            ],
            run.Lines);
    }

    [Fact]
    public void Lint_EntryCoveringNothing_FlagsTypo()
    {
        string claims = Write("claims.txt", "write src/app/**\nwrite scr/lib/**\n");

        CliRun run = CliRun.Of("lint", claims, "--root", Tree);

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal("   2       0  write scr/lib/**  warning: covers no file: a typo?", run.Lines[2]);
        Assert.EndsWith("; 1 warning", run.Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_BroadEntry_FlagsItAboveTheShare()
    {
        string claims = Write("claims.txt", "write src/**\nread docs/**\n");

        CliRun byDefault = CliRun.Of("lint", claims, "--root", Tree);
        CliRun narrower = CliRun.Of("lint", claims, "--root", Tree, "--broad-share", "70%");
        CliRun stricter = CliRun.Of("lint", claims, "--root", Tree, "--broad-share", "0.1");

        // src/** covers 6 of 10 files: more than 50 %, not more than 70 %.
        Assert.Equal("   1       6  write src/**  warning: covers 6 of 10 files: serialises most work", byDefault.Lines[1]);
        Assert.Equal("   1       6  write src/**", narrower.Lines[1]);
        Assert.Contains("covers 2 of 10 files", stricter.Lines[2], StringComparison.Ordinal);
        Assert.Equal(CliApp.ExitSuccess, byDefault.ExitCode);
    }

    [Fact]
    public void Lint_Exclusions_AreSubtractedFromEntriesAndCounted()
    {
        string claims = Write("claims.txt", "write src/**\n!src/gen/**\nwrite src/gen/x.cs\n!src/nothing/**\n");

        JsonElement result = JsonOf(CliRun.Of("lint", claims, "--root", Tree, "--json"));
        JsonElement[] lines = [.. result.GetProperty("lines").EnumerateArray()];

        Assert.Equal(4, lines.Length);
        Assert.Equal(4, lines[0].GetProperty("files").GetInt32());
        Assert.Equal(JsonValueKind.Null, lines[0].GetProperty("warning").ValueKind);
        Assert.Equal("exclude", lines[1].GetProperty("kind").GetString());
        Assert.Equal(2, lines[1].GetProperty("files").GetInt32());
        Assert.Equal("AllFilesExcluded", lines[2].GetProperty("warning").GetProperty("code").GetString());
        Assert.Equal("ExcludesNoFile", lines[3].GetProperty("warning").GetProperty("code").GetString());
        Assert.Equal(2, result.GetProperty("warnings").GetInt32());
    }

    [Fact]
    public void Lint_Json_DescribesTreeAndLines()
    {
        string claims = Write("claims.txt", "write scr/**\nread db:users/**\n");

        CliRun run = CliRun.Of("lint", claims, "--root", Tree, "--json");
        JsonElement result = JsonOf(run);

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Single(run.Lines);
        Assert.Equal(10, result.GetProperty("files").GetInt32());
        Assert.Equal(0.5, result.GetProperty("broadShare").GetDouble());
        Assert.False(result.GetProperty("barrier").GetBoolean());
        JsonElement typo = result.GetProperty("lines")[0];
        Assert.Equal(1, typo.GetProperty("line").GetInt32());
        Assert.Equal("write", typo.GetProperty("kind").GetString());
        Assert.Equal("scr/**", typo.GetProperty("pattern").GetString());
        Assert.Equal("CoversNoFile", typo.GetProperty("warning").GetProperty("code").GetString());
        Assert.Equal("covers no file: a typo?", typo.GetProperty("warning").GetProperty("message").GetString());

        // Another namespace than files is not checked: no count, no warning.
        JsonElement other = result.GetProperty("lines")[1];
        Assert.Equal(JsonValueKind.Null, other.GetProperty("files").ValueKind);
        Assert.Equal(JsonValueKind.Null, other.GetProperty("warning").ValueKind);
    }

    [Fact]
    public void Lint_GitFolder_IsSkipped()
    {
        string claims = Write("claims.txt", "read .git/**\nread **\n");

        JsonElement result = JsonOf(CliRun.Of("lint", claims, "--root", Tree, "--json", "--broad-share", "1"));

        Assert.Equal(10, result.GetProperty("files").GetInt32());
        Assert.Equal(0, result.GetProperty("lines")[0].GetProperty("files").GetInt32());
        Assert.Equal(10, result.GetProperty("lines")[1].GetProperty("files").GetInt32());
    }

    [Fact]
    public void Lint_FailOnWarnings_ExitsThreeOnlyWithWarnings()
    {
        string clean = Write("clean.txt", "write src/app/**\n");
        string typo = Write("typo.txt", "write scr/**\n");

        Assert.Equal(CliApp.ExitSuccess, CliRun.Of("lint", clean, "--root", Tree, "--fail-on-warnings").ExitCode);
        Assert.Equal(LintCommand.ExitWarnings, CliRun.Of("lint", typo, "--root", Tree, "--fail-on-warnings").ExitCode);
        Assert.Equal(CliApp.ExitSuccess, CliRun.Of("lint", typo, "--root", Tree).ExitCode);
    }

    [Fact]
    public void Lint_EmptyClaimSet_WarnsOfBarrier()
    {
        string claims = Write("claims.txt", "# nothing declared\n");

        CliRun run = CliRun.Of("lint", claims, "--root", Tree);

        Assert.StartsWith("warning: the file declares no claim", run.Lines[0], StringComparison.Ordinal);
        Assert.EndsWith("; 1 warning", run.Lines[^1], StringComparison.Ordinal);
        Assert.True(JsonOf(CliRun.Of("lint", claims, "--root", Tree, "--json")).GetProperty("barrier").GetBoolean());
    }

    [Fact]
    public void Lint_IgnoreCase_MatchesPatternsWithoutCase()
    {
        string claims = Write("claims.txt", "write SRC/APP/**\n");

        Assert.Equal("   1       0  write SRC/APP/**  warning: covers no file: a typo?", CliRun.Of("lint", claims, "--root", Tree).Lines[1]);
        Assert.Equal("   1       2  write SRC/APP/**", CliRun.Of("lint", claims, "--root", Tree, "--ignore-case").Lines[1]);
    }

    [Fact]
    public void Lint_StandardInput_ReadsClaims()
    {
        CliRun run = CliRun.WithInput("write docs/**\n", "lint", "-", "--root", Tree);

        Assert.Equal("   1       2  write docs/**", run.Lines[1]);
    }

    [Fact]
    public void Lint_BadPattern_ReportsFileLineColumnCodeAndHint()
    {
        string claims = Write("claims.txt", "write src/**\n  read docs/[a\n");

        CliRun run = CliRun.Of("lint", claims, "--root", Tree);

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        string[] lines = run.Stderr.ReplaceLineEndings("\n").Split('\n');

        // '[' is the 13th character of line 2.
        Assert.StartsWith($"claimgraph: {claims}:2:13: InvalidPattern (UnclosedSet): ", lines[0], StringComparison.Ordinal);
        Assert.Equal("    read docs/[a", lines[1]);
        Assert.Equal("  " + new string(' ', 12) + "^", lines[2]);
        Assert.StartsWith("  hint: ", lines[3], StringComparison.Ordinal);
        run.AssertNoStackTrace();
    }

    [Fact]
    public void Lint_BadLineJson_WritesErrorObject()
    {
        string claims = Write("claims.txt", "write src/**\nown docs/**\n");

        CliRun run = CliRun.Of("lint", claims, "--root", Tree, "--json");
        JsonElement error = JsonOf(run).GetProperty("error");

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        Assert.Equal("UnknownMode", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("patternCode").ValueKind);
        Assert.Equal(2, error.GetProperty("line").GetInt32());
        Assert.Equal(1, error.GetProperty("column").GetInt32());
        Assert.Equal(claims, error.GetProperty("file").GetString());
        Assert.Contains("'own' is not a claim mode", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_MissingFileOrRoot_IsBadInput()
    {
        string claims = Write("claims.txt", "write src/**\n");

        CliRun noFile = CliRun.Of("lint", Path.Combine(_root, "missing.txt"), "--root", Tree);
        CliRun noRoot = CliRun.Of("lint", claims, "--root", Path.Combine(_root, "missing"));
        CliRun badShare = CliRun.Of("lint", claims, "--root", Tree, "--broad-share", "0");

        Assert.Equal(CliApp.ExitBadInput, noFile.ExitCode);
        Assert.Contains("cannot read the claims file", noFile.Stderr, StringComparison.Ordinal);
        Assert.Equal(CliApp.ExitBadInput, noRoot.ExitCode);
        Assert.Contains("is not a directory", noRoot.Stderr, StringComparison.Ordinal);
        badShare.AssertUsageError();
        Assert.Contains("--broad-share", badShare.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_NoRootOption_ChecksTheCurrentDirectory()
    {
        string claims = Write("claims.txt", "write src/**\n");

        CliRun run = CliRun.Of("lint", claims, "--json");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(".", JsonOf(run).GetProperty("root").GetString());
        Assert.Equal(RepositoryTree.Walk(".", honourGitignore: true).Files.Count, JsonOf(run).GetProperty("files").GetInt32());
    }

    [Fact]
    public void Lint_PartOfTheTreeUnreadable_BadInputWithOneLine()
    {
        // A socket cannot be opened as a file, not even by root, for whom no permission bit makes a directory unreadable
        // (tests run as root in CI): the walk fails on it as it fails on a directory it may not read.
        Directory.CreateDirectory(Path.Combine(Tree, "sock"));
        using var socket = new System.Net.Sockets.Socket(
            System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(Tree, "sock", ".gitignore")));
        string claims = Write("claims.txt", "write src/**\n");

        CliRun run = CliRun.Of("lint", claims, "--root", Tree);

        run.AssertUsageError();
        Assert.StartsWith($"claimgraph: cannot read the tree under '{Tree}': ", Assert.Single(run.Stderr.TrimEnd().Split('\n')), StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_TenMegabyteBadLine_MessageStaysShort()
    {
        string claims = Write("claims.txt", "write src/**\nwrite " + new string('a', 10_000_000) + "[\n");

        CliRun run = CliRun.Of("lint", claims, "--root", Tree);

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        Assert.StartsWith($"claimgraph: {claims}:2:4103: InvalidPattern (PatternTooLong): ", run.Stderr, StringComparison.Ordinal);
        Assert.InRange(run.Stderr.Length, 1, 2000);
    }

    [Fact]
    public void Lint_NotUtf8_RefusedFromAFileAndFromStandardInputAlike()
    {
        byte[] bytes = [.. "write src/**\nwrite docs/"u8, 0xFF, .. "\n"u8];
        string claims = Path.Combine(_root, "claims.txt");
        File.WriteAllBytes(claims, bytes);
        using var output = new StringWriter();
        using var error = new StringWriter();

        CliRun fromFile = CliRun.Of("lint", claims, "--root", Tree);
        int code = CliApp.RunWithStdinBytes(["lint", "-", "--root", Tree], new MemoryStream(bytes), output, error);

        fromFile.AssertUsageError();
        Assert.Equal($"claimgraph: {claims}: not valid UTF-8: line 2, column 12 (byte 0xFF)", fromFile.Stderr.TrimEnd());
        Assert.Equal(CliApp.ExitBadInput, code);
        Assert.Equal("claimgraph: -: not valid UTF-8: line 2, column 12 (byte 0xFF)", error.ToString().TrimEnd());
        Assert.Equal(string.Empty, output.ToString());
    }

    [Fact]
    public void Lint_ControlCharacterInAClaim_EscapedInTheTable()
    {
        string claims = Write("claims.txt", "write src/\u0085x\n");

        CliRun run = CliRun.Of("lint", claims, "--root", Tree);

        Assert.Equal("   1       0  write src/\\u0085x  warning: covers no file: a typo?", run.Lines[1]);
    }

    private static JsonElement JsonOf(CliRun run) => Assert.Single(run.JsonLines);

    private string Write(string relative, string content)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }
}
