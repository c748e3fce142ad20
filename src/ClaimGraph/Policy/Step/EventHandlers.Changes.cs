using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

internal sealed partial class EventHandlers
{
    private RejectDecision? OnClaimsAmended(ClaimsAmended e)
    {
        RejectDecision? reject = ActiveRunCheck(e.RunId, e.FencingToken, out Run? run);
        if (reject is not null)
        {
            return reject;
        }

        ImmutableArray<string> lines = OrEmpty(e.AdditionalClaims);
        if (HasNull(lines) || lines.IsEmpty)
        {
            return Reject(ReasonCode.InvalidEvent, "an amendment needs at least one claim line", e.RunId);
        }

        bool hasExclusion = false;
        var entryLines = ImmutableArray.CreateBuilder<string>();
        foreach (string line in lines)
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith('!'))
            {
                if (!Glob.TryParse(trimmed[1..], GlobOptions.None, out _, out GlobError? globError))
                {
                    return Reject(ReasonCode.InvalidPattern, globError.ToString(), e.RunId);
                }

                hasExclusion = true;
            }
            else
            {
                entryLines.Add(line);
            }
        }

        ClaimSet? caseSensitive = null;
        if (entryLines.Count > 0 && !TryParseClaims(entryLines.ToImmutable(), false, out caseSensitive, out string? lineError))
        {
            return Reject(ReasonCode.InvalidPattern, lineError, e.RunId);
        }

        if (hasExclusion)
        {
            return Reject(ReasonCode.InvalidEvent, "an amendment adds claim entries; it cannot add exclusions", e.RunId);
        }

        bool ignoreCase = false;
        foreach (ClaimEntry entry in run!.Claims.Entries)
        {
            ignoreCase |= entry.Pattern.IgnoreCase;
        }

        // Without exclusions every line is an entry line, so the case-sensitive parse above read exactly these lines:
        // a run whose patterns compare case-sensitively takes that claim set rather than parsing the lines again.
        ClaimSet? extra = ignoreCase ? null : caseSensitive;
        if (extra is null && !TryParseClaims(lines, ignoreCase, out extra, out string? error))
        {
            return Reject(ReasonCode.InvalidPattern, error, e.RunId);
        }

        if (!extra.Exclusions.IsEmpty || extra.IsBarrier)
        {
            return Reject(ReasonCode.InvalidEvent, "an amendment adds claim entries; it cannot add exclusions", e.RunId);
        }

        if (run.Claims.IsBarrier)
        {
            // A barrier already claims everything: the amendment adds nothing.
            Emit(Step.Admission.Admitted(run, ReasonCode.AmendmentGranted));
            return null;
        }

        ClaimSet wider = ClaimSet.Create([.. run.Claims.Entries, .. extra.Entries], run.Claims.Exclusions);
        foreach (RunConflict c in Graph.ConflictsWith(wider, run.Id))
        {
            Emit(new AmendmentDeniedDecision(EventId, run.Id, c.Run.Id, c.Evidence), [c.Run.Id], c.Evidence.Witness);
            return null;
        }

        Put(run with { Claims = wider });
        Emit(Step.Admission.Admitted(GetRun(run.Id), ReasonCode.AmendmentGranted));
        return null;
    }

    private RejectDecision? OnBaseAdvanced(BaseAdvanced e)
    {
        ImmutableArray<string> paths = OrEmpty(e.ChangedPaths);
        if (PolicyStep.FirstInvalidPath(paths) is { } bad)
        {
            return Reject(ReasonCode.InvalidEvent, $"changed path '{bad}' is not a valid repository path");
        }

        if (e.NewBaseVersion < Graph.BaseVersion)
        {
            return Reject(ReasonCode.InvalidEvent, $"the new base {e.NewBaseVersion} is below the current base {Graph.BaseVersion}");
        }

        if (e.NewBaseVersion > Graph.BaseVersion)
        {
            Graph = PolicyStep.Ok(Graph.AdvanceBase(e.NewBaseVersion, paths));
        }

        Step.CancelStaleRuns(paths, null, null);
        PruneChanges();
        return null;
    }

    private RejectDecision? OnRecovered(Recovered e)
    {
        ImmutableArray<string> alive = OrEmpty(e.AliveRunIds);
        foreach (string id in alive)
        {
            if (Missing(id))
            {
                return Reject(ReasonCode.InvalidEvent, "a run id in the alive list is empty");
            }

            if (!Graph.ContainsRun(id))
            {
                return Reject(ReasonCode.UnknownRun, $"run '{id}' does not exist", id);
            }
        }

        var aliveSet = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, alive);
        var active = new List<Run>();
        foreach (string id in Graph.IndexedRunIds)
        {
            Run run = Graph.Runs[id];
            if (run.Status == RunStatus.Active)
            {
                active.Add(run);
            }
        }

        foreach (Run stale in active)
        {
            Run run = GetRun(stale.Id);
            if (run.Status != RunStatus.Active)
            {
                continue;
            }

            if (aliveSet.Contains(run.Id))
            {
                if (Options.LeaseDuration is long lease)
                {
                    Put(run with { LeaseExpiresAt = Now + lease });
                }

                continue;
            }

            Put(run with { Status = RunStatus.Cancelled, LeaseExpiresAt = null });
            Step.Note(run.Id, $"Run '{run.Id}' was not alive after the restart.");
            Step.HandleFailure(GetRun(run.Id), ReasonCode.Orphaned);
        }

        return null;
    }

    /// <summary>
    /// The changed paths (each in its namespace, <c>artifact:build/app.dll</c>) that no write or append claim covers,
    /// distinct and in ordinal order.
    /// </summary>
    private static ImmutableArray<string> Violations(ClaimSet claims, ImmutableArray<string> paths)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string p in paths)
        {
            if (!ResourcePath.IsCoveredBy(claims, p, writingOnly: true))
            {
                result.Add(p);
            }
        }

        return [.. result];
    }

    /// <summary>Keeps the merged-change log from the oldest active run's base on.</summary>
    private void PruneChanges()
    {
        long keepFrom = Graph.OldestActiveBase ?? Graph.BaseVersion;
        Graph = Graph.PruneMergedChangesBelow(keepFrom);
    }
}
