using ClaimGraph.Cli;
using ClaimGraph.Globs;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Cli;

/// <summary>
/// The walk behind <c>lint</c>, with and without <c>.gitignore</c>. The expected file lists are what
/// <c>git ls-files --others --exclude-standard</c> (git 2.39; for ignore-case with <c>core.ignorecase</c>) listed for
/// the same trees, except where lines ClaimGraph cannot translate are not applied (git knows <c>[[:alpha:]]</c>).
/// </summary>
public sealed class RepositoryTreeTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Walk_Gitignore_LeavesOutIgnoredFilesAndDirectories()
    {
        _tree.Write(".gitignore", "bin/\n*.log\n");
        _tree.Files("src/a.cs", "bin/out.dll", "bin/sub/x", "app.log", "src/deep/trace.log");

        RepositoryTree walked = RepositoryTree.Walk(_tree.Root, honourGitignore: true);

        Assert.Equal([".gitignore", "src/a.cs"], walked.Files);
        Assert.Equal(2, walked.IgnoredFiles);
        Assert.Equal(1, walked.IgnoredDirectories);
        Assert.Empty(walked.IgnoreWarnings);
    }

    [Fact]
    public void Walk_GitignoreNotHonoured_ListsEveryFile()
    {
        _tree.Write(".gitignore", "bin/\n*.log\n");
        _tree.Files("src/a.cs", "bin/out.dll", "app.log", ".git/HEAD");

        RepositoryTree walked = RepositoryTree.Walk(_tree.Root, honourGitignore: false);

        Assert.Equal([".gitignore", "app.log", "bin/out.dll", "src/a.cs"], walked.Files);
        Assert.Equal(0, walked.IgnoredFiles + walked.IgnoredDirectories);
    }

    [Fact]
    public void Walk_NestedGitignore_AppliesBelowItsFolderOnly()
    {
        // '/gen' is anchored at sub/, '*.tmp' matches at any depth below sub/.
        _tree.Write("sub/.gitignore", "*.tmp\n/gen\n");
        _tree.Files("a.tmp", "gen/x", "sub/b.tmp", "sub/deep/c.tmp", "sub/gen/y", "sub/deep/gen/z", "sub/keep.cs");

        RepositoryTree walked = RepositoryTree.Walk(_tree.Root, honourGitignore: true);

        Assert.Equal(["a.tmp", "gen/x", "sub/.gitignore", "sub/deep/gen/z", "sub/keep.cs"], walked.Files);
        Assert.Equal(2, walked.IgnoredFiles);
        Assert.Equal(1, walked.IgnoredDirectories);
    }

    [Fact]
    public void Walk_Negation_ReIncludesUnlessAParentDirectoryIsIgnored()
    {
        // git cannot re-include a file whose directory is ignored (build/), but can when the files are ignored one by
        // one (/out/*).
        _tree.Write(".gitignore", "*.log\n!keep.log\nbuild/\n!build/keep.txt\n/out/*\n!/out/keep.txt\n");
        _tree.Files("a.log", "keep.log", "sub/keep.log", "sub/b.log", "build/keep.txt", "build/b.o", "out/keep.txt", "out/other.txt");

        RepositoryTree walked = RepositoryTree.Walk(_tree.Root, honourGitignore: true);

        Assert.Equal([".gitignore", "keep.log", "out/keep.txt", "sub/keep.log"], walked.Files);
    }

    [Fact]
    public void Walk_DeeperNegation_OverridesAShallowerLine()
    {
        _tree.Write(".gitignore", "*.md\n");
        _tree.Write("docs/.gitignore", "!*.md\n");
        _tree.Files("README.md", "docs/a.md", "docs/sub/b.md", "src/c.md");

        RepositoryTree walked = RepositoryTree.Walk(_tree.Root, honourGitignore: true);

        Assert.Equal([".gitignore", "docs/.gitignore", "docs/a.md", "docs/sub/b.md"], walked.Files);
    }

    [Fact]
    public void Walk_DirectoryOnlyLine_LeavesFilesOfThatName()
    {
        _tree.Write(".gitignore", "cache/\n");
        _tree.Files("cache", "lib/cache/x", "lib/cachet/y");

        RepositoryTree walked = RepositoryTree.Walk(_tree.Root, honourGitignore: true);

        Assert.Equal([".gitignore", "cache", "lib/cachet/y"], walked.Files);
        Assert.Equal(1, walked.IgnoredDirectories);
    }

    [Fact]
    public void Walk_DirectoryOnlyLineThenNegatedDirectory_MatchesTheDirectoryItself()
    {
        // The directory build is ignored by 'build/' and re-included by '!/build'; nothing matches what is inside it.
        _tree.Write(".gitignore", "build/\n!/build\n");
        _tree.Files("build/sub/f", "lib/build/g");

        RepositoryTree walked = RepositoryTree.Walk(_tree.Root, honourGitignore: true);

        Assert.Equal([".gitignore", "build/sub/f"], walked.Files);
    }

    [Fact]
    public void Walk_GitignoreIgnoringItself_StillApplies()
    {
        _tree.Write(".gitignore", ".gitignore\n*.o\n");
        _tree.Files("a.o", "a.c");

        RepositoryTree walked = RepositoryTree.Walk(_tree.Root, honourGitignore: true);

        Assert.Equal(["a.c"], walked.Files);
    }

    [Fact]
    public void Walk_IgnoredDirectory_ItsGitignoreIsNotRead()
    {
        _tree.Write(".gitignore", "vendor/\n");
        _tree.Write("vendor/.gitignore", "[[:alpha:]]\n!*\n");
        _tree.Files("vendor/lib/a.c", "main.c");

        RepositoryTree walked = RepositoryTree.Walk(_tree.Root, honourGitignore: true);

        Assert.Equal([".gitignore", "main.c"], walked.Files);
        Assert.Empty(walked.IgnoreWarnings);
    }

    [Fact]
    public void Walk_UnsupportedLines_AreReportedAndNotApplied()
    {
        // git would leave out x.bak and sub/1; the walk keeps them and says which lines it did not apply.
        _tree.Write(".gitignore", "[[:alpha:]]*.bak\nok.txt\ntrail\\\n");
        _tree.Write("sub/.gitignore", "# comment\n\n[[:digit:]]\n");
        _tree.Files("x.bak", "ok.txt", "sub/1");

        RepositoryTree walked = RepositoryTree.Walk(_tree.Root, honourGitignore: true);

        Assert.Equal([".gitignore", "sub/.gitignore", "sub/1", "x.bak"], walked.Files);
        Assert.Equal(
            [
                (".gitignore", 1, "[[:alpha:]]*.bak", GitignoreUnsupportedReason.CharacterClass),
                (".gitignore", 3, "trail\\", GitignoreUnsupportedReason.TrailingBackslash),
                ("sub/.gitignore", 3, "[[:digit:]]", GitignoreUnsupportedReason.CharacterClass),
            ],
            walked.IgnoreWarnings.Select(w => (w.File, w.Line, w.Text, w.Reason)).ToArray());
        Assert.All(walked.IgnoreWarnings, w => Assert.False(string.IsNullOrEmpty(w.Message)));
    }

    [Fact]
    public void Walk_IgnoreCase_AppliesToGitignoreLines()
    {
        _tree.Write(".gitignore", "*.LOG\n");
        _tree.Files("a.log");

        Assert.Contains("a.log", RepositoryTree.Walk(_tree.Root, honourGitignore: true).Files);
        Assert.DoesNotContain("a.log", RepositoryTree.Walk(_tree.Root, honourGitignore: true, GlobOptions.IgnoreCase).Files);
    }

    [Fact]
    public void Walk_GitFolder_IsSkippedEitherWay()
    {
        _tree.Write(".gitignore", "!.git\n");
        _tree.Files(".git/HEAD", "sub/.git", "a");

        Assert.Equal([".gitignore", "a"], RepositoryTree.Walk(_tree.Root, honourGitignore: true).Files);
        Assert.Equal([".gitignore", "a"], RepositoryTree.Walk(_tree.Root, honourGitignore: false).Files);
    }

    [Fact]
    public void Walk_SymbolicLinkGitignore_IsNotFollowed()
    {
        _tree.Write("rules", "*.o\n");
        _tree.Files("a.o");
        File.CreateSymbolicLink(Path.Combine(_tree.Root, ".gitignore"), Path.Combine(_tree.Root, "rules"));

        RepositoryTree walked = RepositoryTree.Walk(_tree.Root, honourGitignore: true);

        Assert.Equal([".gitignore", "a.o", "rules"], walked.Files);
    }
}
