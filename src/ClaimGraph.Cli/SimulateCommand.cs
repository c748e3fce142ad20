using System.Collections.Immutable;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using ClaimGraph.Simulation;

namespace ClaimGraph.Cli;

/// <summary>
/// <c>claimgraph simulate</c>: replays a commit history (a corpus JSON Lines file, a git repository, or the built-in
/// synthetic generator) under unmanaged fan-out, serial and ClaimGraph admission at several agent counts, and prints
/// the table (or the JSON) of <see cref="SimulationReportWriter"/>; optionally writes the SVG chart. Progress goes to
/// standard error, one line per policy and agent count.
/// </summary>
internal static class SimulateCommand
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
            + "throughput, merge conflicts, wasted agent time and waits. Without --history or --repo it replays the built-in "
            + "synthetic history (deterministic for a seed).");
        var history = new Option<string>("--history")
        {
            Description = "A history file in the corpus format: JSON Lines, one commit per line, newest first (gzip detected)",
            HelpName = "FILE.jsonl[.gz]",
        };
        var repo = new Option<string>("--repo") { Description = "A local git repository whose history to replay (runs git log)", HelpName = "PATH" };
        var agents = new Option<ImmutableArray<int>>("--agents")
        {
            Description = "The agent counts to compare, comma-separated",
            HelpName = "N,N,...",
            DefaultValueFactory = _ => SimulationOptions.DefaultAgentCounts,
            CustomParser = ParseAgents,
        };
        var granularity = new Option<string>("--granularity")
        {
            Description = "What a ClaimGraph task claims: each file it changes, their directories, or their top-level directories",
            DefaultValueFactory = _ => "file",
        };
        granularity.AcceptOnlyFromAmong("file", "directory", "top");
        var seed = new Option<ulong>("--seed")
        {
            Description = "The seed of the synthetic history and of task durations",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        };
        var commits = new Option<int>("--commits")
        {
            Description = "How many commits: the synthetic history's size, or the newest N of a file or repository (0: all of them)",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultCommits,
        };
        commits.Validators.Add(r => AtLeast(r, 0, "--commits"));
        var lookahead = new Option<int>("--lookahead")
        {
            Description = "ClaimGraph only: the most runs waiting in the policy at once; later arrivals queue in order",
            HelpName = "N",
            DefaultValueFactory = _ => SimulationOptions.DefaultClaimGraphLookahead,
        };
        lookahead.Validators.Add(r => AtLeast(r, 1, "--lookahead"));
        var json = new Option<bool>("--json") { Description = "Write the report as JSON (stable: same input and options, same bytes) instead of the table" };
        var chart = new Option<string>("--chart") { Description = "Also write the SVG chart to this file", HelpName = "FILE.svg" };
        var output = new Option<string>("--out")
        {
            Description = "Also write simulation.txt, simulation.json and simulation.svg into this directory (created if missing)",
            HelpName = "DIR",
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Write no progress lines to standard error" };
        foreach (Option option in new Option[] { history, repo, agents, granularity, seed, commits, lookahead, json, chart, output, quiet })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (result.GetResult(history) is not null && result.GetResult(repo) is not null)
            {
                result.AddError("'simulate' replays one history: give --history or --repo, not both.");
            }
            else if (result.GetResult(history) is null && result.GetResult(repo) is null
                && result.GetResult(commits) is { Implicit: false } given && given.GetValueOrDefault<int>() == 0)
            {
                result.AddError("--commits 0 (all) needs --history or --repo; the synthetic history needs a size.");
            }
        });
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
                    Granularity = GranularityOf(parsed.GetValue(granularity)!),
                    ClaimGraphLookahead = parsed.GetValue(lookahead),
                    Seed = parsed.GetValue(seed),

                    // A file or repository is cut to its newest commits by the simulator (and the report says so).
                    MaxCommits = (historyFile ?? repository) is not null && count > 0 ? count : null,
                });
            return Run(session, request, parsed.GetValue(json), parsed.GetValue(chart), parsed.GetValue(output), parsed.GetValue(quiet));
        });
        return command;
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
            session.Stderr.WriteLine($"claimgraph: {where}: {ex.Detail} ({ex.Code}){hint}");
            return ex.Code == HistoryErrorCode.GitNotFound ? CliApp.ExitFailure : CliApp.ExitBadInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            session.Stderr.WriteLine($"claimgraph: cannot read the history file '{request.HistoryFile}': {ex.Message}");
            return CliApp.ExitBadInput;
        }

        SimulationReport report = Sweep(history, request.Options, quiet ? null : session.Stderr);
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
            session.Stderr.WriteLine($"claimgraph: cannot write the output: {ex.Message}");
            return CliApp.ExitFailure;
        }

        return CliApp.ExitSuccess;
    }

    /// <summary>
    /// <see cref="Simulator.Sweep"/>, one policy and agent count at a time so that each can be reported as it
    /// finishes. Each cell is the sweep of one policy at one agent count, so the assembled report equals the report of
    /// one sweep over everything (the tests check it); serial does not depend on the agent count and runs once.
    /// </summary>
    internal static SimulationReport Sweep(CommitHistory history, SimulationOptions options, TextWriter? progress)
    {
        var results = ImmutableArray.CreateBuilder<PolicyRunResult>(options.Policies.Length * options.AgentCounts.Length);
        SimulationReport? first = null;
        foreach (SimulationPolicy policy in options.Policies)
        {
            PolicyRunResult? serial = null;
            foreach (int agents in options.AgentCounts)
            {
                var clock = Stopwatch.StartNew();
                PolicyRunResult result;
                if (policy == SimulationPolicy.Serial && serial is not null)
                {
                    result = serial with { Agents = agents };
                }
                else
                {
                    SimulationReport cell = Simulator.Sweep(history, options with { Policies = [policy], AgentCounts = [agents] });
                    first ??= cell;
                    result = cell.Results[0];
                    serial = policy == SimulationPolicy.Serial ? result : null;
                }

                results.Add(result);
                progress?.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"simulate: {SimulationReportWriter.PolicyName(policy)} with {agents} agent{(agents == 1 ? "" : "s")}: {result.Merged}/{result.Tasks} merged, {result.Conflicts} conflicts ({clock.Elapsed.TotalSeconds:0.0} s)"));
            }
        }

        // Options are validated (at least one policy and agent count), so some cell ran.
        return new SimulationReport(history.Name, first!.Commits, first.Tasks, first.ArrivalSpanHours, options, results.MoveToImmutable());
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

    private static ImmutableArray<int> ParseAgents(ArgumentResult result)
    {
        var counts = ImmutableArray.CreateBuilder<int>();
        foreach (Token token in result.Tokens)
        {
            foreach (string part in token.Value.Split(','))
            {
                if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1)
                {
                    result.AddError($"--agents takes agent counts of at least 1, comma-separated (1,2,4); '{part}' is not one.");
                    return SimulationOptions.DefaultAgentCounts;
                }

                counts.Add(count);
            }
        }

        return counts.ToImmutable();
    }

    private static void AtLeast(OptionResult result, int minimum, string name)
    {
        if (result.Tokens.Count > 0 && result.GetValueOrDefault<int>() < minimum)
        {
            result.AddError($"{name} must be at least {minimum}.");
        }
    }

    /// <summary>Where the history comes from and what to simulate.</summary>
    private sealed record Request(string? HistoryFile, string? Repository, int Commits, SimulationOptions Options)
    {
        public CommitHistory Load() =>
            HistoryFile is not null ? CommitHistory.ReadJsonLines(HistoryFile)
            : Repository is not null ? CommitHistory.FromGitRepository(Repository, Options.MaxCommits)
            : SyntheticHistory.Generate(new SyntheticHistoryOptions { Commits = Commits, Seed = Options.Seed });
    }
}
