using System.Collections.Immutable;
using ClaimGraph.Globs;

namespace ClaimGraph.Simulation;

/// <summary>
/// The files whose concurrent changes merge mechanically (<see cref="SimulationOptions.Mergeable"/>): a set of globs in
/// the ClaimGraph dialect, matched against whole paths. Immutable and thread-safe.
/// </summary>
public sealed class MergeableFiles
{
    /// <summary>
    /// The default globs: Go module files (<c>go.mod</c>, <c>go.sum</c>, <c>go.work</c>, <c>go.work.sum</c>), the
    /// lock files of npm, Yarn, pnpm, Cargo, Bundler, Poetry, uv, Composer and NuGet, XLIFF translation files
    /// (<c>*.xlf</c>, regenerated from resources) and <c>CHANGELOG.md</c>, each anywhere in the tree.
    /// </summary>
    public static ImmutableArray<string> Defaults { get; } =
    [
        "**/go.mod",
        "**/go.sum",
        "**/go.work",
        "**/go.work.sum",
        "**/package-lock.json",
        "**/npm-shrinkwrap.json",
        "**/yarn.lock",
        "**/pnpm-lock.yaml",
        "**/Cargo.lock",
        "**/Gemfile.lock",
        "**/poetry.lock",
        "**/uv.lock",
        "**/composer.lock",
        "**/packages.lock.json",
        "**/*.xlf",
        "**/CHANGELOG.md",
    ];

    /// <summary>No mergeable file: every file is exclusive.</summary>
    public static MergeableFiles None { get; } = new([]);

    private readonly ImmutableArray<Glob> _globs;

    private MergeableFiles(ImmutableArray<Glob> globs) => _globs = globs;

    /// <summary>The globs (parsed, in the order given).</summary>
    public ImmutableArray<Glob> Globs => _globs;

    /// <summary>Parses <paramref name="patterns"/>.</summary>
    /// <exception cref="GlobParseException">A pattern is not a valid glob.</exception>
    public static MergeableFiles Parse(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        return new MergeableFiles([.. patterns.Select(p => Glob.Parse(p))]);
    }

    /// <summary>Every problem with <paramref name="patterns"/> (empty when each is a valid glob).</summary>
    public static ImmutableArray<string> Validate(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var problems = ImmutableArray.CreateBuilder<string>();
        foreach (string pattern in patterns)
        {
            if (pattern is null)
            {
                problems.Add("Mergeable must not hold null.");
            }
            else if (!Glob.TryParse(pattern, GlobOptions.None, out _, out GlobError? error))
            {
                problems.Add($"Mergeable holds '{pattern}', not a valid glob: {error.Message}");
            }
        }

        return problems.ToImmutable();
    }

    /// <summary>Whether <paramref name="path"/> matches one of the globs.</summary>
    public bool Contains(string path)
    {
        foreach (Glob glob in _globs)
        {
            if (glob.IsMatch(path))
            {
                return true;
            }
        }

        return false;
    }
}
