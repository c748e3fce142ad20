using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ClaimGraph.Benchmarks;

/// <summary>
/// Runs every benchmark class of this assembly through <see cref="BenchmarkSwitcher"/> (use <c>--filter</c>, <c>--job</c>,
/// <c>--inProcess</c>, <c>--list flat</c>). BenchmarkDotNet exits with 0 even when a benchmark throws; this entry point
/// returns 1 when any benchmark failed to build or run, when a validation error is critical, or when a filter selected
/// nothing, so CI's smoke run cannot pass silently. Without <c>--buildTimeout</c> the generated projects get
/// <see cref="BenchmarkArguments.DefaultBuildTimeoutSeconds"/> seconds to build instead of BenchmarkDotNet's two minutes.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string[] effective = BenchmarkArguments.WithDefaultBuildTimeout(args, BenchmarkArguments.DefaultBuildTimeoutSeconds);
        Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(effective).ToArray();
        IReadOnlyList<string> failures = BenchmarkFailures.Find(summaries, args);
        foreach (string failure in failures)
        {
            Console.Error.WriteLine($"benchmark failure: {failure}");
        }

        int cases = summaries.Sum(s => s.BenchmarksCases.Length);
        Console.WriteLine($"benchmarks: {cases} case(s) in {summaries.Length} class(es), {failures.Count} failure(s)");
        return failures.Count == 0 ? 0 : 1;
    }
}

/// <summary>What went wrong in a set of BenchmarkDotNet summaries, one readable line per problem.</summary>
public static class BenchmarkFailures
{
    /// <summary>Arguments that only print information: running no benchmark is then expected.</summary>
    private static readonly string[] InformationOnly = ["--list", "--help", "-h", "-?", "--version", "--info"];

    public static IReadOnlyList<string> Find(IReadOnlyList<Summary> summaries, IReadOnlyList<string> args)
    {
        var failures = new List<string>();
        if (summaries.Count == 0 && !args.Any(a => InformationOnly.Contains(a, StringComparer.OrdinalIgnoreCase)))
        {
            failures.Add("no benchmark ran (does the --filter match any benchmark?)");
        }

        foreach (Summary summary in summaries)
        {
            foreach (var error in summary.ValidationErrors.Where(e => e.IsCritical))
            {
                failures.Add($"{summary.Title}: validation: {error.Message}");
            }

            foreach (BenchmarkReport report in summary.Reports)
            {
                string name = report.BenchmarkCase.DisplayInfo;
                if (!report.BuildResult.IsBuildSuccess)
                {
                    failures.Add($"{name}: build failed: {report.BuildResult.ErrorMessage}");
                }
                else if (!report.Success || report.ExecuteResults.Any(r => !r.IsSuccess) || report.GetResultRuns().Count == 0)
                {
                    string detail = string.Join(" | ", report.ExecuteResults.SelectMany(r => r.Errors).Distinct());
                    failures.Add($"{name}: did not run to completion{(detail.Length == 0 ? string.Empty : ": " + detail)}");
                }
            }

            int missing = summary.BenchmarksCases.Length - summary.Reports.Length;
            if (missing > 0 && !summary.HasCriticalValidationErrors)
            {
                failures.Add($"{summary.Title}: {missing} benchmark case(s) have no report");
            }
        }

        return failures;
    }
}
