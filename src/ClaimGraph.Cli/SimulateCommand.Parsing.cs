using System.Collections.Immutable;
using System.CommandLine.Parsing;
using System.Globalization;
using ClaimGraph.Globs;
using ClaimGraph.Simulation;

namespace ClaimGraph.Cli;

/// <summary>The value parsers of <c>claimgraph simulate</c>'s options: each turns tokens into a value or a usage error in the same words.</summary>
internal static partial class SimulateCommand
{
    /// <summary>The most agents or lookahead the options take: far beyond any history's size, small enough to stay an <see cref="int"/>.</summary>
    private const int MaxCount = 1_000_000;

    /// <summary>What a limit option holds for 'all' or 'none' (a custom parser cannot return a null <c>int?</c>).</summary>
    private const int Unlimited = 0;

    /// <summary>What <c>--speculate</c> holds for 'all': every idle agent (a null <see cref="SimulationOptions.SpeculativeRuns"/>).</summary>
    private const int EveryIdleAgent = -1;

    private static ClaimGranularity GranularityOf(string name) => name switch
    {
        "directory" => ClaimGranularity.Directory,
        "top" => ClaimGranularity.TopLevelDirectory,
        _ => ClaimGranularity.File,
    };

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

    /// <summary>A count from 0, 'none' (0) or 'all' (<see cref="EveryIdleAgent"/>).</summary>
    private static int ParseSpeculation(ArgumentResult result) =>
        result.Tokens.Count == 1 && result.Tokens[0].Value == "none" ? 0
        : result.Tokens.Count == 1 && result.Tokens[0].Value == "all" ? EveryIdleAgent
        : ParseCount(result, "--speculate", 0, MaxCount);

    private static int? SpeculativeRuns(int value) => value == EveryIdleAgent ? null : value;

    private static int? Limit(int value) => value == Unlimited ? null : value;
}
