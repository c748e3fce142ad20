using System.Collections.Immutable;
using System.Text;

namespace ClaimGraph.Graph;

/// <summary>
/// A work item (an issue): an ordinal string id, a revision, a status, labels and a priority. Its dependencies live
/// in the <see cref="WorkGraph"/>. Immutable; equality is structural (labels compare as sets).
/// </summary>
/// <remarks>
/// The graph stores what it is given: whoever changes an item's scope or state (the policy) bumps
/// <see cref="Revision"/>. A higher <see cref="Priority"/> is more urgent.
/// </remarks>
public sealed record WorkItem
{
    /// <summary>Creates an open item with revision 0, no labels and priority 0.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty.</exception>
    public WorkItem(string id) => Id = id;

    /// <summary>The item's id: a non-empty string, compared ordinally.</summary>
    /// <exception cref="ArgumentException">Set to null or empty.</exception>
    public string Id
    {
        get;
        init => field = GraphIds.Require(value, nameof(Id));
    }

    /// <summary>The item's revision, bumped whenever its scope or state changes. Never negative; 0 by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative number.</exception>
    public long Revision
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(Revision));
            field = value;
        }
    }

    /// <summary>The item's status; <see cref="WorkItemStatus.Open"/> by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to an undefined value.</exception>
    public WorkItemStatus Status
    {
        get;
        init => field = value is WorkItemStatus.Open or WorkItemStatus.Done or WorkItemStatus.Abandoned
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Status), value, "Not a defined work item status.");
    }

    /// <summary>The item's labels, ordinally sorted (any comparer given is replaced by the ordinal one). Empty by default.</summary>
    /// <exception cref="ArgumentNullException">Set to null or to a set containing null.</exception>
    public ImmutableSortedSet<string> Labels
    {
        get;
        init => field = Structural.Ids(value ?? throw new ArgumentNullException(nameof(Labels)));
    } = Structural.EmptyIds;

    /// <summary>The item's priority; higher is more urgent. 0 by default.</summary>
    public int Priority { get; init; }

    /// <summary>Structural equality: id, revision, status, labels and priority.</summary>
    public bool Equals(WorkItem? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (string.Equals(Id, other.Id, StringComparison.Ordinal)
                && Revision == other.Revision
                && Status == other.Status
                && Priority == other.Priority
                && Structural.SetEqual(Labels, other.Labels)));

    /// <summary>A hash consistent with <see cref="Equals(WorkItem?)"/>.</summary>
    public override int GetHashCode() =>
        HashCode.Combine(StringComparer.Ordinal.GetHashCode(Id), Revision, Status, Priority, Structural.SetHash(Labels));

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id)
            .Append(", Revision = ").Append(Revision)
            .Append(", Status = ").Append(Status)
            .Append(", Labels = [").AppendJoin(", ", Labels).Append(']')
            .Append(", Priority = ").Append(Priority);
        return true;
    }
}
