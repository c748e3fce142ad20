namespace ClaimGraph.Postgres;

/// <summary>
/// A recorded change of the policy options a stream is kept under (see <see cref="CoordinatorOptions.OptionsChanging"/>).
/// Immutable.
/// </summary>
/// <param name="StreamId">The stream.</param>
/// <param name="Version">The stream's head version when the change was made: events after it are decided under the new options.</param>
/// <param name="OldFingerprint">The fingerprint before, or <see langword="null"/> when a stream created before schema version 3 adopted its first one.</param>
/// <param name="NewFingerprint">The fingerprint after (<c>PolicyOptions.Fingerprint</c>).</param>
/// <param name="ChangedAt">The database's clock when the change was recorded.</param>
public sealed record OptionsChange(string StreamId, long Version, string? OldFingerprint, string NewFingerprint, DateTimeOffset ChangedAt);
