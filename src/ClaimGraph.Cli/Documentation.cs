namespace ClaimGraph.Cli;

/// <summary>
/// Where the documentation is, as addresses a user of the installed tool can open (the tool ships without the
/// repository's <c>docs/</c> folder). The repository is the package's <c>RepositoryUrl</c>; a test checks they agree.
/// </summary>
internal static class Documentation
{
    /// <summary>The repository's home page.</summary>
    public const string Repository = "https://github.com/claimgraph/claimgraph";

    /// <summary>The README's section on the command.</summary>
    public const string Command = Repository + "#the-claimgraph-command";

    /// <summary>The README's section on the glob dialect.</summary>
    public const string Globs = Repository + "#the-glob-dialect";

    /// <summary>The scenario format and the output of <c>decide</c>, <c>explain</c> and <c>graph</c>.</summary>
    public const string Scenario = Repository + "/blob/main/docs/scenario.md";

    /// <summary><c>lint</c> and how it reads <c>.gitignore</c> files.</summary>
    public const string Lint = Repository + "/blob/main/docs/lint.md";
}
