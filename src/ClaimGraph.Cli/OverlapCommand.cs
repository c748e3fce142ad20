using ClaimGraph.Globs;

namespace ClaimGraph.Cli;

/// <summary><c>claimgraph overlap A B</c> and <c>claimgraph overlap --batch FILE|-</c>.</summary>
internal static class OverlapCommand
{
    /// <summary>Batch requests are <c>{"a": "...", "b": "...", "ignoreCase": false}</c>.</summary>
    public static readonly PairCommand Definition = new(
        "overlap",
        $"Whether some path is covered by both patterns, and a shortest such path (the witness). Patterns: {Documentation.Globs}",
        ("A", "a", "pattern A", "The first pattern"),
        ("B", "b", "pattern B", "The second pattern"),
        Evaluate);

    private static Outcome Evaluate(string a, string b, GlobOptions options)
    {
        if (!Glob.TryParse(a, options, out Glob? ga, out GlobError? error))
        {
            return Outcome.RejectFirst(error);
        }

        if (!Glob.TryParse(b, options, out Glob? gb, out error))
        {
            return Outcome.RejectSecond(error);
        }

        bool overlaps = Glob.TryGetWitness(ga, gb, out string? witness);
        return Outcome.Answer(
            CliSession.ToJson(new OverlapAnswer(overlaps, witness), CliJsonContext.Output.OverlapAnswer),
            overlaps ? $"overlaps: yes{Environment.NewLine}witness: {Echo.Escape(witness!)}" : "overlaps: no");
    }
}
