namespace ClaimGraph.Benchmarks;

// Pure (no BenchmarkDotNet types), so tests/ClaimGraph.Tests compiles this file in and tests it.
/// <summary>The command line handed to BenchmarkDotNet's <c>BenchmarkSwitcher</c>.</summary>
public static class BenchmarkArguments
{
    /// <summary>
    /// The build timeout used when the user gives none: 15 minutes. BenchmarkDotNet's default of two minutes for
    /// restoring and building each generated project runs out on a loaded two-core machine.
    /// </summary>
    public const int DefaultBuildTimeoutSeconds = 15 * 60;

    private const string BuildTimeout = "--buildTimeout";

    /// <summary>
    /// <paramref name="args"/> with <c>--buildTimeout <paramref name="seconds"/></c> added when no
    /// <c>--buildTimeout</c> is there (matched as BenchmarkDotNet's parser does: ignoring case, as <c>--buildTimeout N</c>
    /// or <c>--buildTimeout=N</c>, before any <c>--</c> that ends the options); otherwise an unchanged copy, so the
    /// user's value wins. The option goes on the command line rather than into a config because BenchmarkDotNet merges
    /// a config's build timeout with the command line's by taking the larger, which would override a shorter
    /// user value.
    /// </summary>
    public static string[] WithDefaultBuildTimeout(IReadOnlyList<string> args, int seconds)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);
        int end = args.Count;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                end = i;
                break;
            }

            if (arg.Equals(BuildTimeout, StringComparison.OrdinalIgnoreCase)
                || arg.StartsWith(BuildTimeout + "=", StringComparison.OrdinalIgnoreCase))
            {
                return [.. args];
            }
        }

        string value = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return [.. args.Take(end), BuildTimeout, value, .. args.Skip(end)];
    }
}
