using System.Collections.Immutable;
using System.Globalization;
using ClaimGraph.Globs;

namespace ClaimGraph.Simulation;

/// <summary>
/// One replayed commit as a unit of agent work. Immutable.
/// </summary>
/// <param name="Id">The task's id, also its work item and first run id in the ClaimGraph policy: <c>t00001</c>, <c>t00002</c>, … in arrival order.</param>
/// <param name="Sha">The commit it replays.</param>
/// <param name="Arrival">When it arrives, in simulated milliseconds from the first arrival (which is 0).</param>
/// <param name="Duration">How long an agent works on it, in milliseconds (see <see cref="DurationModel"/>).</param>
/// <param name="Files">The paths it changes: the commit's valid paths, distinct and sorted ordinally.</param>
/// <param name="Claims">
/// Its declared claim lines for the ClaimGraph policy (distinct, sorted, glob metacharacters escaped): <c>write</c> at
/// the chosen granularity for each file, <c>append</c> for each <see cref="Mergeable"/> file, leaving out the
/// <see cref="Undeclared"/> ones.
/// </param>
public sealed record SimulationTask(string Id, string Sha, long Arrival, long Duration, ImmutableArray<string> Files, ImmutableArray<string> Claims)
{
    /// <summary>
    /// The files among <see cref="Files"/> that merge mechanically (<see cref="SimulationOptions.Mergeable"/>), sorted
    /// ordinally: a concurrent change to one of them never conflicts. Default empty.
    /// </summary>
    public ImmutableArray<string> Mergeable { get; init => field = value.IsDefault ? [] : value; } = [];

    /// <summary>
    /// The files the task changes that its declared <see cref="Claims"/> do not cover, each with the claim line that
    /// would cover it and the point of the work at which the agent finds it (see
    /// <see cref="SimulationOptions.MissingClaimShare"/>), in the order found. Default empty: the claims are exact.
    /// </summary>
    public ImmutableArray<UndeclaredFile> Undeclared { get; init => field = value.IsDefault ? [] : value; } = [];

    /// <summary>
    /// Turns a history into tasks, oldest first: the newest <see cref="SimulationOptions.MaxCommits"/> commits, arrival
    /// times from <see cref="SimulationOptions.ArrivalTime"/> relative to the earliest and divided by
    /// <see cref="SimulationOptions.TimeCompression"/> (ties keep the history's order), durations from
    /// <see cref="SimulationOptions.Duration"/>. Paths that are not valid ClaimGraph paths (empty segments, <c>.</c> or
    /// <c>..</c>) or that a claim line cannot hold (control characters, leading or trailing blanks) are left out; a commit left with no path is dropped. O(total paths · log).
    /// Claims follow <see cref="SimulationOptions.Granularity"/>, <see cref="SimulationOptions.MaxClaimEntries"/>,
    /// <see cref="SimulationOptions.Mergeable"/> and <see cref="SimulationOptions.MissingClaimShare"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    public static ImmutableArray<SimulationTask> FromHistory(CommitHistory history, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        options ??= new SimulationOptions();
        options.EnsureValid();
        ImmutableArray<HistoryCommit> commits = options.MaxCommits is { } max && max < history.Commits.Length
            ? history.Commits[..max]
            : history.Commits;

        // Newest first in the history; replay oldest first, and on equal times keep git's order (older = later line).
        var order = new int[commits.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = commits.Length - 1 - i;
        }

        long TimeOf(int i) => options.ArrivalTime == ArrivalTimeSource.Author ? commits[i].AuthorTime : commits[i].Time;
        int[] sorted = [.. order.OrderBy(TimeOf)]; // OrderBy is a stable sort
        if (sorted.Length == 0)
        {
            return [];
        }

        long origin = TimeOf(sorted[0]);
        var footprints = new Footprints(options);
        var tasks = ImmutableArray.CreateBuilder<SimulationTask>(sorted.Length);
        foreach (int i in sorted)
        {
            HistoryCommit commit = commits[i];
            ImmutableArray<string> files = ValidDistinctSorted(commit.Files);
            if (files.IsEmpty)
            {
                continue;
            }

            long arrival = (long)Math.Round((TimeOf(i) - origin) * 1000.0 / options.TimeCompression, MidpointRounding.AwayFromZero);
            long duration = options.Duration.DurationMilliseconds(files.Length, SplitMix64.HashUnit(options.Seed, commit.Sha));
            string id = "t" + (tasks.Count + 1).ToString("D5", CultureInfo.InvariantCulture);
            tasks.Add(footprints.Task(id, commit.Sha, arrival, duration, files));
        }

        return tasks.ToImmutable();
    }

    /// <summary>
    /// The <c>write</c> claim lines covering <paramref name="files"/> at <paramref name="granularity"/>, or at the next
    /// coarser granularity (directory, then top-level directory) while there would be more than
    /// <paramref name="maxEntries"/> of them (<see langword="null"/>: no limit). See <see cref="SimulationOptions.MaxClaimEntries"/>.
    /// </summary>
    public static ImmutableArray<string> ClaimLines(IReadOnlyCollection<string> files, ClaimGranularity granularity, int? maxEntries)
    {
        ArgumentNullException.ThrowIfNull(files);
        ImmutableArray<string> lines = ClaimLines(files, granularity);
        while (lines.Length > maxEntries && granularity != ClaimGranularity.TopLevelDirectory)
        {
            granularity = granularity == ClaimGranularity.File ? ClaimGranularity.Directory : ClaimGranularity.TopLevelDirectory;
            lines = ClaimLines(files, granularity);
        }

        return lines;
    }

    /// <summary>
    /// The <c>write</c> claim lines covering <paramref name="files"/> at <paramref name="granularity"/>: the file itself,
    /// its directory (<c>dir/</c>, i.e. <c>dir/**</c>) or its top-level directory; a root file always claims itself.
    /// Glob metacharacters (<c>* ? [ ] { } , \ ! :</c>) are escaped so a path claims exactly itself. Distinct, sorted ordinally.
    /// </summary>
    public static ImmutableArray<string> ClaimLines(IEnumerable<string> files, ClaimGranularity granularity)
    {
        ArgumentNullException.ThrowIfNull(files);
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            int cut = granularity switch
            {
                ClaimGranularity.File => -1,
                ClaimGranularity.Directory => file.LastIndexOf('/'),
                ClaimGranularity.TopLevelDirectory => file.IndexOf('/', StringComparison.Ordinal),
                _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "unknown granularity"),
            };
            string pattern = cut < 0 ? Escape(file) : Escape(file[..cut]) + "/";
            lines.Add("write " + pattern);
        }

        return [.. lines];
    }

    /// <summary>Value equality including the file, claim, mergeable and undeclared lists.</summary>
    public bool Equals(SimulationTask? other) =>
        other is not null
        && Id == other.Id
        && Sha == other.Sha
        && Arrival == other.Arrival
        && Duration == other.Duration
        && Files.AsSpan().SequenceEqual(other.Files.AsSpan())
        && Claims.AsSpan().SequenceEqual(other.Claims.AsSpan())
        && Mergeable.AsSpan().SequenceEqual(other.Mergeable.AsSpan())
        && Undeclared.AsSpan().SequenceEqual(other.Undeclared.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Sha, Arrival, Duration);

    private static ImmutableArray<string> ValidDistinctSorted(ImmutableArray<string> paths)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            if (IsReplayable(path))
            {
                set.Add(path);
            }
        }

        return [.. set];
    }

    // A claim line is trimmed and ends at a line break, and a glob cannot escape a space: such paths cannot be claimed exactly.
    private static bool IsReplayable(string path) =>
        GlobPath.IsValid(path)
        && !char.IsWhiteSpace(path[0])
        && !char.IsWhiteSpace(path[^1])
        && !path.AsSpan().ContainsAnyInRange('\0', '\u001f');

    internal static string Escape(string path) => Glob.EscapeLiteral(path);
}
