using ClaimGraph.Graph;

namespace ClaimGraph.Serialization;

/// <summary>Reading the base log, the processed-event ledger and the current versions of named bases and resources.</summary>
internal sealed partial class SnapshotReader
{
    private bool ReadChanges(SnapshotDto dto)
    {
        if (dto.MergedChanges is null)
        {
            return Reject(SnapshotErrorCode.SchemaMismatch, "$.mergedChanges", "The merged changes must be an array.");
        }

        long last = long.MinValue;
        for (int i = 0; i < dto.MergedChanges.Length; i++)
        {
            string path = Path("$.mergedChanges", i);
            MergedChangeDto? change = dto.MergedChanges[i];
            if (change is null)
            {
                return Reject(SnapshotErrorCode.SchemaMismatch, path, "A merged change must be an object.");
            }

            if (!Strings(change.Paths, path + ".paths", allowEmpty: false))
            {
                return false;
            }

            if (change.Paths is null)
            {
                return Reject(SnapshotErrorCode.InvalidValue, path + ".paths", "A merged change must list its paths.");
            }

            if (change.Version <= last)
            {
                return Reject(SnapshotErrorCode.InvalidValue, path + ".version", "Merged change versions must increase.");
            }

            if (change.RunId is not null && !_runIds.Contains(change.RunId))
            {
                return Reject(SnapshotErrorCode.UnknownRun, path + ".runId", $"There is no run '{change.RunId}'.");
            }

            last = change.Version;
            _builder.AddMergedChange(new MergedChange(change.Version, [.. change.Paths], change.RunId));
        }

        if (dto.BaseVersion < _builder.BaseVersion)
        {
            return Reject(SnapshotErrorCode.InvalidValue, "$.baseVersion", "The base version cannot be below the last merged change's version.");
        }

        _builder.BaseVersion = dto.BaseVersion;
        return true;
    }

    private bool ReadProcessed(string[]? ids)
    {
        if (!Strings(ids, "$.processedEventIds", allowEmpty: true))
        {
            return false;
        }

        if (ids is null)
        {
            return Reject(SnapshotErrorCode.SchemaMismatch, "$.processedEventIds", "The processed event ids must be an array.");
        }

        foreach (string id in ids)
        {
            _builder.MarkEventProcessed(id);
        }

        return true;
    }

    private bool ReadVersions(CurrentVersionDto[]? versions, AssumptionKind kind, string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < (versions?.Length ?? 0); i++)
        {
            string at = Path(path, i);
            CurrentVersionDto? dto = versions![i];
            if (dto is null)
            {
                return Reject(SnapshotErrorCode.SchemaMismatch, at, "A current version must be an object.");
            }

            if (string.IsNullOrEmpty(dto.Subject) || string.IsNullOrEmpty(dto.Version) || string.IsNullOrEmpty(dto.EventId))
            {
                return Reject(SnapshotErrorCode.InvalidValue, at, "A current version needs a non-empty subject, version and event id.");
            }

            if (!seen.Add(dto.Subject))
            {
                return Reject(SnapshotErrorCode.DuplicateId, at + ".subject", $"'{dto.Subject}' has another current version already.");
            }

            _builder.SetCurrentVersion(kind, dto.Subject, new CurrentVersion(dto.Version, dto.EventId));
        }

        return true;
    }
}
