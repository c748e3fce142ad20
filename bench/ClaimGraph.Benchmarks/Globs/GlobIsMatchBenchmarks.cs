using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using ClaimGraph.Globs;
using ClaimGraph.Oracles.Globs;
using Microsoft.Extensions.FileSystemGlobbing;
using DotNetGlob = DotNet.Globbing.Glob;

namespace ClaimGraph.Benchmarks.Globs;

/// <summary>
/// <c>Glob.IsMatch</c> on typical claim patterns against FileSystemGlobbing's <see cref="Matcher"/> (the baseline: what
/// our users reach for), a compiled <see cref="Regex"/> (the oracle's <see cref="RegexGlobOracle"/>) and DotNet.Glob. Each operation is one path of a fixed mix of
/// matching and non-matching repository paths; the four matchers are checked to agree on all of them in setup.
/// </summary>
[MemoryDiagnoser]
public class GlobIsMatchBenchmarks
{
    private const string Root = "/repo";

    /// <summary>A mix of paths as a repository has them: deep and shallow, matching each pattern or not.</summary>
    internal static readonly string[] Paths =
    [
        "src/billing/invoices/render/pdf_writer.cs",
        "src/billing/schema.sql",
        "src/payments/api/handlers/refund.cs",
        "docs/guide/getting-started.md",
        "README.md",
        "tests/billing/InvoiceTests.cs",
        "src/payments/schema.sql",
        "tools/ci/scripts/publish.sh",
    ];

    private string[] _absolute = [];
    private Glob _glob = null!;
    private Matcher _matcher = null!;
    private RegexGlobOracle _regex = null!;
    private DotNetGlob _dotNetGlob = null!;

    [Params("src/billing/**", "**/*.md", "src/*/schema.sql", "src/**/handlers/*.cs")]
    public string Pattern { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _absolute = Paths.Select(p => Root + "/" + p).ToArray();
        _glob = Glob.Parse(Pattern);
        _matcher = new Matcher(StringComparison.Ordinal);
        _matcher.AddInclude(Pattern);
        _regex = RegexGlobOracle.Compile(Pattern, ignoreCase: false, RegexOptions.Compiled, Regex.InfiniteMatchTimeout);
        _dotNetGlob = DotNetGlob.Parse(Pattern);
        for (int i = 0; i < Paths.Length; i++)
        {
            bool expected = _glob.IsMatch(Paths[i]);
            bool fsg = _matcher.Match(Root, _absolute[i]).HasMatches;
            bool regex = _regex.IsMatch(Paths[i]);
            bool dng = _dotNetGlob.IsMatch(Paths[i]);
            if (fsg != expected || regex != expected || dng != expected)
            {
                throw new InvalidOperationException(
                    $"'{Pattern}' on '{Paths[i]}': ClaimGraph {expected}, FileSystemGlobbing {fsg}, Regex {regex}, DotNet.Glob {dng}");
            }
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 8)]
    public int FileSystemGlobbing()
    {
        int hits = 0;
        foreach (string path in _absolute)
        {
            hits += _matcher.Match(Root, path).HasMatches ? 1 : 0;
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public int CompiledRegex()
    {
        int hits = 0;
        foreach (string path in Paths)
        {
            hits += _regex.IsMatch(path) ? 1 : 0;
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public int DotNetGlobIsMatch()
    {
        int hits = 0;
        foreach (string path in Paths)
        {
            hits += _dotNetGlob.IsMatch(path) ? 1 : 0;
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public int ClaimGraphIsMatch()
    {
        int hits = 0;
        foreach (string path in Paths)
        {
            hits += _glob.IsMatch(path) ? 1 : 0;
        }

        return hits;
    }
}
