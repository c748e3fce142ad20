using System.CommandLine;
using System.Text;

namespace ClaimGraph.Cli;

/// <summary>
/// The shape shared by <c>decide</c>, <c>explain</c> and <c>graph</c>: a <c>SCENARIO</c> argument and some options;
/// the scenario is loaded and replayed before the command's own action runs. A bad scenario is a one-line message on
/// standard error and exit code <see cref="CliApp.ExitBadInput"/>. <c>-</c> reads the scenario from standard input,
/// named <see cref="StdinName"/> in messages.
/// </summary>
internal static class ScenarioCommand
{
    /// <summary>The name of standard input in error messages, where a file's path would be.</summary>
    public const string StdinName = "<stdin>";

    public static Command Create(
        CliSession session,
        string name,
        string description,
        IReadOnlyList<Option> options,
        Func<ParseResult, ScenarioReplay, int> action)
    {
        var command = new Command(name, description);
        var file = new Argument<string>("SCENARIO")
        {
            Description = $"The scenario file: JSON with \"options\" and \"steps\" (batches of events), described at {Documentation.Scenario}; '-' for standard input",
        };
        command.Arguments.Add(file);
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            string source = parsed.GetValue(file)!;
            ScenarioReplay? replay = source == "-" ? LoadStdin(session) : ScenarioReplay.Load(session, source);
            return replay is null ? CliApp.ExitBadInput : action(parsed, replay);
        });
        return command;
    }

    /// <summary>
    /// Reads the whole of standard input as the scenario and replays it; on a bad scenario or a read error, writes one line to standard error and returns <see langword="null"/>.
    /// </summary>
    private static ScenarioReplay? LoadStdin(CliSession session)
    {
        try
        {
            // The bytes as they came, so that standard input is checked exactly as a file is (UTF-8 included).
            return ScenarioReplay.Run(ScenarioFile.Parse(StdinName, session.ReadStdin()));
        }
        catch (IOException ex)
        {
            session.Stderr.WriteLine($"claimgraph: {StdinName}: cannot read the scenario: {Echo.Message(ex.Message)}");
        }
        catch (ScenarioException ex)
        {
            session.Stderr.WriteLine($"claimgraph: {ex.OneLine}");
        }

        return null;
    }
}
