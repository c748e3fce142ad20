using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Cli;

/// <summary>Mistyped options and commands, and values that do not parse: usage errors (exit 2, one line), never an answer.</summary>
public class UsageCheckTests
{
    [Fact]
    public void Run_MistypedOption_IsAUsageErrorNotAPattern()
    {
        CliRun run = CliRun.Of("overlap", "--jsn", "a/**");

        run.AssertUsageError();
        Assert.Equal(
            [
                "claimgraph: unknown option '--jsn' for 'claimgraph overlap'; did you mean '--json'?",
                "Run 'claimgraph overlap --help' for usage.",
            ],
            StderrLines(run));
    }

    [Theory]
    [InlineData("--ignore", "--ignore-case", "overlap", "a", "b", "{option}")]
    [InlineData("--ignorecase", "--ignore-case", "match", "--batch", "-", "{option}")]
    [InlineData("-json", "--json", "match", "a", "b", "{option}")]
    [InlineData("--rot", "--root", "lint", "claims.txt", "{option}", ".")]
    [InlineData("--fail-on-warning", "--fail-on-warnings", "lint", "claims.txt", "{option}")]
    [InlineData("--jsno", "--json", "decide", "s.json", "{option}")]
    [InlineData("--rn", "--run", "explain", "s.json", "{option}", "r")]
    [InlineData("--fromat", "--format", "graph", "s.json", "{option}", "dot")]
    [InlineData("--seeed", "--seed", "simulate", "{option}", "3")]
    [InlineData("--agent", "--agents", "simulate", "{option}", "1,2")]
    public void Run_MistypedOptionOfAnyCommand_SuggestsTheOption(string option, string suggestion, params string[] args)
    {
        CliRun run = CliRun.Of(args.Select(a => a == "{option}" ? option : a).ToArray());

        run.AssertUsageError();
        Assert.Equal(
            [
                $"claimgraph: unknown option '{option}' for 'claimgraph {args[0]}'; did you mean '{suggestion}'?",
                $"Run 'claimgraph {args[0]} --help' for usage.",
            ],
            StderrLines(run));
    }

    [Fact]
    public void Run_PatternStartingWithDash_NeedsTheSeparator()
    {
        CliRun run = CliRun.Of("overlap", "-x/*", "-x/a");

        run.AssertUsageError();
        Assert.Equal(
            "claimgraph: unknown option '-x/*' for 'claimgraph overlap'; an argument that starts with '-' goes after '--', as in 'claimgraph overlap -- -x/*'",
            StderrLines(run)[0]);
    }

    [Fact]
    public void Run_OptionValueStartingWithDash_IsWrittenWithEquals()
    {
        CliRun spaced = ScenarioFixture.RunOn(ScenarioFixture.Conflict, "explain", "{file}", "--run", "-a");
        CliRun attached = ScenarioFixture.RunOn(ScenarioFixture.Conflict, "explain", "{file}", "--run=-a");

        spaced.AssertUsageError();
        Assert.EndsWith("a value that starts with '-' is written --run=-a", StderrLines(spaced)[0], StringComparison.Ordinal);
        attached.AssertUsageError();
        Assert.Contains("--run: no run '-a' after replaying the scenario", attached.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("simulat", "did you mean 'simulate'?")]
    [InlineData("overlaps", "did you mean 'overlap'?")]
    [InlineData("explian", "did you mean 'explain'?")]
    [InlineData("frobnicate", "the commands are overlap, match, lint, simulate, decide, explain, graph")]
    public void Run_UnknownCommand_NamesItAndSuggests(string command, string advice)
    {
        CliRun run = CliRun.Of(command, "--json");

        run.AssertUsageError();
        Assert.Equal([$"claimgraph: unknown command '{command}'; {advice}", "Run 'claimgraph --help' for usage."], StderrLines(run));
    }

    [Theory]
    [InlineData("--commits", "abc", "--commits: 'abc' is not a whole number.")]
    [InlineData("--commits", "99999999999", "--commits: '99999999999' is out of range: the value is from 0 to 2147483647.")]
    [InlineData("--lookahead", "99999999999", "--lookahead: '99999999999' is out of range: the value is from 1 to 1000000, or 'all'.")]
    [InlineData("--lookahead", "-5", "--lookahead: '-5' is out of range: the value is from 1 to 1000000, or 'all'.")]
    [InlineData("--seed", "-1", "--seed: '-1' is out of range: the value is from 0 to 18446744073709551615.")]
    [InlineData("--seed", "1e3", "--seed: '1e3' is not a whole number.")]
    public void Run_NumberOptionBadValue_OneLineUsageError(string option, string value, string message)
    {
        CliRun run = CliRun.Of("simulate", option, value);

        run.AssertUsageError();
        Assert.Equal([$"claimgraph: {message}", "Run 'claimgraph simulate --help' for usage."], StderrLines(run));
    }

    [Fact]
    public void Run_SwitchGivenAValue_SaysItIsASwitch()
    {
        CliRun run = CliRun.Of("overlap", "--json=maybe", "a", "b");

        run.AssertUsageError();
        Assert.Equal("claimgraph: --json is a switch: it takes no value (or true or false), not 'maybe'", StderrLines(run)[0]);
    }

    [Fact]
    public void Run_UnknownFormat_OurWordsOnOneLine()
    {
        CliRun run = ScenarioFixture.RunOn(ScenarioFixture.Conflict, "graph", "{file}", "--format", "svg");

        run.AssertUsageError();
        Assert.Equal(["claimgraph: --format is mermaid or dot, not 'svg'.", "Run 'claimgraph graph --help' for usage."], StderrLines(run));
    }

    [Fact]
    public void Run_HugeUnknownOption_EchoIsCapped()
    {
        string option = "--" + new string('x', 1_000_000);

        CliRun run = CliRun.Of("overlap", option, "a");

        run.AssertUsageError();
        Assert.InRange(run.Stderr.Length, 1, 1000);
        Assert.Contains("characters left out", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("overlap", "-i", "--json", "a", "A")]
    [InlineData("overlap", "--ignore-case=true", "a", "A")]
    [InlineData("match", "--batch", "-")]
    [InlineData("overlap", "--", "-x/*", "-x/a")]
    public void Run_KnownOptionsDashAndSeparator_StillWork(params string[] args)
    {
        CliRun run = CliRun.Of(args);

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(string.Empty, run.Stderr);
    }

    [Theory]
    [InlineData("--jsn", new[] { "--json", "--batch" }, "--json")]
    [InlineData("--bach", new[] { "--json", "--batch" }, "--batch")]
    [InlineData("--broad", new[] { "--broad-share", "--root" }, "--broad-share")]
    [InlineData("--x", new[] { "--json", "--batch" }, null)]
    [InlineData("lnt", new[] { "lint", "match" }, "lint")]
    [InlineData("decid", new[] { "decide", "explain" }, "decide")]
    [InlineData("zzzzzz", new[] { "decide", "explain" }, null)]
    public void Suggest_NearestKnownNameOrNone(string given, string[] known, string? expected) =>
        Assert.Equal(expected, UsageCheck.Suggest(given, known));

    private static string[] StderrLines(CliRun run) => run.Stderr.TrimEnd().Split('\n');
}
