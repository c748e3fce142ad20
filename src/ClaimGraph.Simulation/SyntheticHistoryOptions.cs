using System.Collections.Immutable;

namespace ClaimGraph.Simulation;

/// <summary>
/// The shape of the built-in history generator (<see cref="SyntheticHistory.Generate"/>). Immutable; the defaults
/// give a medium repository: 8 top-level directories, each a tree of depth 3 with 3 subdirectories per directory
/// (8 + 24 + 72 = 104 directories) holding 6 files each, about 3 files per commit mostly in one directory, skewed
/// towards popular directories, 15% of commits also touching a hot-spot file, one commit every 4 hours on average (about the pace of
/// the corpus histories: 3.5 to 7 hours between non-merge commits).
/// </summary>
public sealed record SyntheticHistoryOptions
{
    /// <summary>The most commits a synthetic history holds: 100,000 (about 40 MB in memory).</summary>
    public const int MaxCommits = 100_000;

    /// <summary>How many commits, from 1 to <see cref="MaxCommits"/>. Default 500.</summary>
    public int Commits { get; init; } = 500;

    /// <summary>The seed: the same seed and options give the same history, byte for byte. Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Top-level directories, named <c>t0</c>, <c>t1</c>, …. Default 8.</summary>
    public int TopLevelDirectories { get; init; } = 8;

    /// <summary>Subdirectories of every directory above the deepest level, named <c>d0</c>, <c>d1</c>, …. Default 3.</summary>
    public int SubdirectoriesPerDirectory { get; init; } = 3;

    /// <summary>Directory levels, the top level included (1 = top-level directories only). Default 3.</summary>
    public int Depth { get; init; } = 3;

    /// <summary>Files in every directory, named <c>f0.cs</c>, <c>f1.cs</c>, …. Default 6.</summary>
    public int FilesPerDirectory { get; init; } = 6;

    /// <summary>
    /// Mean number of files a commit touches (hot spots aside): 1 plus a geometric number with mean
    /// <c>MeanFilesPerCommit − 1</c>, capped at <see cref="MaxFilesPerCommit"/>. Default 3.
    /// </summary>
    public double MeanFilesPerCommit { get; init; } = 3.0;

    /// <summary>The most files one commit touches (hot spots aside). Default 40.</summary>
    public int MaxFilesPerCommit { get; init; } = 40;

    /// <summary>Probability that a commit's next file is in its home directory rather than anywhere. Default 0.8.</summary>
    public double Locality { get; init; } = 0.8;

    /// <summary>
    /// Zipf exponent of directory popularity: the directory of rank <c>r</c> (ranks in a fixed seeded order) is chosen
    /// with weight <c>1 / (r + 1)^s</c>. 0 = uniform. Default 1.
    /// </summary>
    public double DirectorySkew { get; init; } = 1.0;

    /// <summary>Files that many commits touch besides their own (a changelog, a version file, a registry).</summary>
    public ImmutableArray<string> HotSpots { get; init; } = ["CHANGELOG.md", "build/versions.props", "t0/registry.cs"];

    /// <summary>Probability that a commit also touches one hot spot (chosen uniformly). Default 0.15.</summary>
    public double HotSpotShare { get; init; } = 0.15;

    /// <summary>Mean time between commits in seconds; intervals are exponential. Default 14,400 (4 hours).</summary>
    public double MeanIntervalSeconds { get; init; } = 14_400;

    /// <summary>Committer time of the oldest commit, Unix seconds. Default 1,700,000,000 (2023-11-14).</summary>
    public long StartTime { get; init; } = 1_700_000_000;

    /// <summary>Every problem with these options (empty when valid).</summary>
    public ImmutableArray<string> Validate()
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        Validation.Check(problems, Commits is >= 1 and <= MaxCommits, $"{nameof(Commits)} must be between 1 and {MaxCommits} (was {Commits}).");
        Validation.Check(problems, TopLevelDirectories >= 1, $"{nameof(TopLevelDirectories)} must be at least 1 (was {TopLevelDirectories}).");
        Validation.Check(problems, SubdirectoriesPerDirectory >= 0, $"{nameof(SubdirectoriesPerDirectory)} must not be negative (was {SubdirectoriesPerDirectory}).");
        Validation.Check(problems, Depth is >= 1 and <= 12, $"{nameof(Depth)} must be between 1 and 12 (was {Depth}).");
        Validation.Check(problems, FilesPerDirectory >= 1, $"{nameof(FilesPerDirectory)} must be at least 1 (was {FilesPerDirectory}).");
        Validation.Check(problems, MeanFilesPerCommit >= 1, $"{nameof(MeanFilesPerCommit)} must be at least 1 (was {MeanFilesPerCommit}).");
        Validation.Check(problems, MaxFilesPerCommit >= 1, $"{nameof(MaxFilesPerCommit)} must be at least 1 (was {MaxFilesPerCommit}).");
        Validation.Check(problems, Locality is >= 0 and <= 1, $"{nameof(Locality)} must be between 0 and 1 (was {Locality}).");
        Validation.Check(problems, DirectorySkew >= 0 && double.IsFinite(DirectorySkew), $"{nameof(DirectorySkew)} must be finite and not negative (was {DirectorySkew}).");
        Validation.Check(problems, HotSpotShare is >= 0 and <= 1, $"{nameof(HotSpotShare)} must be between 0 and 1 (was {HotSpotShare}).");
        Validation.Check(problems, HotSpotShare == 0 || !HotSpots.IsDefaultOrEmpty, $"{nameof(HotSpots)} must not be empty when {nameof(HotSpotShare)} is above 0.");
        Validation.Check(problems, MeanIntervalSeconds > 0 && double.IsFinite(MeanIntervalSeconds), $"{nameof(MeanIntervalSeconds)} must be above 0 (was {MeanIntervalSeconds}).");
        long directories = 0;
        long level = TopLevelDirectories;
        for (int d = 0; d < Depth && directories <= 1_000_000; d++)
        {
            directories += level;
            level *= SubdirectoriesPerDirectory;
        }

        Validation.Check(problems, directories <= 1_000_000, "the directory tree must have at most 1,000,000 directories.");
        return problems.ToImmutable();
    }
}
