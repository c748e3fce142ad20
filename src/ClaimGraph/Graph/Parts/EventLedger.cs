using System.Collections.Immutable;

namespace ClaimGraph.Graph;

/// <summary>
/// The ids of the events already applied, for idempotency (ordinal order). A persistent part of
/// <see cref="WorkGraph"/>: marking an event returns a new ledger that shares structure with this one.
/// </summary>
internal sealed class EventLedger
{
    /// <summary>No events applied.</summary>
    public static readonly EventLedger Empty = new(Structural.EmptyIds);

    private EventLedger(ImmutableSortedSet<string> ids) => Ids = ids;

    /// <summary>The ids of the events applied.</summary>
    public ImmutableSortedSet<string> Ids { get; }

    /// <summary>Makes a ledger from bulk content.</summary>
    public static EventLedger Create(ImmutableSortedSet<string> ids) => new(ids);

    public bool Contains(string eventId) => Ids.Contains(eventId);

    /// <summary>The ledger with <paramref name="eventId"/> applied; this ledger when it already was.</summary>
    public EventLedger Mark(string eventId) => Ids.Contains(eventId) ? this : new EventLedger(Ids.Add(eventId));

    /// <summary>Equality of the content.</summary>
    public bool ContentEquals(EventLedger other) => Ids.Count == other.Ids.Count && Structural.SetEqual(Ids, other.Ids);
}
