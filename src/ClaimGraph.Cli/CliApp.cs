using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;
using System.CommandLine.Parsing;

namespace ClaimGraph.Cli;

/// <summary>
/// The <c>claimgraph</c> command line: <c>overlap</c> and <c>match</c> (single or in JSON Lines batches), <c>lint</c>,
/// <c>simulate</c>, and the scenario commands <c>decide</c>, <c>explain</c> and <c>graph</c>. The output
/// formats and exit codes are a contract for scripts (see the README): 0 success, 2 bad usage or bad input (single
/// mode), 1 a failure of the tool itself (I/O error, bug). Messages go to standard error and never carry a stack trace.
/// </summary>
public static class CliApp
{
    /// <summary>Success, including a batch whose lines carry errors.</summary>
    public const int ExitSuccess = 0;

    /// <summary>The tool failed: an I/O error writing the answers, or a bug. A one-line message on standard error.</summary>
    public const int ExitFailure = 1;

    /// <summary>Bad usage (unknown option, missing argument, unreadable batch file) or, in single mode, bad input.</summary>
    public const int ExitBadInput = 2;

    /// <summary>
    /// Runs the command line in process, reading and writing only the given streams.
    /// </summary>
    /// <param name="args">The arguments after the command name.</param>
    /// <param name="stdin">Standard input (read by <c>--batch -</c>).</param>
    /// <param name="stdout">Standard output: answers.</param>
    /// <param name="stderr">Standard error: messages for people.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        return Run(args, new CliSession(stdin, stdout, stderr));
    }

    /// <summary>
    /// Runs the command line with standard input as bytes, as the process does: input is strict UTF-8 there, as it is
    /// in files (a byte that is not UTF-8 is refused, not replaced).
    /// </summary>
    internal static int RunWithStdinBytes(string[] args, Stream stdin, TextWriter stdout, TextWriter stderr) =>
        Run(args, new CliSession(stdin, stdout, stderr));

    private static int Run(string[] args, CliSession session)
    {
        TextWriter stdout = session.Stdout;
        TextWriter stderr = session.Stderr;
        int exitCode;
        try
        {
            exitCode = ParseAndInvoke(session, args);
            stdout.Flush();
        }
        catch (IOException ex)
        {
            // For example standard output closed early (`claimgraph ... | head -1`).
            stderr.WriteLine($"claimgraph: I/O error: {Echo.Message(ex.Message)}");
            exitCode = ExitFailure;
        }
#pragma warning disable CA1031 // The tool's promise is a one-line message and exit code 1, never a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"claimgraph: internal error: {ex.GetType().Name}: {Echo.Message(ex.Message)}");
            exitCode = ExitFailure;
        }

        stderr.Flush();
        return exitCode;
    }

    /// <summary>
    /// Parses, checks and runs the command. Parsing runs here, inside <see cref="Run"/>'s error handling, and so do the
    /// validators: nothing the user types can end the process with an unhandled exception.
    /// </summary>
    private static int ParseAndInvoke(CliSession session, string[] args)
    {
        Command root = BuildRoot(session);
        var faults = new List<Exception>();
        ParserHardening.Harden(root, faults);

        // Response files are off: a pattern such as '@scope/**' is a pattern, not a file to expand.
        ParseResult parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (UsageCheck.Find(parsed, args) is { } mistake)
        {
            return UsageError(session.Stderr, parsed.CommandResult, [mistake]);
        }

        if (parsed.Errors.Count > 0)
        {
            return UsageError(session.Stderr, parsed.CommandResult, parsed.Errors.Select(e => e.Message));
        }

        if (faults.Count > 0)
        {
            // A validator failed although every value converted: a bug, reported as one.
            throw faults[0];
        }

        return parsed.Invoke(new InvocationConfiguration
        {
            Output = session.Stdout,
            Error = session.Stderr,
            EnableDefaultExceptionHandler = false,
        });
    }

    /// <summary>
    /// Each distinct message on a line of its own (the parser's messages made one line each), then where the
    /// command's usage is: <c>Run 'claimgraph overlap --help' for usage.</c>
    /// </summary>
    private static int UsageError(TextWriter stderr, CommandResult command, IEnumerable<string> messages)
    {
        foreach (string message in messages.Select(OneLine).Distinct(StringComparer.Ordinal))
        {
            stderr.WriteLine($"claimgraph: {Echo.Message(message)}");
        }

        stderr.WriteLine($"Run '{UsageCheck.PathOf(command)} --help' for usage.");
        return ExitBadInput;
    }

    /// <summary>A message that the parser may have spread over lines (a list of allowed values), on one line.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>
    /// The root is a plain command named <c>claimgraph</c> (a <see cref="RootCommand"/> would take its name and version
    /// from the host process, which is <c>testhost</c> in tests and <c>ClaimGraph.Cli</c> under <c>dotnet run</c>).
    /// </summary>
    private static Command BuildRoot(CliSession session)
    {
        var root = new Command(
            "claimgraph",
            "ClaimGraph: decide which runs may work at the same time from the paths they claim. "
            + "Answers go to standard output; exit code 0 on success, 2 on bad usage or bad input. "
            + $"Documentation: {Documentation.Command}");
        var version = new Option<bool>("--version") { Description = "Show the version" };
        root.Options.Add(new HelpOption());
        root.Options.Add(version);
        root.Subcommands.Add(OverlapCommand.Definition.Build(session));
        root.Subcommands.Add(MatchCommand.Definition.Build(session));
        root.Subcommands.Add(LintCommand.Build(session));
        root.Subcommands.Add(SimulateCommand.Build(session));
        root.Subcommands.Add(DecideCommand.Build(session));
        root.Subcommands.Add(ExplainCommand.Build(session));
        root.Subcommands.Add(GraphCommand.Build(session));
        root.SetAction(parsed =>
        {
            if (parsed.GetValue(version))
            {
                session.Stdout.WriteLine(Version);
                return ExitSuccess;
            }

            session.Stderr.WriteLine("claimgraph: a command is required: overlap, match, lint, simulate, decide, explain or graph.");
            session.Stderr.WriteLine("Run 'claimgraph --help' for usage.");
            return ExitBadInput;
        });
        return root;
    }

    /// <summary>The tool's informational version (the package version, without source-revision metadata).</summary>
    internal static string Version
    {
        get
        {
            string? informational = typeof(CliApp).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            string text = informational ?? typeof(CliApp).Assembly.GetName().Version?.ToString() ?? "unknown";
            int plus = text.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? text : text[..plus];
        }
    }
}
