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
internal static partial class SimulateCommand
{
    /// <summary>
    /// The commits of the default run: the synthetic generator's default size (500), and the newest that many commits
    /// of a file or repository (a few seconds per policy and agent count rather than a minute for a 5,000-commit history).
    /// </summary>
    public static readonly int DefaultCommits = new SyntheticHistoryOptions().Commits;

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
                + "speculatively at once, outside the policy ('all': every idle agent, the default; 'none' or 0: no speculation)",
            HelpName = "N|all|none",
            DefaultValueFactory = _ => EveryIdleAgent,
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
                    SpeculativeRuns = SpeculativeRuns(parsed.GetValue(speculate)),
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

    private static string Plural(int count) => count == 1 ? string.Empty : "s";

    /// <summary>Where the history comes from and what to simulate.</summary>
    private sealed record Request(string? HistoryFile, string? Repository, int Commits, SimulationOptions Options)
    {
        public CommitHistory Load() =>
            HistoryFile is not null ? CommitHistory.ReadJsonLines(HistoryFile)
            : Repository is not null ? CommitHistory.FromGitRepository(Repository, Options.MaxCommits)
            : SyntheticHistory.Generate(new SyntheticHistoryOptions { Commits = Commits, Seed = Options.Seed });
    }
}
