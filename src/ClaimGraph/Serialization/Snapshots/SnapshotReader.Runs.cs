using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;

namespace ClaimGraph.Serialization;

/// <summary>Reading the run table: runs, their claims, history and upstream revisions.</summary>
internal sealed partial class SnapshotReader
{
    private bool ReadRuns(RunDto[]? runs)
    {
        if (runs is null)
        {
            return Reject(SnapshotErrorCode.SchemaMismatch, "$.runs", "The runs must be an array.");
        }

        for (int i = 0; i < runs.Length; i++)
        {
            string path = Path("$.runs", i);
            RunDto? dto = runs[i];
            if (dto is null)
            {
                return Reject(SnapshotErrorCode.SchemaMismatch, path, "A run must be an object.");
            }

            if (!Id(dto.Id, path + ".id") || !Id(dto.WorkItemId, path + ".workItemId") || !Defined(dto.Status, path + ".status"))
            {
                return false;
            }

            if (!_runIds.Add(dto.Id))
            {
                return Reject(SnapshotErrorCode.DuplicateId, path + ".id", $"Another run already has the id '{dto.Id}'.");
            }

            if (!_itemIds.Contains(dto.WorkItemId))
            {
                return Reject(SnapshotErrorCode.UnknownWorkItem, path + ".workItemId", $"There is no work item '{dto.WorkItemId}'.", "List the run's work item under workItems.");
            }

            if (dto.Failures < 0)
            {
                return Reject(SnapshotErrorCode.InvalidValue, path + ".failures", "Failures are never negative.");
            }

            if (dto.Bypasses < 0)
            {
                return Reject(SnapshotErrorCode.InvalidValue, path + ".bypasses", "Bypasses are never negative.");
            }

            if (dto.Attempt < 1 || dto.FencingToken < 0)
            {
                return Reject(SnapshotErrorCode.InvalidValue, path + (dto.Attempt < 1 ? ".attempt" : ".fencingToken"), "Attempts start at 1 and fencing tokens are never negative.");
            }

            ClaimSet? claims = ReadClaimsOnce(dto, path);
            ImmutableList<RunHistoryEntry>? history = ReadHistory(dto.History, path + ".history");
            ImmutableSortedDictionary<string, long>? revisions = ReadRevisions(dto.AdmittedUpstreamRevisions, path + ".admittedUpstreamRevisions");
            if (claims is null || history is null || revisions is null)
            {
                return false;
            }

            if (AssumptionDto.Read(dto.Assumptions) is not { } assumptions)
            {
                _ = Fail<object>(SnapshotErrorCode.InvalidValue, path + ".assumptions", "An assumption needs a kind, a subject and a version, and once broken both its actual version and the event that broke it.");
                return false;
            }

            _builder.AddRun(new Run(dto.Id, dto.WorkItemId, claims)
            {
                Attempt = dto.Attempt,
                Priority = dto.Priority,
                RequestedAt = dto.RequestedAt,
                Status = dto.Status,
                NotBefore = dto.NotBefore,
                ReservesPlace = dto.ReservesPlace,
                Bypasses = dto.Bypasses ?? 0,
                LastBypassedBy = dto.LastBypassedBy,
                AdmittedBase = dto.AdmittedBase,
                AdmittedUpstreamRevisions = revisions,
                WorkspaceKey = dto.WorkspaceKey,
                Failures = dto.Failures,
                PreviousRunId = dto.PreviousRunId,
                LeaseExpiresAt = dto.LeaseExpiresAt,
                FencingToken = dto.FencingToken,
                History = history,
                Assumptions = assumptions,
            });
        }

        return true;
    }

    private ClaimSet? ReadClaimsOnce(RunDto dto, string path)
    {
        if (dto.Claims is not null && _claims.TryGetValue((dto.Claims, dto.ClaimsIgnoreCase), out ClaimSet? known))
        {
            return known;
        }

        ClaimSet? claims = ReadClaims(dto, path);
        if (claims is not null)
        {
            _claims[(dto.Claims!, dto.ClaimsIgnoreCase)] = claims;
        }

        return claims;
    }

    private ClaimSet? ReadClaims(RunDto dto, string path)
    {
        if (dto.Claims is null)
        {
            return Fail<ClaimSet>(SnapshotErrorCode.InvalidValue, path + ".claims", "The claims must be a string (empty for a run that declares none).");
        }

        string? mask = dto.ClaimsIgnoreCase;
        if (mask is null || mask == "1")
        {
            GlobOptions options = mask is null ? GlobOptions.None : GlobOptions.IgnoreCase;
            return ClaimSet.TryParse(dto.Claims, options, out ClaimSet? claims, out ClaimSetError? error)
                ? claims
                : Fail<ClaimSet>(SnapshotErrorCode.InvalidClaims, path + ".claims", "The claim set does not parse: " + error, error.Hint);
        }

        // Mixed options: one line at a time, each with its own flag.
        string[] lines = dto.Claims.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length != mask.Length || mask.AsSpan().IndexOfAnyExcept('0', '1') >= 0)
        {
            return Fail<ClaimSet>(SnapshotErrorCode.InvalidValue, path + ".claimsIgnoreCase", "The ignore-case mask must have one 0 or 1 per claim line.");
        }

        var entries = new List<ClaimEntry>();
        var exclusions = new List<Glob>();
        for (int k = 0; k < lines.Length; k++)
        {
            GlobOptions options = mask[k] == '1' ? GlobOptions.IgnoreCase : GlobOptions.None;
            string line = lines[k];
            if (line.StartsWith('!'))
            {
                if (!Glob.TryParse(line[1..], options, out Glob? glob, out GlobError? globError))
                {
                    return Fail<ClaimSet>(SnapshotErrorCode.InvalidClaims, path + ".claims", "An exclusion does not parse: " + globError, globError.Hint);
                }

                exclusions.Add(glob);
            }
            else if (ClaimSet.TryParse(line, options, out ClaimSet? single, out ClaimSetError? error) && single.Entries.Length == 1)
            {
                entries.Add(single.Entries[0]);
            }
            else
            {
                return Fail<ClaimSet>(SnapshotErrorCode.InvalidClaims, path + ".claims", "A claim line does not parse: " + (error?.ToString() ?? line));
            }
        }

        return entries.Count == 0
            ? Fail<ClaimSet>(SnapshotErrorCode.InvalidClaims, path + ".claims", "A claim set with exclusions needs at least one entry.")
            : ClaimSet.Create(entries, exclusions);
    }

    private ImmutableList<RunHistoryEntry>? ReadHistory(HistoryEntryDto[]? entries, string path)
    {
        if (entries is null)
        {
            return [];
        }

        ImmutableList<RunHistoryEntry>.Builder history = ImmutableList.CreateBuilder<RunHistoryEntry>();
        for (int i = 0; i < entries.Length; i++)
        {
            string at = Path(path, i);
            HistoryEntryDto? dto = entries[i];
            if (dto is null || dto.EventId is null || dto.Message is null)
            {
                return Fail<ImmutableList<RunHistoryEntry>>(SnapshotErrorCode.InvalidValue, at, "A history entry needs an event id and a message.");
            }

            if (!Defined(dto.Kind, at + ".kind") || !Defined(dto.Reason, at + ".reason") || !Strings(dto.RelatedRunIds, at + ".relatedRunIds", allowEmpty: false))
            {
                return null;
            }

            history.Add(new RunHistoryEntry(dto.EventId, dto.At, dto.Kind, dto.Reason, dto.Message)
            {
                RelatedRunIds = dto.RelatedRunIds is null ? [] : [.. dto.RelatedRunIds],
                WitnessPath = dto.WitnessPath,
                Sequence = dto.Sequence,
            });
        }

        return history.ToImmutable();
    }

    private ImmutableSortedDictionary<string, long>? ReadRevisions(Dictionary<string, long>? revisions, string path)
    {
        if (revisions is null || revisions.Count == 0)
        {
            return Structural.NoRevisions;
        }

        ImmutableSortedDictionary<string, long>.Builder result = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, long> entry in revisions)
        {
            if (entry.Key.Length == 0 || entry.Value < 0)
            {
                return Fail<ImmutableSortedDictionary<string, long>>(SnapshotErrorCode.InvalidValue, path, "Upstream revisions map non-empty item ids to revisions that are not negative.");
            }

            result[entry.Key] = entry.Value;
        }

        return result.ToImmutable();
    }
}
