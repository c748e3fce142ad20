namespace ClaimGraph.Simulation;

/// <summary>
/// The main branch as the simulator sees it: a version counter (one per merge) and, per file, the version that last
/// changed it and the latest-arriving task merged on it. A task merging with base <c>b</c> conflicts when one of its
/// exclusive files (not <see cref="SimulationTask.Mergeable"/>) changed after <c>b</c> — the file-level test every
/// policy is measured by, whatever its claims were.
/// </summary>
internal sealed class MergeLedger
{
    private readonly Dictionary<string, (long Version, int LatestTask)> _files = new(StringComparer.Ordinal);

    /// <summary>The number of merges so far (= the current base version).</summary>
    public long Version { get; private set; }

    public bool ChangedSince(SimulationTask task, long baseVersion)
    {
        foreach (string file in task.Files)
        {
            if (IsExclusive(task, file) && _files.TryGetValue(file, out var state) && state.Version > baseVersion)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Merges task number <paramref name="taskIndex"/> (its place in arrival order) and returns the new version;
    /// <paramref name="outOfOrder"/> tells whether a task that arrived later had already changed one of its exclusive files.
    /// </summary>
    public long Merge(SimulationTask task, int taskIndex, out bool outOfOrder)
    {
        Version++;
        outOfOrder = false;
        foreach (string file in task.Files)
        {
            if (!IsExclusive(task, file))
            {
                continue;
            }

            int latest = taskIndex;
            if (_files.TryGetValue(file, out var state))
            {
                outOfOrder |= state.LatestTask > taskIndex;
                latest = Math.Max(latest, state.LatestTask);
            }

            _files[file] = (Version, latest);
        }

        return Version;
    }

    /// <summary>Whether a concurrent change to <paramref name="file"/> conflicts (it is not mergeable).</summary>
    public static bool IsExclusive(SimulationTask task, string file) =>
        task.Mergeable.IsEmpty || task.Mergeable.AsSpan().BinarySearch(file, StringComparer.Ordinal) < 0;
}
