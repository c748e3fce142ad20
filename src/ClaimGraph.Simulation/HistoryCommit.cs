using System.Collections.Immutable;

namespace ClaimGraph.Simulation;

/// <summary>
/// One commit of a history, as the corpus format holds it: its id, committer and author times (Unix seconds, UTC)
/// and the paths it touched relative to its first parent (renames as both paths). Immutable.
/// </summary>
/// <param name="Sha">The commit id (any non-empty text; a full 40-hex id for real histories).</param>
/// <param name="Time">Committer date, Unix seconds.</param>
/// <param name="AuthorTime">Author date, Unix seconds.</param>
/// <param name="Files">The touched paths, never empty, in the order the source gave them.</param>
public sealed record HistoryCommit(string Sha, long Time, long AuthorTime, ImmutableArray<string> Files)
{
    /// <summary>Number of parents (1 for the non-merge commits the simulator replays). Default 1.</summary>
    public int Parents { get; init; } = 1;

    /// <summary>Value equality including the file list (a record compares arrays by reference otherwise).</summary>
    public bool Equals(HistoryCommit? other) =>
        other is not null
        && Sha == other.Sha
        && Time == other.Time
        && AuthorTime == other.AuthorTime
        && Parents == other.Parents
        && Files.AsSpan().SequenceEqual(other.Files.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Sha, Time, AuthorTime, Files.Length);
}
