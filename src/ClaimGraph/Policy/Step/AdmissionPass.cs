using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>
/// The admission pass (docs/policy.md): every waiting run <see cref="Rechecks"/> noted, in pass order, is admitted,
/// held naming its blockers, or cancelled; with backfill, an admission counts the overtakes it makes.
/// </summary>
internal sealed class AdmissionPass : StepPart
{
    private readonly WaitingRunBlockers _blockers;

    public AdmissionPass(PolicyStep step)
        : base(step) => _blockers = new WaitingRunBlockers(step);

    /// <summary>How many times this pass evaluated a waiting run (a run evaluated again after an overtake counts again).</summary>
    public int Examined { get; private set; }

    /// <summary>
    /// Considers the waiting runs in pass order (<see cref="ReservationOrder"/>): admit, hold (naming its first
    /// blockers) or cancel. Only the runs this step may have affected are evaluated (see <see cref="AdmissionState"/>);
    /// the others would be held again as they are.
    /// </summary>
    public void Evaluate()
    {
        if (Rechecks.All)
        {
            foreach (Run run in Graph.AdmissionQueue)
            {
                Rechecks.Queue.Add(run);
            }
        }

        while (Rechecks.Queue.Count > 0)
        {
            Run next = Rechecks.Queue.Min!;
            Rechecks.Queue.Remove(next);
            Rechecks.Position = next;
            if (Graph.TryGetRun(next.Id, out Run? run) && run.Status.IsWaiting())
            {
                Consider(run);
            }
        }

        Rechecks.Position = null;
    }

    private void Consider(Run run)
    {
        Examined++;
        WorkItem item = Graph.WorkItems[run.WorkItemId];
        if (item.Status != WorkItemStatus.Open)
        {
            CancelRun(run, ReasonCode.WorkItemClosed, item.Id, null, []);
            return;
        }

        string? failed = _blockers.FirstAbandonedUpstream(item.Id);
        if (failed is not null)
        {
            CancelRun(run, ReasonCode.DependencyFailed, failed, null, []);
            return;
        }

        ImmutableArray<HoldReason> waits = _blockers.NonClaim(run, item);
        RunHistoryEntry? last = run.Status == RunStatus.Held ? LastHold(run) : null;
        if (last is not null && HoldStands(run, waits, last))
        {
            return;
        }

        ImmutableArray<HoldReason> reasons = waits.AddRange(_blockers.Claim(run));
        if (reasons.IsEmpty)
        {
            Admit(run, item);
            return;
        }

        bool reserves = Reserves(run, reasons);
        if (last is not null && reserves == run.ReservesPlace
            && HoldHeadline.Matches(last.Message, run.Id, waits, HoldHeadline.Blocker(StickyClaimBlocker(reasons, last)), reserves))
        {
            return;
        }

        var named = waits.Length < reasons.Length ? (ClaimHold)reasons[waits.Length] : null;
        BypassEvidence? bypass = Step.Budget > 0 && HoldDecision.WaitsOnlyOnClaimsOrLimits(reasons)
            ? new BypassEvidence(run.Bypasses, Step.Budget, run.LastBypassedBy)
            : null;
        int shown = Math.Min(reasons.Length, HoldDecision.MaxReasons);
        var held = new HoldDecision(EventId, run.Id, reasons[..shown], bypass, reasons.Length - shown);
        var related = ImmutableArray.CreateBuilder<string>();
        if (named is not null)
        {
            related.Add(named.BlockingRunId);
        }

        foreach (HoldReason r in waits)
        {
            if (r is DependencyPendingHold { ActiveRunId: { } activeRun })
            {
                related.Add(activeRun);
            }
        }

        Emit(
            run with { Status = RunStatus.Held, ReservesPlace = held.ReservesPlace },
            held,
            related.ToImmutable(),
            named?.Conflict.Witness,
            HoldHeadline.Of(run.Id, waits, HoldHeadline.Blocker(named), reserves));
    }

    /// <summary>
    /// Whether a held run would be held again with an unchanged hold, told without its full blocker list: the claim
    /// blocker its last Hold named still blocks it the same way, its other reasons and its reservation are as they were.
    /// Then nothing changes and nothing is emitted (the full evaluation would find the same; this only skips the query).
    /// </summary>
    private bool HoldStands(Run run, ImmutableArray<HoldReason> waits, RunHistoryEntry last)
    {
        if (last.RelatedRunIds.IsEmpty || !Graph.TryGetRun(last.RelatedRunIds[0], out Run? blocker))
        {
            return false;
        }

        ReasonCode code = ClaimBlockOf(run, blocker);
        if (code == ReasonCode.None)
        {
            return false;
        }

        bool reserves = OnlyLimits(waits) && (Step.Budget == 0 || run.Bypasses >= Step.Budget);
        var named = new HoldHeadline.ClaimBlocker(code, blocker.Id);
        return reserves == run.ReservesPlace && HoldHeadline.Matches(last.Message, run.Id, waits, named, reserves);
    }

    /// <summary>
    /// How <paramref name="blocker"/>, a run the last Hold of <paramref name="run"/> named as a claim blocker, blocks it
    /// now: ClaimConflict, QueuedBehind or None. Their claims still conflict, so that is not checked again: a waiting
    /// run's claims never change and an amendment only adds entries, so a conflict, once found, stays.
    /// </summary>
    private ReasonCode ClaimBlockOf(Run run, Run blocker)
    {
        if (blocker.Status == RunStatus.Active)
        {
            return ReasonCode.ClaimConflict;
        }

        return blocker.Status == RunStatus.Held && blocker.ReservesPlace && Step.Order.Compare(blocker, run) < 0
            ? ReasonCode.QueuedBehind
            : ReasonCode.None;
    }

    /// <summary>The claim reason naming the run the last Hold named, if it still blocks; else the first claim reason, if any.</summary>
    private static ClaimHold? StickyClaimBlocker(ImmutableArray<HoldReason> reasons, RunHistoryEntry last)
    {
        ClaimHold? first = null;
        foreach (HoldReason reason in reasons)
        {
            if (reason is ClaimHold r)
            {
                if (!last.RelatedRunIds.IsEmpty && string.Equals(r.BlockingRunId, last.RelatedRunIds[0], StringComparison.Ordinal))
                {
                    return r;
                }

                first ??= r;
            }
        }

        return first;
    }

    private bool Reserves(Run run, ImmutableArray<HoldReason> reasons) =>
        HoldDecision.WaitsOnlyOnClaimsOrLimits(reasons) && (Step.Budget == 0 || run.Bypasses >= Step.Budget);

    private static bool OnlyLimits(ImmutableArray<HoldReason> waits)
    {
        foreach (HoldReason r in waits)
        {
            if (r.Code != ReasonCode.ConcurrencyLimit)
            {
                return false;
            }
        }

        return true;
    }

    private static RunHistoryEntry? LastHold(Run run)
    {
        for (int i = run.History.Count - 1; i >= 0; i--)
        {
            RunHistoryEntry h = run.History[i];
            if (h.Kind == DecisionKind.Hold)
            {
                return h;
            }
        }

        return null;
    }

    /// <inheritdoc cref="WaitingRunBlockers.All"/>
    public ImmutableArray<HoldReason> Blockers(Run run) => _blockers.All(run);

    private void Admit(Run run, WorkItem item)
    {
        Graph = Graph.IssueFencingToken(out long token);
        var upstream = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        foreach (string dep in Graph.TransitiveDependencies(item.Id))
        {
            if (Graph.TryGetWorkItem(dep, out WorkItem? d))
            {
                upstream[dep] = d.Revision;
            }
        }

        upstream[item.Id] = item.Revision;
        Run admitted = run with
        {
            Status = RunStatus.Active,
            ReservesPlace = false,
            AdmittedBase = Graph.BaseVersion,
            AdmittedUpstreamRevisions = upstream.ToImmutable(),
            FencingToken = token,
            LeaseExpiresAt = Options.LeaseDuration is long lease ? Now + lease : null,
            WorkspaceKey = run.WorkspaceKey ?? WorkspaceAssignment.KeyFor(run.Id),
        };
        Emit(admitted, Admitted(admitted, ReasonCode.Admitted));
        CountOvertakes(admitted);
    }

    /// <summary>
    /// Backfill: a run was just admitted. Every ready waiting run that conflicts with it, has not used up its bypass
    /// budget, and was requested before it or has a higher priority, is overtaken: its count grows (at the budget it
    /// reserves its place) and it is evaluated again at once, so its hold names the run that overtook it and later runs
    /// of this pass queue behind it if it now reserves. The admitted run's own budget does not matter: a run whose
    /// budget is used up comes first in pass order and passes earlier runs that have not reserved yet, and each such
    /// pass counts, or an earlier run could wait for more than K later runs.
    /// </summary>
    private void CountOvertakes(Run admitted)
    {
        if (Step.Budget == 0)
        {
            return;
        }

        var candidates = new SortedSet<string>(StringComparer.Ordinal);
        Rechecks.Waiting.AddOverlapping(admitted.Claims, Graph.AdmissionQueue, candidates);
        List<Run>? overtaken = null;
        foreach (string id in candidates)
        {
            Run r = GetRun(id);
            if (r.Bypasses < Step.Budget
                && (RunOrder.Admission.Compare(r, admitted) < 0 || ReservationOrder.ArrivedBefore(r, admitted))
                && _blockers.IsReady(r)
                && ClaimSet.Conflicts(r.Claims, admitted.Claims).IsConflict)
            {
                (overtaken ??= []).Add(r);
            }
        }

        if (overtaken is null)
        {
            return;
        }

        overtaken.Sort(Step.Order);
        foreach (Run r in overtaken)
        {
            Run current = GetRun(r.Id);
            bool due = Rechecks.Queue.Remove(current);
            Run bumped = current with { Bypasses = current.Bypasses + 1, LastBypassedBy = admitted.Id };
            Put(bumped);
            if (due)
            {
                Rechecks.Mark(bumped);
            }

            Consider(bumped);
        }
    }

    public AdmitDecision Admitted(Run run, ReasonCode reason)
    {
        Run? previous = run.PreviousRunId is not null && Graph.TryGetRun(run.PreviousRunId, out Run? p) ? p : null;
        WorkspaceAssignment workspace = WorkspaceAssignment.Of(run, previous);
        Assumption? named = !run.Assumptions.IsEmpty && run.Assumptions[0].Kind == AssumptionKind.Base ? run.Assumptions[0] : null;
        return new AdmitDecision(EventId, run.Id, reason, run.AdmittedBase ?? Graph.BaseVersion, workspace.Key, workspace.Reused, workspace.Reason, run.FencingToken, run.LeaseExpiresAt)
        {
            NamedBase = named?.Subject,
            BaseRevision = named?.Version,
        };
    }
}
