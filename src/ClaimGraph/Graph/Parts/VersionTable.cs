using System.Collections.Immutable;

namespace ClaimGraph.Graph;

/// <summary>The version a named base or resource was last moved to, and the event that moved it.</summary>
/// <param name="Version">The revision or version (text, compared ordinally).</param>
/// <param name="EventId">The id of the <c>NamedBaseAdvanced</c> or <c>ResourceChanged</c> event that set it.</param>
internal sealed record CurrentVersion(string Version, string EventId);

/// <summary>
/// The current revision of every named base and the current version of every resource that an event moved, by subject
/// in ordinal order. A persistent part of <see cref="WorkGraph"/>: every update returns a new table that shares
/// structure with this one. Subjects no event named are absent (their state is unknown).
/// </summary>
internal sealed class VersionTable
{
    private static readonly ImmutableSortedDictionary<string, CurrentVersion> None =
        ImmutableSortedDictionary.Create<string, CurrentVersion>(StringComparer.Ordinal);

    /// <summary>No base or resource moved yet.</summary>
    public static readonly VersionTable Empty = new(None, None);

    private VersionTable(ImmutableSortedDictionary<string, CurrentVersion> bases, ImmutableSortedDictionary<string, CurrentVersion> resources)
    {
        Bases = bases;
        Resources = resources;
    }

    /// <summary>The named bases by name (ordinal).</summary>
    public ImmutableSortedDictionary<string, CurrentVersion> Bases { get; }

    /// <summary>The resources by subject (ordinal).</summary>
    public ImmutableSortedDictionary<string, CurrentVersion> Resources { get; }

    /// <summary>Whether no base or resource is known.</summary>
    public bool IsEmpty => Bases.IsEmpty && Resources.IsEmpty;

    /// <summary>The table of <paramref name="kind"/>.</summary>
    public ImmutableSortedDictionary<string, CurrentVersion> Of(AssumptionKind kind) => kind == AssumptionKind.Base ? Bases : Resources;

    /// <summary>The table with <paramref name="subject"/> of <paramref name="kind"/> at <paramref name="current"/>; this table when it already is.</summary>
    public VersionTable With(AssumptionKind kind, string subject, CurrentVersion current)
    {
        ImmutableSortedDictionary<string, CurrentVersion> table = Of(kind);
        if (table.TryGetValue(subject, out CurrentVersion? old) && old.Equals(current))
        {
            return this;
        }

        table = table.SetItem(subject, current);
        return kind == AssumptionKind.Base ? new VersionTable(table, Resources) : new VersionTable(Bases, table);
    }

    /// <summary>Equality of the content.</summary>
    public bool ContentEquals(VersionTable other) => Same(Bases, other.Bases) && Same(Resources, other.Resources);

    /// <summary>Adds the content to <paramref name="hash"/>, consistent with <see cref="ContentEquals"/>.</summary>
    public void AddContentHash(ref HashCode hash)
    {
        foreach (KeyValuePair<string, CurrentVersion> kv in Bases)
        {
            hash.Add(kv.Key, StringComparer.Ordinal);
            hash.Add(kv.Value);
        }

        hash.Add(Bases.Count);
        foreach (KeyValuePair<string, CurrentVersion> kv in Resources)
        {
            hash.Add(kv.Key, StringComparer.Ordinal);
            hash.Add(kv.Value);
        }
    }

    private static bool Same(ImmutableSortedDictionary<string, CurrentVersion> a, ImmutableSortedDictionary<string, CurrentVersion> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (KeyValuePair<string, CurrentVersion> kv in a)
        {
            if (!b.TryGetValue(kv.Key, out CurrentVersion? other) || !kv.Value.Equals(other))
            {
                return false;
            }
        }

        return true;
    }
}
