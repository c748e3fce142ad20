using System.Collections.Immutable;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using ClaimGraph.Globs;
using ClaimGraph.Policy;
using ClaimGraph.Simulation;

namespace ClaimGraph.Cli;

/// <summary>
/// <c>claimgraph simulate</c>: replays a commit history (a corpus JSON Lines file, a git repository, or the built-in
/// synthetic generator) under unmanaged fan-out, serial and ClaimGraph admission at several agent counts and conflict
/// costs, and prints the table (or the JSON) of <see cref="SimulationReportWriter"/>; optionally writes the SVG chart.
/// Progress goes to standard error, one line per conflict cost, policy and agent count.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>
    /// The commits of the default run: the synthetic generator's default size (500), and the newest that many commits
    /// of a file or repository (a few seconds per policy and agent count rather than a minute for a 5,000-commit history).
    /// </summary>
    public static readonly int DefaultCommits = new SyntheticHistoryOptions().Commits;

    /// <summary>The most agents or lookahead the options take: far beyond any history's size, small enough to stay an <see cref="int"/>.</summary>
    private const int MaxCount = 1_000_000;

    /// <summary>What a limit option holds for 'all' or 'none' (a custom parser cannot return a null <c>int?</c>).</summary>
    private const int Unlimited = 0;

    public static Command Build(CliSession session)
    {
        var command = new Command(
            "simulate",
            "Replay a commit history as agent tasks under unmanaged fan-out, serial and ClaimGraph admission, and compare "
            + "throughput, merge conflicts, wasted agent time, waits and latencies against a lower bound. Without --history "
            + "or --repo it replays the built-in synthetic history (deterministic for a seed). "
            + $"The model and every metric: {Documentation.Repository}/blob/main/src/ClaimGraph.Simulation/README.md");
        var history = new Option<string>("--history")
        {
            Description = "A history file in the corpus format: JSON Lines, one commit per line, newest first (gzip detected)",
            HelpName = "FILE.jsonl[.gz]",
        };
        var repo = new Option<string>("--repo") { Description = "A local git repository whose history to replay (runs git log; merge commits are left out)", HelpName = "PATH" };
        var agents = new Option<ImmutableArray<int>>("--agents")
        {
            Description = "The agent counts to compare, comma-separated",
            HelpName = "N,N,...",
            DefaultValueFactory = _ => SimulationOptions.DefaultAgentCounts,
            CustomParser = ParseAgents,
        };
        var conflictCost = new Option<ImmutableArray<double>>("--conflict-cost")
        {
            Description = "The conflict costs to report, comma-separated, each from 0 to 1: the share of a task's work a conflict loses (1: redo, 0.5: a rebase costing half)",
            HelpName = "R,R,...",
            DefaultValueFactory = _ => SimulationOptions.DefaultConflictCosts,
            CustomParser = ParseCosts,
        };
        var granularity = new Option<string>("--granularity")
        {
            Description = "What a ClaimGraph task claims: each file it changes, their directories, or their top-level directories",
            DefaultValueFactory = _ => "file",
        };
        granularity.AcceptOnlyFromAmong("file", "directory", "top");
        var maxEntries = new Option<int>("--max-claim-entries")
        {
            Description = "Coarsen the claims of a task with more entries than this to directories, then top-level directories ('none': never, the default)",
            HelpName = "N|none",
            DefaultValueFactory = _ => Unlimited,
            CustomParser = r => ParseLimit(r, "--max-claim-entries", "none"),
        };
        var mergeable = new Option<ImmutableArray<string>>("--mergeable")
        {
            Description = "Files that merge mechanically, claimed 'append' and never a conflict for any policy: a glob (repeat the option for more), "
                + "'default' (lock files, go.mod/go.sum, *.xlf, CHANGELOG.md) or 'none'. Default: default",
            HelpName = "GLOB|default|none",
            DefaultValueFactory = _ => MergeableFiles.Defaults,
            CustomParser = ParseMergeable,
        };
        var missing = new Option<double>("--missing-claims")
        {
            Description = "Footprint uncertainty: the share of each task's files its declared claims leave out, from 0 (exact, the default) to below 1",
            HelpName = "SHARE",
            DefaultValueFactory = _ => 0,
            CustomParser = ParseShare,
        };
        var undeclared = new Option<string>("--undeclared")
        {
            Description = "What an agent does about a file its claims leave out: ask for it (ClaimsAmended) or change it anyway (a ClaimViolation at merge)",
            DefaultValueFactory = _ => "amend",
        };
        undeclared.AcceptOnlyFromAmong("amend", "silent");
        var seed = new Option<ulong>("--seed")
        {
            Description = "The seed of the synthetic history, of task durations and of missing claims",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        };
        var commits = new Option<int>("--commits")
        {
            Description = "How many commits: the synthetic history's size (at most 100,000), or the newest N of a file or repository (0: all of them)",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultCommits,
            CustomParser = r => ParseCount(r, "--commits", 0, int.MaxValue),
        };
        var lookahead = new Option<int>("--lookahead")
        {
            Description = "ClaimGraph only: the most runs waiting in the policy at once, later arrivals queue in order ('all': every waiting run, the default)",
            HelpName = "N|all",
            DefaultValueFactory = _ => Unlimited,
            CustomParser = r => ParseLimit(r, "--lookahead", "all"),
        };
        var reservation = new Option<string>("--reservation")
        {
            Description = "ClaimGraph only: backfill (a waiting run blocked only by waiting runs may be overtaken, up to --bypass-budget times) or strict (FIFO per conflicting claim)",
            DefaultValueFactory = _ => "backfill",
        };
        reservation.AcceptOnlyFromAmong("backfill", "strict");
        var bypassBudget = new Option<int>("--bypass-budget")
        {
            Description = "ClaimGraph with backfill: how many times a waiting run may be overtaken by conflicting runs before it reserves its place (K)",
            HelpName = "K",
            DefaultValueFactory = _ => PolicyOptions.Default.BypassBudget,
            CustomParser = r => ParseCount(r, "--bypass-budget", 0, MaxCount),
        };
        var speculate = new Option<int>("--speculate")
        {
            Description = "ClaimGraph only, at conflict costs below 1: the most runs held only by claim conflicts that idle agents work on "
                + "speculatively at once, outside the policy ('all': every idle agent; 'none' or 0: no speculation, the default)",
            HelpName = "N|all|none",
            DefaultValueFactory = _ => 0,
            CustomParser = ParseSpeculation,
        };
        var json = new Option<bool>("--json") { Description = "Write the report as JSON (stable: same input and options, same bytes) instead of the table" };
        var chart = new Option<string>("--chart") { Description = "Also write the SVG chart to this file (SVG only)", HelpName = "FILE.svg" };
        var output = new Option<string>("--out", "-o")
        {
            Description = "Also write simulation.txt, simulation.json and simulation.svg into this directory (created if missing)",
            HelpName = "DIR",
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Write no progress lines to standard error" };
        foreach (Option option in new Option[]
        {
            history, repo, agents, conflictCost, granularity, maxEntries, mergeable, missing, undeclared, seed, commits, lookahead,
            reservation, bypassBudget, speculate, json, chart, output, quiet,
        })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result => Validate(result, history, repo, commits, chart));
        command.SetAction(parsed =>
        {
            string? historyFile = parsed.GetValue(history);
            string? repository = parsed.GetValue(repo);
            int count = parsed.GetValue(commits);
            var request = new Request(
                historyFile,
                repository,
                count,
                new SimulationOptions
                {
                    AgentCounts = parsed.GetValue(agents),
                    ConflictCosts = parsed.GetValue(conflictCost),
                    Granularity = GranularityOf(parsed.GetValue(granularity)!),
                    MaxClaimEntries = Limit(parsed.GetValue(maxEntries)),
                    Mergeable = parsed.GetValue(mergeable),
                    MissingClaimShare = parsed.GetValue(missing),
                    UndeclaredFiles = parsed.GetValue(undeclared) == "silent" ? UndeclaredFileAction.ChangeSilently : UndeclaredFileAction.Amend,
                    ClaimGraphLookahead = Limit(parsed.GetValue(lookahead)),
                    SpeculativeRuns = parsed.GetValue(speculate) is var runs and >= 0 ? runs : null,
                    Policy = PolicyOptions.Default with
                    {
                        Reservation = parsed.GetValue(reservation) == "strict" ? ReservationMode.Strict : ReservationMode.Backfill,
                        BypassBudget = parsed.GetValue(bypassBudget),
                    },
                    Seed = parsed.GetValue(seed),

                    // A file or repository is cut to its newest commits by the simulator (and the report says so).
                    MaxCommits = (historyFile ?? repository) is not null && count > 0 ? count : null,
                });
            return Run(session, request, parsed.GetValue(json), parsed.GetValue(chart), parsed.GetValue(output), parsed.GetValue(quiet));
        });
        return command;
    }

    private static void Validate(CommandResult result, Option<string> history, Option<string> repo, Option<int> commits, Option<string> chart)
    {
        OptionResult? historyResult = result.GetResult(history);
        OptionResult? repoResult = result.GetResult(repo);
        if (historyResult is not null && repoResult is not null)
        {
            result.AddError("'simulate' replays one history: give --history or --repo, not both.");
            return;
        }

        foreach ((OptionResult? path, string name) in new[] { (historyResult, "--history"), (repoResult, "--repo") })
        {
            if (path is { Tokens.Count: > 0 } && string.IsNullOrWhiteSpace(path.Tokens[0].Value))
            {
                result.AddError($"{name} needs a path; it was empty.");
            }
        }

        if (result.GetResult(chart) is { Tokens.Count: > 0 } chartResult
            && !chartResult.Tokens[0].Value.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            result.AddError($"--chart writes SVG only, to a file name ending in .svg (was {Echo.Quote(chartResult.Tokens[0].Value)}); "
                + "for a PNG convert it, e.g. 'rsvg-convert -o chart.png chart.svg'.");
        }

        // The value is read from its token: reading an option whose parser failed would throw.
        if (historyResult is null && repoResult is null && result.GetResult(commits) is { Tokens.Count: > 0 } given
            && int.TryParse(given.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            if (count == 0)
            {
                result.AddError("--commits 0 (all) needs --history or --repo; the synthetic history needs a size.");
            }
            else if (count > SyntheticHistoryOptions.MaxCommits)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--commits {count}: the synthetic history holds at most {SyntheticHistoryOptions.MaxCommits:N0} commits."));
            }
        }
    }

    private static int Run(CliSession session, Request request, bool json, string? chart, string? outputDirectory, bool quiet)
    {
        CommitHistory history;
        try
        {
            history = request.Load();
        }
        catch (HistoryReadException ex)
        {
            // The path as given (the library names a file by its base name), the line, what is wrong and the code.
            string where = request.HistoryFile ?? ex.Origin;
            where = ex.Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{where}:{ex.Line}") : where;
            string hint = ex.Hint is null ? string.Empty : "; " + ex.Hint;
            session.Stderr.WriteLine(Echo.Message($"claimgraph: {where}: {ex.Detail} ({ex.Code}){hint}"));
            return ex.Code == HistoryErrorCode.GitNotFound ? CliApp.ExitFailure : CliApp.ExitBadInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            session.Stderr.WriteLine($"claimgraph: cannot read the history file {Echo.Quote(request.HistoryFile ?? string.Empty)}: {Echo.Message(ex.Message)}");
            return CliApp.ExitBadInput;
        }

        if (request.Repository is not null && !quiet)
        {
            session.Stderr.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"simulate: {request.Repository}: read {history.Commits.Length} commits; left out {history.SkippedMerges} merge commit{Plural(history.SkippedMerges)} "
                + $"(a merge's changes are those of the commits it merges, replayed on their own) and {history.SkippedEmpty} commit{Plural(history.SkippedEmpty)} that change no file"));
        }

        var clock = Stopwatch.StartNew();
        TextWriter? progress = quiet ? null : session.Stderr;
        SimulationReport report = Simulator.Sweep(history, request.Options, result =>
        {
            progress?.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"simulate: {SimulationReportWriter.PolicyName(result.Policy)} with {result.Agents} agent{Plural(result.Agents)}, conflict cost {result.ConflictCost:0.###}: "
                + $"{result.Merged}/{result.Tasks} merged, {result.Conflicts} conflicts ({clock.Elapsed.TotalSeconds:0.0} s)"));
            clock.Restart();
        });
        string table = SimulationReportWriter.FormatTable(report);
        string reportJson = SimulationReportWriter.FormatJson(report);
        session.Stdout.Write(json ? reportJson : table);
        try
        {
            if (chart is not null)
            {
                WriteFile(chart, SimulationReportWriter.FormatSvg(report));
            }

            if (outputDirectory is not null)
            {
                Directory.CreateDirectory(outputDirectory);
                WriteFile(Path.Combine(outputDirectory, "simulation.txt"), table);
                WriteFile(Path.Combine(outputDirectory, "simulation.json"), reportJson);
                WriteFile(Path.Combine(outputDirectory, "simulation.svg"), SimulationReportWriter.FormatSvg(report));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            session.Stderr.WriteLine($"claimgraph: cannot write the output: {Echo.Message(ex.Message)}");
            return CliApp.ExitFailure;
        }

        return CliApp.ExitSuccess;
    }

    private static void WriteFile(string path, string content)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, content);
    }

    private static ClaimGranularity GranularityOf(string name) => name switch
    {
        "directory" => ClaimGranularity.Directory,
        "top" => ClaimGranularity.TopLevelDirectory,
        _ => ClaimGranularity.File,
    };

    private static string Plural(int count) => count == 1 ? string.Empty : "s";

    private static ImmutableArray<int> ParseAgents(ArgumentResult result)
    {
        var counts = ImmutableArray.CreateBuilder<int>();
        foreach (string part in Parts(result))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count is < 1 or > MaxCount)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--agents: {Echo.Quote(part)} is not an agent count from 1 to {MaxCount} (give counts comma-separated: 1,2,4)."));
                return SimulationOptions.DefaultAgentCounts;
            }

            counts.Add(count);
        }

        return counts.ToImmutable();
    }

    private static ImmutableArray<double> ParseCosts(ArgumentResult result)
    {
        var costs = ImmutableArray.CreateBuilder<double>();
        foreach (string part in Parts(result))
        {
            if (!double.TryParse(part.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double cost) || cost > 1)
            {
                result.AddError($"--conflict-cost: {Echo.Quote(part)} is not a cost from 0 to 1 (give costs comma-separated: 1,0.5).");
                return SimulationOptions.DefaultConflictCosts;
            }

            costs.Add(cost);
        }

        return costs.ToImmutable();
    }

    private static IEnumerable<string> Parts(ArgumentResult result) => result.Tokens.SelectMany(t => t.Value.Split(','));

    private static ImmutableArray<string> ParseMergeable(ArgumentResult result)
    {
        var patterns = new List<string>();
        foreach (Token token in result.Tokens)
        {
            switch (token.Value)
            {
                case "none":
                    break;
                case "default":
                    patterns.AddRange(MergeableFiles.Defaults);
                    break;
                default:
                    if (!Glob.TryParse(token.Value, GlobOptions.None, out _, out GlobError? error))
                    {
                        result.AddError($"--mergeable: {Echo.Quote(token.Value)} is not a glob, 'default' or 'none': {error.Message}");
                        return [];
                    }

                    patterns.Add(token.Value);
                    break;
            }
        }

        return [.. patterns.Distinct(StringComparer.Ordinal)];
    }

    private static double ParseShare(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double share) || share >= 1)
        {
            result.AddError($"--missing-claims: {Echo.Quote(text)} is not a share from 0 to below 1 (0.2 leaves a fifth of the files out).");
            return 0;
        }

        return share;
    }

    private static int ParseCount(ArgumentResult result, string name, int minimum, int maximum) =>
        ParseLimit(result, name, minimum, maximum, unlimited: null);

    /// <summary>
    /// A whole number from <paramref name="minimum"/> to <paramref name="maximum"/>, or the word
    /// <paramref name="unlimited"/> (<see cref="Unlimited"/>); a usage error in the words of the other number options otherwise.
    /// </summary>
    private static int ParseLimit(ArgumentResult result, string name, string unlimited) => ParseLimit(result, name, 1, MaxCount, unlimited);

    private static int ParseLimit(ArgumentResult result, string name, int minimum, int maximum, string? unlimited)
    {
        if (unlimited is not null && result.Tokens.Count == 1 && result.Tokens[0].Value == unlimited)
        {
            return Unlimited;
        }

        long value = ParserHardening.Whole<long>(result, name);
        if (!result.Errors.Any() && (value < minimum || value > maximum))
        {
            string or = unlimited is null ? string.Empty : $", or '{unlimited}'";
            result.AddError(string.Create(
                CultureInfo.InvariantCulture,
                $"{name}: {Echo.Quote(result.Tokens[0].Value)} is out of range: the value is from {minimum} to {maximum}{or}."));
        }

        return result.Errors.Any() ? minimum : (int)value;
    }

    /// <summary>A count from 0, 'none' (0) or 'all' (-1: every idle agent).</summary>
    private static int ParseSpeculation(ArgumentResult result) =>
        result.Tokens.Count == 1 && result.Tokens[0].Value == "none" ? 0
        : result.Tokens.Count == 1 && result.Tokens[0].Value == "all" ? -1
        : ParseCount(result, "--speculate", 0, MaxCount);

    private static int? Limit(int value) => value == Unlimited ? null : value;

    /// <summary>Where the history comes from and what to simulate.</summary>
    private sealed record Request(string? HistoryFile, string? Repository, int Commits, SimulationOptions Options)
    {
        public CommitHistory Load() =>
            HistoryFile is not null ? CommitHistory.ReadJsonLines(HistoryFile)
            : Repository is not null ? CommitHistory.FromGitRepository(Repository, Options.MaxCommits)
            : SyntheticHistory.Generate(new SyntheticHistoryOptions { Commits = Commits, Seed = Options.Seed });
    }
}
