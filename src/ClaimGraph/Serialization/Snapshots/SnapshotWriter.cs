using System.Collections.Immutable;
using System.Text;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;

namespace ClaimGraph.Serialization;

/// <summary>Turns a graph into the snapshot's JSON shape (<see cref="SnapshotDto"/>), part by part, every list in ordinal order.</summary>
internal static class SnapshotWriter
{
    public static SnapshotDto ToDto(WorkGraph graph, string? optionsFingerprint = null)
    {
        var items = new WorkItemDto[graph.WorkItemCount];
        int i = 0;
        foreach (WorkItem item in graph.WorkItems.Values)
        {
            ImmutableSortedSet<string> deps = graph.DependenciesOf(item.Id);
            items[i++] = new WorkItemDto
            {
                Id = item.Id,
                Revision = item.Revision,
                Status = item.Status,
                Priority = item.Priority,
                Labels = item.Labels.IsEmpty ? null : [.. item.Labels],
                DependsOn = deps.IsEmpty ? null : [.. deps],
            };
        }

        var runs = new RunDto[graph.RunCount];
        i = 0;
        foreach (Run run in graph.Runs.Values)
        {
            runs[i++] = ToDto(run);
        }

        var changes = new MergedChangeDto[graph.MergedChanges.Count];
        i = 0;
        foreach (MergedChange change in graph.MergedChanges)
        {
            changes[i++] = new MergedChangeDto { Version = change.Version, Paths = [.. change.Paths], RunId = change.RunId };
        }

        return new SnapshotDto
        {
            Format = WorkGraphSnapshot.FormatName,
            Version = WorkGraphSnapshot.CurrentVersion,
            OptionsFingerprint = optionsFingerprint,
            BaseVersion = graph.BaseVersion,
            Now = graph.Now,
            NextFencingToken = graph.NextFencingToken,
            WorkItems = items,
            Runs = runs,
            MergedChanges = changes,
            ProcessedEventIds = [.. graph.ProcessedEventIds],
            NamedBases = ToDto(graph.Versions.Bases),
            Resources = ToDto(graph.Versions.Resources),
        };
    }

    /// <summary>Null when empty, so snapshots of graphs without assumption events read and write as before.</summary>
    private static CurrentVersionDto[]? ToDto(ImmutableSortedDictionary<string, CurrentVersion> table)
    {
        if (table.IsEmpty)
        {
            return null;
        }

        var result = new CurrentVersionDto[table.Count];
        int i = 0;
        foreach (KeyValuePair<string, CurrentVersion> kv in table)
        {
            result[i++] = new CurrentVersionDto { Subject = kv.Key, Version = kv.Value.Version, EventId = kv.Value.EventId };
        }

        return result;
    }

    private static RunDto ToDto(Run run)
    {
        Dictionary<string, long>? revisions = null;
        if (!run.AdmittedUpstreamRevisions.IsEmpty)
        {
            // Inserted in ordinal order, which a dictionary without removals keeps when enumerated.
            revisions = new Dictionary<string, long>(run.AdmittedUpstreamRevisions.Count, StringComparer.Ordinal);
            foreach (KeyValuePair<string, long> entry in run.AdmittedUpstreamRevisions)
            {
                revisions.Add(entry.Key, entry.Value);
            }
        }

        HistoryEntryDto[]? history = null;
        if (!run.History.IsEmpty)
        {
            history = new HistoryEntryDto[run.History.Count];
            int i = 0;
            foreach (RunHistoryEntry entry in run.History)
            {
                history[i++] = new HistoryEntryDto
                {
                    EventId = entry.EventId,
                    At = entry.At,
                    Kind = entry.Kind,
                    Reason = entry.Reason,
                    Message = entry.Message,
                    RelatedRunIds = entry.RelatedRunIds.IsEmpty ? null : [.. entry.RelatedRunIds],
                    WitnessPath = entry.WitnessPath,
                    Sequence = entry.Sequence,
                };
            }
        }

        return new RunDto
        {
            Id = run.Id,
            WorkItemId = run.WorkItemId,
            Attempt = run.Attempt,
            Claims = run.Claims.ToString(),
            ClaimsIgnoreCase = IgnoreCaseMask(run.Claims),
            Priority = run.Priority,
            RequestedAt = run.RequestedAt,
            Status = run.Status,
            NotBefore = run.NotBefore,
            ReservesPlace = run.ReservesPlace,
            Bypasses = run.Bypasses == 0 ? null : run.Bypasses,
            LastBypassedBy = run.LastBypassedBy,
            AdmittedBase = run.AdmittedBase,
            AdmittedUpstreamRevisions = revisions,
            WorkspaceKey = run.WorkspaceKey,
            Failures = run.Failures,
            PreviousRunId = run.PreviousRunId,
            LeaseExpiresAt = run.LeaseExpiresAt,
            FencingToken = run.FencingToken,
            History = history,
            Assumptions = AssumptionDto.Of(run.Assumptions),
        };
    }

    /// <summary>
    /// The text form does not carry pattern options: <see langword="null"/> when no pattern ignores case, "1" when all
    /// do, otherwise one digit per line of the text form (entries, then exclusions).
    /// </summary>
    private static string? IgnoreCaseMask(ClaimSet claims)
    {
        var mask = new StringBuilder(claims.Entries.Length + claims.Exclusions.Length);
        foreach (ClaimEntry entry in claims.Entries)
        {
            mask.Append(entry.Pattern.IgnoreCase ? '1' : '0');
        }

        foreach (Glob exclusion in claims.Exclusions)
        {
            mask.Append(exclusion.IgnoreCase ? '1' : '0');
        }

        string text = mask.ToString();
        return !text.Contains('1', StringComparison.Ordinal) ? null : !text.Contains('0', StringComparison.Ordinal) ? "1" : text;
    }
}
