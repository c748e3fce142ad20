using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ClaimGraph.Cli;

/// <summary>
/// The usage mistakes the parser lets through or words poorly: an argument that starts with <c>-</c> but is no option
/// of the command (<c>--jsn</c> would otherwise be taken as a pattern), an unknown command, an argument too many. Each
/// is one sentence, with a "did you mean" when a known name is close.
/// </summary>
/// <remarks>
/// The rule for arguments: before <c>--</c>, everything that starts with <c>-</c> must be an option of the command
/// (<c>--name</c>, <c>--name=VALUE</c>, <c>--name:VALUE</c>, or single-letter options together, <c>-iq</c>), except
/// <c>-</c> itself (standard input) and a number given as an option's value (<c>--seed -1</c>, judged by that option).
/// A pattern or path that starts with <c>-</c> goes after <c>--</c>; an option value that does is written
/// <c>--name=VALUE</c>.
/// </remarks>
internal static class UsageCheck
{
    /// <summary>Longer arguments get no suggestion: no option or command name is nearly that long.</summary>
    private const int MaxSuggestLength = 64;

    /// <summary>The first usage mistake in <paramref name="args"/>, as one sentence, or <see langword="null"/>.</summary>
    public static string? Find(ParseResult parsed, IReadOnlyList<string> args)
    {
        CommandResult leaf = parsed.CommandResult;
        string command = PathOf(leaf);
        if (leaf.Parent is null && leaf.Command.Subcommands.Count > 0
            && parsed.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-')) is { } unknown)
        {
            string? near = Suggest(unknown, leaf.Command.Subcommands.Select(c => c.Name));
            string commands = string.Join(", ", leaf.Command.Subcommands.Select(c => c.Name));
            return $"unknown command {Echo.Quote(unknown)}; " + (near is not null ? $"did you mean '{near}'?" : $"the commands are {commands}");
        }

        List<Option> options = OptionsOf(leaf);
        Option? previous = null;
        for (int i = 0; i < args.Count && args[i] != "--"; i++)
        {
            string arg = args[i];
            Option? option = Find(options, NameOf(arg));
            if (option is not null && option.ValueType == typeof(bool) && NameOf(arg).Length < arg.Length
                && !bool.TryParse(arg.AsSpan(NameOf(arg).Length + 1), out _))
            {
                // Otherwise the parser takes the value for an argument and complains about another one.
                return $"{option.Name} is a switch: it takes no value (or true or false), not {Echo.Quote(arg[(NameOf(arg).Length + 1)..])}";
            }

            if (option is not null || arg == "-" || !arg.StartsWith('-') || IsBundle(arg, options)
                || (TakesValue(previous) && double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
                // A name with its value attached (--run=x) takes no value from the next argument.
                previous = option is not null && NameOf(arg).Length == arg.Length ? option : null;
                continue;
            }

            string? near = Suggest(NameOf(arg), options.SelectMany(Names).Where(n => n.Length > 2));
            string advice = near is not null ? $"did you mean '{near}'?"
                : TakesValue(previous) ? $"a value that starts with '-' is written {previous!.Name}={Echo.Value(arg)}"
                : leaf.Command.Arguments.Count > 0 ? $"an argument that starts with '-' goes after '--', as in '{command} -- {Echo.Value(arg)}'"
                : $"see '{command} --help' for its options";
            return $"unknown option {Echo.Quote(NameOf(arg))} for '{command}'; {advice}";
        }

        return parsed.UnmatchedTokens.Count == 0 ? null : $"unexpected argument {Echo.Quote(parsed.UnmatchedTokens[0])} for '{command}'";
    }

    /// <summary>The command as typed from the tool's name: <c>claimgraph overlap</c>.</summary>
    public static string PathOf(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is CommandResult c; result = c.Parent)
        {
            names.Add(c.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>
    /// The known name nearest to <paramref name="given"/>: the only one it begins (three characters at least besides
    /// dashes), or the closest by edit distance (insertions, deletions, substitutions and swaps of neighbours) within a
    /// third of its length (at least 1). Ties go to the earlier name. <see langword="null"/> when none is that close.
    /// </summary>
    public static string? Suggest(string given, IEnumerable<string> known)
    {
        if (given.Length > MaxSuggestLength)
        {
            return null;
        }

        string[] names = [.. known.Distinct(StringComparer.Ordinal)];
        string bare = given.TrimStart('-');
        if (bare.Length >= 3)
        {
            string[] extending = [.. names.Where(n => n.TrimStart('-').StartsWith(bare, StringComparison.Ordinal))];
            if (extending.Length == 1)
            {
                return extending[0];
            }
        }

        int limit = Math.Max(1, bare.Length / 3);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string name in names)
        {
            int distance = Distance(given, name);
            if (distance <= limit && distance < bestDistance)
            {
                (best, bestDistance) = (name, distance);
            }
        }

        return best;
    }

    /// <summary>The options valid on <paramref name="leaf"/>: its own and its ancestors' recursive ones (such as <c>--help</c>).</summary>
    private static List<Option> OptionsOf(CommandResult leaf)
    {
        var options = new List<Option>(leaf.Command.Options);
        for (SymbolResult? result = leaf.Parent; result is CommandResult c; result = c.Parent)
        {
            options.AddRange(c.Command.Options.Where(o => o.Recursive));
        }

        return options;
    }

    private static IEnumerable<string> Names(Option option) => option.Aliases.Prepend(option.Name);

    private static Option? Find(List<Option> options, string name) =>
        options.FirstOrDefault(o => Names(o).Contains(name, StringComparer.Ordinal));

    /// <summary>The option name of an argument: all of it, or what comes before its first <c>=</c> or <c>:</c>.</summary>
    private static string NameOf(string arg)
    {
        int cut = arg.AsSpan().IndexOfAny('=', ':');
        return cut > 0 ? arg[..cut] : arg;
    }

    private static bool TakesValue(Option? option) =>
        option is not null && option.ValueType != typeof(bool) && option.Arity.MaximumNumberOfValues > 0;

    /// <summary>Single-letter options written together, as the parser reads them: <c>-iq</c> for <c>-i -q</c>.</summary>
    private static bool IsBundle(string arg, List<Option> options)
    {
        if (arg.Length < 3 || arg[1] == '-')
        {
            return false;
        }

        for (int i = 1; i < arg.Length; i++)
        {
            if (Find(options, "-" + arg[i]) is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
