using System.Collections.Immutable;
using System.Text;

namespace ClaimGraph.Graph;

/// <summary>
/// A change merged into the base: the base version it produced, the paths it changed, and the run that made it
/// (<see langword="null"/> for an outside change). Immutable; equality is structural.
/// </summary>
public sealed class MergedChange : IEquatable<MergedChange>
{
    /// <summary>Creates an entry.</summary>
    /// <param name="version">The base version the change produced.</param>
    /// <param name="paths">The changed paths, as given (order kept).</param>
    /// <param name="runId">The run that made the change, or <see langword="null"/> for an outside change.</param>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> contains null.</exception>
    public MergedChange(long version, ImmutableArray<string> paths, string? runId)
    {
        Version = version;
        Paths = Structural.Normalize(paths, nameof(paths));
        RunId = runId;
    }

    /// <summary>The base version the change produced.</summary>
    public long Version { get; }

    /// <summary>The changed paths, in the order given. Never default.</summary>
    public ImmutableArray<string> Paths { get; }

    /// <summary>The run that made the change, or <see langword="null"/> for an outside change.</summary>
    public string? RunId { get; }

    /// <summary>Structural equality.</summary>
    public bool Equals(MergedChange? other) =>
        other is not null
        && Version == other.Version
        && string.Equals(RunId, other.RunId, StringComparison.Ordinal)
        && Structural.ArrayEqual(Paths, other.Paths);

    /// <summary>A hash consistent with <see cref="Equals(MergedChange?)"/>.</summary>
    public override int GetHashCode() =>
        HashCode.Combine(Version, RunId is null ? 0 : StringComparer.Ordinal.GetHashCode(RunId), Structural.ArrayHash(Paths));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MergedChange);

    /// <summary>Structural equality (see <see cref="Equals(MergedChange?)"/>).</summary>
    public static bool operator ==(MergedChange? left, MergedChange? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Structural inequality (see <see cref="Equals(MergedChange?)"/>).</summary>
    public static bool operator !=(MergedChange? left, MergedChange? right) => !(left == right);

    /// <summary>Every property, as <c>MergedChange { Name = value, … }</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder("MergedChange { ");
        PrintMembers(builder);
        return builder.Append(" }").ToString();
    }

    private void PrintMembers(StringBuilder builder)
    {
        builder.Append("Version = ").Append(Version)
            .Append(", Paths = [").AppendJoin(", ", Paths).Append(']')
            .Append(", RunId = ").Append(RunId);
    }
}
