using System.CommandLine;

namespace ClaimGraph.Cli;

/// <summary>
/// The shape shared by <c>decide</c>, <c>explain</c> and <c>graph</c>: a <c>SCENARIO</c> argument and some options;
/// the scenario is loaded and replayed before the command's own action runs. A bad scenario is a one-line message on
/// standard error and exit code <see cref="CliApp.ExitBadInput"/>.
/// </summary>
internal static class ScenarioCommand
{
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
            Description = "The scenario file: JSON with \"options\" and \"steps\" (batches of events); see docs/scenario.md",
        };
        command.Arguments.Add(file);
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            ScenarioReplay? replay = ScenarioReplay.Load(session, parsed.GetValue(file)!);
            return replay is null ? CliApp.ExitBadInput : action(parsed, replay);
        });
        return command;
    }
}
