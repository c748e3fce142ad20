using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>
/// The state runs assume beside their claims (docs/policy.md, "Assumptions"): a named base moving, a resource changing
/// version. A live run whose assumption the event breaks is cancelled with <see cref="ReasonCode.AssumptionBroken"/>,
/// the broken assumption recorded on it, and restarted (while its work item is open) assuming the new state.
/// </summary>
internal sealed partial class EventHandlers
{
    private RejectDecision? OnNamedBaseAdvanced(NamedBaseAdvanced e)
    {
        if (AssumptionIntake.Check(e) is { } problem)
        {
            return Reject(ReasonCode.InvalidEvent, problem);
        }

        ImmutableArray<string> paths = OrEmpty(e.ChangedPaths);
        if (PolicyStep.FirstInvalidPath(paths) is { } bad)
        {
            return Reject(ReasonCode.InvalidEvent, $"changed path '{bad}' is not a valid repository path");
        }

        Graph = Graph.WithCurrentVersion(AssumptionKind.Base, e.Base, new CurrentVersion(e.Revision, EventId));

        foreach (Run run in LiveRunsAssuming(AssumptionKind.Base, e.Base))
        {
            if (string.Equals(run.Assumptions[0].Version, e.Revision, StringComparison.Ordinal))
            {
                continue;
            }

            var covered = ImmutableArray.CreateBuilder<string>();
            foreach (string path in paths)
            {
                if (ResourcePath.IsCoveredBy(run.Claims, path, writingOnly: false))
                {
                    covered.Add(path);
                }
            }

            if (covered.Count > 0)
            {
                BreakAssumption(run, 0, e.Revision, covered.ToImmutable());
            }
        }

        return null;
    }

    private RejectDecision? OnResourceChanged(ResourceChanged e)
    {
        if (AssumptionIntake.Check(e) is { } problem)
        {
            return Reject(ReasonCode.InvalidEvent, problem);
        }

        Graph = Graph.WithCurrentVersion(AssumptionKind.Resource, e.Resource, new CurrentVersion(e.Version, EventId));
        foreach (Run run in LiveRunsAssuming(AssumptionKind.Resource, e.Resource))
        {
            int index = IndexOf(run.Assumptions, AssumptionKind.Resource, e.Resource);
            if (!string.Equals(run.Assumptions[index].Version, e.Version, StringComparison.Ordinal))
            {
                BreakAssumption(run, index, e.Version, []);
            }
        }

        return null;
    }

    /// <summary>
    /// A run just requested whose assumptions differ from the current version an earlier event set: each such
    /// assumption is recorded as broken by that event (the changes between the two versions are unknown, so a base
    /// counts as covering the run's claims), the run cancelled with the first as evidence, and restarted on the
    /// current state. Subjects no event moved are unknown and accepted as they are.
    /// </summary>
    private void CheckAssumptionsAtRequest(string runId)
    {
        Run run = GetRun(runId);
        ImmutableArray<Assumption> assumptions = run.Assumptions;
        Assumption? first = null;
        for (int i = 0; i < assumptions.Length; i++)
        {
            Assumption a = assumptions[i];
            if (Graph.Versions.Of(a.Kind).TryGetValue(a.Subject, out CurrentVersion? current)
                && !string.Equals(a.Version, current.Version, StringComparison.Ordinal))
            {
                Assumption broken = a.BrokenBy(current.EventId, current.Version);
                assumptions = assumptions.SetItem(i, broken);
                first ??= broken;
            }
        }

        if (first is null)
        {
            return;
        }

        Emit(
            run with { Assumptions = assumptions, Status = RunStatus.Cancelled, ReservesPlace = false },
            new CancelDecision(EventId, run.Id, ReasonCode.AssumptionBroken, run.WorkItemId, null, []) { BrokenAssumption = first },
            witness: null);
        Step.Restart(GetRun(run.Id), newWorkspace: false);
    }

    /// <summary>The pending, held and active runs that assume <paramref name="subject"/>, in run-id order.</summary>
    private List<Run> LiveRunsAssuming(AssumptionKind kind, string subject)
    {
        // A scan of every run: assumption events are rare beside claims and heartbeats (an index by subject is the
        // next step if they are not).
        var found = new List<Run>();
        foreach (KeyValuePair<string, Run> kv in Graph.Runs)
        {
            Run run = kv.Value;
            if (!run.Assumptions.IsEmpty && !run.Status.IsTerminal() && IndexOf(run.Assumptions, kind, subject) >= 0)
            {
                found.Add(run);
            }
        }

        return found;
    }

    private static int IndexOf(ImmutableArray<Assumption> assumptions, AssumptionKind kind, string subject)
    {
        for (int i = 0; i < assumptions.Length; i++)
        {
            if (assumptions[i].Kind == kind && string.Equals(assumptions[i].Subject, subject, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Records the broken assumption on the run, cancels it with that evidence and restarts it.</summary>
    private void BreakAssumption(Run run, int index, string actualVersion, ImmutableArray<string> paths)
    {
        Run current = GetRun(run.Id);
        Assumption broken = current.Assumptions[index].BrokenBy(EventId, actualVersion);
        Emit(
            current with { Assumptions = current.Assumptions.SetItem(index, broken), Status = RunStatus.Cancelled, ReservesPlace = false },
            new CancelDecision(EventId, run.Id, ReasonCode.AssumptionBroken, run.WorkItemId, null, paths) { BrokenAssumption = broken },
            witness: paths.IsEmpty ? null : paths[0]);
        Step.Restart(GetRun(run.Id), newWorkspace: false);
    }
}
