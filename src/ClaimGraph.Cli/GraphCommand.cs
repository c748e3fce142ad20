using System.CommandLine;
using ClaimGraph.Graph;

namespace ClaimGraph.Cli;

/// <summary>
/// <c>claimgraph graph SCENARIO.json [--format mermaid|dot]</c>: replays the scenario and draws the dependency DAG
/// with the work items' and runs' states at the end.
/// </summary>
internal static class GraphCommand
{
    public static Command Build(CliSession session)
    {
        var format = new Option<string>("--format")
        {
            Description = "The picture's language",
            HelpName = "mermaid|dot",
            DefaultValueFactory = _ => "mermaid",
        };
        format.Validators.Add(result =>
        {
            string value = result.GetValueOrDefault<string>();
            if (value is not ("mermaid" or "dot"))
            {
                result.AddError($"--format is mermaid or dot, not {Echo.Quote(value)}.");
            }
        });
        return ScenarioCommand.Create(
            session,
            "graph",
            "Replay a scenario file and draw the work items' dependency DAG with their runs' states, as Mermaid or Graphviz DOT.",
            [format],
            (parsed, replay) =>
            {
                session.Stdout.Write(parsed.GetValue(format) == "dot"
                    ? WorkGraphPictures.ToDot(replay.Graph)
                    : WorkGraphPictures.ToMermaid(replay.Graph));
                return CliApp.ExitSuccess;
            });
    }
}
