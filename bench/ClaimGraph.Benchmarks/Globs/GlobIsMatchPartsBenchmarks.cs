using BenchmarkDotNet.Attributes;
using ClaimGraph.Globs;

namespace ClaimGraph.Benchmarks.Globs;

/// <summary>
/// Where <c>Glob.IsMatch</c> spends its time, on the same path mix as <see cref="GlobIsMatchBenchmarks"/>: path
/// validation one character at a time (the baseline, what <c>IsMatch</c> used to do first), the vectorised validation it
/// does now, the shape plan alone on an already validated path (with the '/' mask validation produced), and the whole call.
/// </summary>
[MemoryDiagnoser]
public class GlobIsMatchPartsBenchmarks
{
    private static readonly string[] Paths = GlobIsMatchBenchmarks.Paths;

    private Glob _glob = null!;
    private Alternative _alternative = null!;
    private ulong[] _slashes = [];

    [Params("src/billing/**", "**/*.md", "src/*/schema.sql", "src/**/handlers/*.cs")]
    public string Pattern { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _glob = Glob.Parse(Pattern);
        _alternative = _glob.Alternatives[0];
        _slashes = new ulong[Paths.Length];
        for (int i = 0; i < Paths.Length; i++)
        {
            GlobPath.IsValid(Paths[i], out _slashes[i]);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 8)]
    public int ScalarValidation()
    {
        int valid = 0;
        foreach (string path in Paths)
        {
            valid += GlobPath.IsValidScalar(path) ? 1 : 0;
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public int VectorisedValidation()
    {
        int valid = 0;
        foreach (string path in Paths)
        {
            valid += GlobPath.IsValid(path) ? 1 : 0;
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public int PlanOnly()
    {
        int hits = 0;
        for (int i = 0; i < Paths.Length; i++)
        {
            hits += _alternative.MatchPlan.Matches(Paths[i], _slashes[i], masked: true) ? 1 : 0;
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public int IsMatch()
    {
        int hits = 0;
        foreach (string path in Paths)
        {
            hits += _glob.IsMatch(path) ? 1 : 0;
        }

        return hits;
    }
}
