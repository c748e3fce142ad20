using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Simulation;

/// <summary>
/// Speculation on idle agents (<see cref="SimulationOptions.SpeculativeRuns"/>): the orchestrator's side only. The
/// policy never hears of it: it holds and admits exactly as without speculation, and a speculative run's claims are
/// never admitted. What the orchestrator does:
/// <list type="bullet">
/// <item>after each event, while agents are idle and the budget allows, it starts the held runs that the policy holds
/// only because of claims (<see cref="HoldBlockers.Of"/> names only <c>ClaimConflict</c> and <c>QueuedBehind</c>), in
/// the policy's admission order, each on an agent in a workspace of its own; a run whose work is all done waits parked;</item>
/// <item>when the policy admits a run, the run continues from its speculative work (on the same agent if it is still
/// working); if a merge changed one of its exclusive files since that work's base, it rebases first and loses the share
/// ρ of the work (wasted, like a fan-out conflict); if it needs an agent and none is idle, it takes the newest
/// speculation's agent, whose work stays in its workspace;</item>
/// <item>when the policy cancels a held run with speculative work, that work is thrown away (wasted).</item>
/// </list>
/// </summary>
internal sealed partial class ClaimGraphSimulation
{
    /// <summary>Starts held runs speculatively on idle agents, within the budget.</summary>
    private void Speculate(long now)
    {
        int room = Math.Min(_agents - _active.Count - _speculative.Running, _speculationBudget - _speculative.Running);
        if (room <= 0)
        {
            return;
        }

        foreach (Run run in _graph.AdmissionQueue)
        {
            int task = _taskOfItem[run.WorkItemId];
            if (run.Status != RunStatus.Held || _speculative.IsRunning(task) || _metrics.Remaining(task) == 0 || !HeldOnlyByClaims(run.Id))
            {
                continue;
            }

            long attempt = _speculative.Start(task, now, _ledger.Version);
            _metrics.SpeculationStarted(task, now);
            _events.Schedule(now + _metrics.Remaining(task), new SimEvent(SimEventKind.SpeculationDone, task, attempt));
            if (--room == 0)
            {
                return;
            }
        }
    }

    private bool HeldOnlyByClaims(string runId)
    {
        ImmutableArray<HoldReason> reasons = HoldBlockers.Of(_graph, runId, _options);
        foreach (HoldReason reason in reasons)
        {
            if (reason.Code is not (ReasonCode.ClaimConflict or ReasonCode.QueuedBehind))
            {
                return false;
            }
        }

        return !reasons.IsEmpty;
    }

    /// <summary>A speculative attempt did all of its task's work: the result waits parked and the agent is free.</summary>
    private void SpeculationDone(SimEvent e, long now)
    {
        if (_speculative.IsCurrent(e.Task, e.Attempt))
        {
            _metrics.SpeculationStopped(e.Task, _speculative.Stop(e.Task), now, preempted: false);
        }
    }

    /// <summary>
    /// The policy admitted <paramref name="task"/>: its own speculation (if working) becomes the admitted attempt;
    /// otherwise it needs an agent, and takes the newest speculation's agent when none is idle. Speculative work on a
    /// stale base is rebased.
    /// </summary>
    private void TakeUpSpeculation(int task, long now)
    {
        if (_speculative.IsRunning(task))
        {
            _metrics.SpeculationStopped(task, _speculative.Stop(task), now, preempted: false);
        }
        else if (_speculative.Running > 0 && _active.Count + 1 + _speculative.Running > _agents)
        {
            int newest = _speculative.Newest;
            _metrics.SpeculationStopped(newest, _speculative.Stop(newest), now, preempted: true);
        }

        if (_speculative.HasWork(task))
        {
            _metrics.SpeculationTakenUp(task, stale: _ledger.ChangedSince(_tasks[task], _speculative.Base(task)));
            _speculative.Clear(task);
        }
    }

    /// <summary>The policy cancelled the held run of <paramref name="task"/>: its speculative work, if any, is thrown away.</summary>
    private void DropSpeculation(int task, long now)
    {
        if (_speculative.IsRunning(task))
        {
            _metrics.SpeculationStopped(task, _speculative.Stop(task), now, preempted: false);
        }

        if (_speculative.HasWork(task))
        {
            _metrics.SpeculationDropped(task);
            _speculative.Clear(task);
        }
    }
}
