using ClaimGraph.Graph;
using ClaimGraph.Serialization;

namespace ClaimGraph.Postgres;

/// <summary>A stored snapshot: the stream's graph after its first <see cref="Version"/> events. Immutable.</summary>
/// <param name="StreamId">The stream.</param>
/// <param name="Version">The stream version the graph is at (0 is the empty graph).</param>
/// <param name="Format">The row format: the <see cref="WorkGraphSnapshot.CurrentVersion"/> of the writer.</param>
/// <param name="Json">The graph as written by <see cref="WorkGraphSnapshot.Save(WorkGraph, bool, string?)"/> (with the writer's policy options fingerprint since schema version 3).</param>
/// <param name="CreatedAt">The database's clock when the snapshot was written.</param>
/// <param name="Chain">The log's digest at <paramref name="Version"/> (see <see cref="LoggedEvent.Chain"/>): the snapshot belongs to the history with this digest.</param>
public sealed record StoredSnapshot(string StreamId, long Version, int Format, string Json, DateTimeOffset CreatedAt, string Chain)
{
    /// <summary>Loads the graph, whatever policy options it records. See <see cref="Load(SnapshotLoadOptions)"/>.</summary>
    /// <exception cref="ClaimLogException">As <see cref="Load(SnapshotLoadOptions)"/>.</exception>
    public WorkGraph Load() => Load(SnapshotLoadOptions.Default);

    /// <summary>
    /// Loads the graph with <paramref name="options"/>: set <see cref="SnapshotLoadOptions.ExpectedOptionsFingerprint"/>
    /// to refuse a snapshot written under other policy options.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ClaimLogException">
    /// <see cref="ClaimLogErrorCode.UnknownSnapshotFormat"/> when the row format or the JSON's version is not one this
    /// version reads; <see cref="ClaimLogErrorCode.MalformedSnapshot"/> when the JSON does not load (the inner
    /// <see cref="WorkGraphSnapshotException"/> says where and why); <see cref="ClaimLogErrorCode.OptionsMismatch"/> when
    /// it records other policy options (or none) than <paramref name="options"/> expects.
    /// </exception>
    public WorkGraph Load(SnapshotLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Format < 1 || Format > WorkGraphSnapshot.CurrentVersion)
        {
            throw new ClaimLogException(
                ClaimLogErrorCode.UnknownSnapshotFormat,
                $"the snapshot has row format {Format}; this version reads formats 1 to {WorkGraphSnapshot.CurrentVersion}",
                StreamId,
                Version,
                "upgrade ClaimGraph.Postgres on this replica",
                null);
        }

        if (WorkGraphSnapshot.TryLoad(Json, options, out WorkGraph? graph, out SnapshotError? error))
        {
            return graph;
        }

        if (error.Code == SnapshotErrorCode.OptionsMismatch)
        {
            throw new ClaimLogException(
                ClaimLogErrorCode.OptionsMismatch,
                "the snapshot was written under other policy options: " + error,
                StreamId,
                Version,
                "open with the stream's policy options, or with CoordinatorOptions.OptionsChanging to change them on purpose",
                new WorkGraphSnapshotException(error));
        }

        bool unknown = error.Code is SnapshotErrorCode.UnsupportedVersion or SnapshotErrorCode.MissingVersion;
        throw new ClaimLogException(
            unknown ? ClaimLogErrorCode.UnknownSnapshotFormat : ClaimLogErrorCode.MalformedSnapshot,
            "the snapshot does not load: " + error,
            StreamId,
            Version,
            unknown ? "upgrade ClaimGraph.Postgres on this replica" : "delete the snapshot row; the events rebuild the graph",
            new WorkGraphSnapshotException(error));
    }
}
