using ClaimGraph.Globs;

namespace ClaimGraph.Cli;

/// <summary><c>claimgraph match PATTERN PATH</c> and <c>claimgraph match --batch FILE|-</c>.</summary>
internal static class MatchCommand
{
    /// <summary>Batch requests are <c>{"pattern": "...", "path": "...", "ignoreCase": false}</c>.</summary>
    public static readonly PairCommand Definition = new(
        "match",
        $"Whether the pattern matches the path itself (isMatch) and whether it covers it: matches it or one of its ancestors. Patterns: {Documentation.Globs}",
        ("PATTERN", "pattern", "the pattern", "The pattern"),
        ("PATH", "path", "the path", "A repository path: '/'-separated, relative, without '.' or '..' segments"),
        Evaluate);

    private static Outcome Evaluate(string pattern, string path, GlobOptions options)
    {
        if (!Glob.TryParse(pattern, options, out Glob? glob, out GlobError? error))
        {
            return Outcome.RejectFirst(error);
        }

        if (!GlobPath.TryValidate(path, out error))
        {
            return Outcome.RejectSecond(error);
        }

        var answer = new MatchAnswer(glob.IsMatch(path), glob.Covers(path));
        return Outcome.Answer(
            CliSession.ToJson(answer, CliJsonContext.Output.MatchAnswer),
            $"matches: {(answer.IsMatch ? "yes" : "no")}{Environment.NewLine}covers: {(answer.Covers ? "yes" : "no")}");
    }
}
