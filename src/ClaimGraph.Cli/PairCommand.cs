using System.CommandLine;
using ClaimGraph.Globs;

namespace ClaimGraph.Cli;

/// <summary>
/// The shape shared by <c>overlap</c> and <c>match</c>: two positional arguments, or <c>--batch FILE|-</c> (never
/// both), with <c>--ignore-case</c> and <c>--json</c>; batch lines carry the two arguments' fields and an optional
/// <c>ignoreCase</c>.
/// </summary>
/// <param name="Name">The command name.</param>
/// <param name="Description">The help text.</param>
/// <param name="First">The first argument: help name, batch field, how a person calls it, description.</param>
/// <param name="Second">The second argument, likewise.</param>
/// <param name="Evaluate">Answers one request: the two values and the options.</param>
internal sealed record PairCommand(
    string Name,
    string Description,
    (string Name, string Field, string What, string Description) First,
    (string Name, string Field, string What, string Description) Second,
    Func<string, string, GlobOptions, Outcome> Evaluate)
{
    /// <summary>The batch request fields: the two arguments' fields, then the optional <c>ignoreCase</c>.</summary>
    public FieldSpec[] Fields =>
    [
        new(First.Field, FieldKind.String, Required: true),
        new(Second.Field, FieldKind.String, Required: true),
        new("ignoreCase", FieldKind.Boolean, Required: false),
    ];

    public Command Build(CliSession session)
    {
        var command = new Command(Name, Description);
        var firstArg = new Argument<string>(First.Name) { Description = First.Description, Arity = ArgumentArity.ZeroOrOne };
        var secondArg = new Argument<string>(Second.Name) { Description = Second.Description, Arity = ArgumentArity.ZeroOrOne };
        var batch = new Option<string>("--batch")
        {
            Description = "Read JSON Lines requests from FILE ('-' for standard input); write one JSON line per input line, in order",
            HelpName = "FILE|-",
        };
        var ignoreCase = new Option<bool>("--ignore-case", "-i")
        {
            Description = "Compare characters ignoring case (ordinal-ignore-case); in a batch, the default for lines without \"ignoreCase\"",
        };
        var json = new Option<bool>("--json") { Description = "Write the answer as one JSON object (batch output is always JSON)" };
        command.Arguments.Add(firstArg);
        command.Arguments.Add(secondArg);
        command.Options.Add(batch);
        command.Options.Add(ignoreCase);
        command.Options.Add(json);
        command.Validators.Add(result =>
        {
            bool hasBatch = result.GetResult(batch) is not null;
            int given = (result.GetValue(firstArg) is null ? 0 : 1) + (result.GetValue(secondArg) is null ? 0 : 1);
            if (hasBatch && given > 0)
            {
                result.AddError($"'{Name} --batch' reads its requests from the file; do not also give {First.Name} and {Second.Name}.");
            }
            else if (!hasBatch && given < 2)
            {
                result.AddError($"'{Name}' needs {First.Name} and {Second.Name}, or --batch FILE|-.");
            }
        });
        FieldSpec[] fields = Fields;
        command.SetAction(parsed =>
        {
            GlobOptions defaults = parsed.GetValue(ignoreCase) ? GlobOptions.IgnoreCase : GlobOptions.None;
            string? source = parsed.GetValue(batch);
            if (source is not null)
            {
                return session.RunBatch(source, fields, values =>
                {
                    Outcome outcome = Evaluate(values.Strings[0]!, values.Strings[1]!, OptionsOf(values.Booleans[2], defaults));
                    return outcome.Json ?? CliSession.ErrorJson(CliSession.FromGlobError(FieldOf(outcome), outcome.Error!));
                });
            }

            Outcome single = Evaluate(parsed.GetValue(firstArg)!, parsed.GetValue(secondArg)!, defaults);
            bool asJson = parsed.GetValue(json);
            if (single.Error is not null)
            {
                return session.Reject(single.Rejected == 0 ? First.What : Second.What, FieldOf(single), single.Error, asJson);
            }

            session.Stdout.WriteLine(asJson ? single.Json : single.Text);
            return CliApp.ExitSuccess;
        });
        return command;
    }

    private string FieldOf(Outcome rejected) => rejected.Rejected == 0 ? First.Field : Second.Field;

    private static GlobOptions OptionsOf(bool? ignoreCase, GlobOptions defaults) => ignoreCase switch
    {
        true => GlobOptions.IgnoreCase,
        false => GlobOptions.None,
        null => defaults,
    };
}
