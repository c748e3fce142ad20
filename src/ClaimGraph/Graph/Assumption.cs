namespace ClaimGraph.Graph;

/// <summary>What kind of state a run assumes (see <see cref="Assumption"/>).</summary>
public enum AssumptionKind
{
    /// <summary>A named base (a branch such as <c>release/1.2</c>) at a revision; it breaks when that base moves and changes a path the run covers.</summary>
    Base = 1,

    /// <summary>A namespaced resource (<c>schema:billing</c>, <c>artifact:build/app.dll</c>) at a version; it breaks when the resource changes to another version.</summary>
    Resource = 2,
}

/// <summary>
/// State a run declared it assumes, beside its claims: a named base at a revision, or a resource at a version. While
/// the assumption holds, <see cref="BrokenByEventId"/> and <see cref="ActualVersion"/> are <see langword="null"/>;
/// once an event moved the state under the run, they say which event and to what (the run is then cancelled with
/// <see cref="ReasonCode.AssumptionBroken"/>). Immutable; equality is structural and ordinal.
/// </summary>
public sealed class Assumption : IEquatable<Assumption>
{
    /// <summary>Creates an assumption that holds.</summary>
    /// <param name="kind">A named base or a resource.</param>
    /// <param name="subject">The base's name (<c>release/1.2</c>) or the resource (<c>schema:billing</c>).</param>
    /// <param name="version">The revision or version the run expects (text, compared ordinally: a commit, <c>v42</c>, a digest).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not defined.</exception>
    /// <exception cref="ArgumentException"><paramref name="subject"/> or <paramref name="version"/> is null or empty.</exception>
    public Assumption(AssumptionKind kind, string subject, string version)
    {
        Kind = kind is AssumptionKind.Base or AssumptionKind.Resource
            ? kind
            : throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a defined assumption kind.");
        Subject = GraphIds.Require(subject, nameof(subject));
        Version = GraphIds.Require(version, nameof(version));
    }

    /// <summary>A named base or a resource.</summary>
    public AssumptionKind Kind { get; }

    /// <summary>The base's name or the resource (<c>namespace:path</c>).</summary>
    public string Subject { get; }

    /// <summary>The revision or version the run expects.</summary>
    public string Version { get; }

    /// <summary>The version the state moved to when the assumption broke, or <see langword="null"/> while it holds.</summary>
    public string? ActualVersion { get; init; }

    /// <summary>The id of the event that broke the assumption, or <see langword="null"/> while it holds.</summary>
    public string? BrokenByEventId { get; init; }

    /// <summary>Whether the assumption still holds (no event broke it).</summary>
    public bool Holds => BrokenByEventId is null;

    /// <summary>This assumption, broken by event <paramref name="eventId"/> which moved the state to <paramref name="actualVersion"/>.</summary>
    public Assumption BrokenBy(string eventId, string actualVersion) => new(Kind, Subject, Version) { BrokenByEventId = eventId, ActualVersion = actualVersion };

    /// <summary>The text form: <c>base release/1.2@4f1c2e0</c> or <c>schema:billing@v42</c>, with <c> (broken by e7: v43)</c> once broken.</summary>
    public override string ToString() =>
        (Kind == AssumptionKind.Base ? "base " : string.Empty) + Subject + "@" + Version
        + (Holds ? string.Empty : $" (broken by {BrokenByEventId}: {ActualVersion})");

    /// <summary>Ordinal equality of every property.</summary>
    public bool Equals(Assumption? other) =>
        other is not null
        && Kind == other.Kind
        && string.Equals(Subject, other.Subject, StringComparison.Ordinal)
        && string.Equals(Version, other.Version, StringComparison.Ordinal)
        && string.Equals(ActualVersion, other.ActualVersion, StringComparison.Ordinal)
        && string.Equals(BrokenByEventId, other.BrokenByEventId, StringComparison.Ordinal);

    /// <summary>A hash consistent with <see cref="Equals(Assumption?)"/>.</summary>
    public override int GetHashCode() =>
        HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(Subject), StringComparer.Ordinal.GetHashCode(Version), BrokenByEventId is null ? 0 : StringComparer.Ordinal.GetHashCode(BrokenByEventId));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Assumption);

    /// <summary>Structural equality (see <see cref="Equals(Assumption?)"/>).</summary>
    public static bool operator ==(Assumption? left, Assumption? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Structural inequality (see <see cref="Equals(Assumption?)"/>).</summary>
    public static bool operator !=(Assumption? left, Assumption? right) => !(left == right);
}
