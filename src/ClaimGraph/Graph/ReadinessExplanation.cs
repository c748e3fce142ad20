using System.Collections.Immutable;
using System.Text;

namespace ClaimGraph.Graph;

/// <summary>What keeps a work item from being ready. The numbers are part of the public contract.</summary>
public enum ReadinessBlockerKind
{
    /// <summary>The work item itself is not in the graph.</summary>
    WorkItemUnknown = 1,

    /// <summary>The work item is <see cref="WorkItemStatus.Done"/> or <see cref="WorkItemStatus.Abandoned"/>.</summary>
    WorkItemNotOpen = 2,

    /// <summary>A run of the work item is active.</summary>
    RunActive = 3,

    /// <summary>A work item it depends on (directly or through others) is still open.</summary>
    DependencyOpen = 4,

    /// <summary>A work item it depends on (directly or through others) was abandoned.</summary>
    DependencyAbandoned = 5,

    /// <summary>A work item it depends on (directly or through others) is not in the graph.</summary>
    DependencyUnknown = 6,
}

/// <summary>
/// One thing that keeps a work item from being ready. Immutable.
/// </summary>
public sealed class ReadinessBlocker
{
    internal ReadinessBlocker(ReadinessBlockerKind kind, string id, WorkItemStatus? status, ImmutableArray<string> path)
    {
        Kind = kind;
        Id = id;
        Status = status;
        Path = path;
    }

    /// <summary>What kind of blocker this is.</summary>
    public ReadinessBlockerKind Kind { get; }

    /// <summary>The blocking work item, or the active run's id for <see cref="ReadinessBlockerKind.RunActive"/>.</summary>
    public string Id { get; }

    /// <summary>The blocking work item's status; <see langword="null"/> for unknown items and active runs.</summary>
    public WorkItemStatus? Status { get; }

    /// <summary>
    /// For a dependency blocker: the shortest chain of dependencies from the explained item to the blocker, each
    /// element depending on the next (the first is a direct dependency; the last is <see cref="Id"/>). Empty for
    /// blockers on the item itself.
    /// </summary>
    public ImmutableArray<string> Path { get; }

    /// <summary>Whether the blocker is the item itself, one of its runs, or a direct dependency.</summary>
    public bool IsDirect => Path.Length <= 1;

    /// <summary>A one-line description, e.g. <c>DependencyOpen 'b' via 'a' -&gt; 'b'</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder().Append(Kind).Append(" '").Append(Id).Append('\'');
        if (Path.Length > 1)
        {
            text.Append(" via '").AppendJoin("' -> '", Path).Append('\'');
        }

        return text.ToString();
    }
}

/// <summary>
/// Why a work item is or is not ready (a beads-style explain): every blocker, item-level ones first, then
/// dependencies in breadth-first order (nearest first, ties ordinal). Immutable.
/// </summary>
public sealed class ReadinessExplanation
{
    internal ReadinessExplanation(string workItemId, ImmutableArray<ReadinessBlocker> blockers)
    {
        WorkItemId = workItemId;
        Blockers = blockers;
    }

    /// <summary>The explained work item.</summary>
    public string WorkItemId { get; }

    /// <summary>Whether the item is ready: known, open, every dependency done and no run active.</summary>
    public bool IsReady => Blockers.IsEmpty;

    /// <summary>
    /// Every blocker: the item itself (unknown, not open), its active runs, and every work item in its dependency
    /// closure that is not done (dependencies of done items are not followed; they no longer matter).
    /// </summary>
    public ImmutableArray<ReadinessBlocker> Blockers { get; }

    /// <summary>"'id' is ready", or "'id' is not ready:" followed by one blocker per line.</summary>
    public override string ToString()
    {
        if (IsReady)
        {
            return $"'{WorkItemId}' is ready";
        }

        var text = new StringBuilder().Append('\'').Append(WorkItemId).Append("' is not ready:");
        foreach (ReadinessBlocker b in Blockers)
        {
            text.Append("\n  ").Append(b);
        }

        return text.ToString();
    }
}
