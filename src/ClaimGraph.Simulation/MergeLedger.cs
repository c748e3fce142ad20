using System.Collections.Immutable;

namespace ClaimGraph.Simulation;

/// <summary>
/// The main branch as the simulator sees it: a version counter (one per merge) and, per file, the version that last
/// changed it. A task merging with base <c>b</c> conflicts when one of its files changed after <c>b</c> — the
/// file-level test every policy is measured by, whatever granularity its claims had.
/// </summary>
internal sealed class MergeLedger
{
    private readonly Dictionary<string, long> _lastChange = new(StringComparer.Ordinal);

    /// <summary>The number of merges so far (= the current base version).</summary>
    public long Version { get; private set; }

    public bool ChangedSince(ImmutableArray<string> files, long baseVersion)
    {
        foreach (string file in files)
        {
            if (_lastChange.TryGetValue(file, out long version) && version > baseVersion)
            {
                return true;
            }
        }

        return false;
    }

    public long Merge(ImmutableArray<string> files)
    {
        Version++;
        foreach (string file in files)
        {
            _lastChange[file] = Version;
        }

        return Version;
    }
}
