using System.Collections.Immutable;
using System.Globalization;
using ClaimGraph.Claims;
using ClaimGraph.Graph;
using ClaimGraph.Index;
using ClaimGraph.Policy;

namespace ClaimGraph.Simulation;

/// <summary>
/// Drives the real policy, <see cref="ClaimPolicy.Step"/>, with the events an orchestrator would send: on arrival a
/// <see cref="WorkItemAdded"/> and a <see cref="RunRequested"/> with the task's declared claims; when an admitted
/// run's time is up, a <see cref="RunSucceeded"/> with its fencing token, its changed files and the next base version.
/// The policy settings are a template (<see cref="SimulationOptions.Policy"/>): agents are
/// <see cref="PolicyOptions.MaxActiveRuns"/>; leases are off (the simulated agents never die).
/// </summary>
/// <remarks>
/// Each merge is checked against the ledger like fan-out's: with exact claims a conflict would be a policy bug; with
/// imperfect claims (<see cref="SimulationTask.Undeclared"/>) it is what they cost, and the run is reported as a
/// transient failure. A run the policy cancels (<c>BaseStale</c> after a claim violation) loses the share ρ of its work
/// and its retry is admitted like any run. An agent that finds an undeclared file asks for it with
/// <see cref="ClaimsAmended"/> (<see cref="UndeclaredFileAction.Amend"/>); denied, it stops and the task is requested
/// again with the wider claims. A retry's backoff end is announced with a <see cref="Tick"/>.
/// </remarks>
internal sealed partial class ClaimGraphSimulation
{
    private readonly IReadOnlyList<SimulationTask> _tasks;
    private readonly int _agents;
    private readonly PolicyOptions _options;
    private readonly int? _lookahead;
    private readonly UndeclaredFileAction _undeclared;
    private readonly LowerBound _bound;
    private readonly EventQueue _events;
    private readonly RunMetrics _metrics;
    private readonly MergeLedger _ledger = new();
    private readonly Dictionary<string, int> _taskOfItem = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActiveRun> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _asked = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stopping = new(StringComparer.Ordinal);
    private readonly Queue<int> _backlog = new();
    private readonly List<PolicyEvent> _batch = [];
    private readonly ImmutableArray<string>[] _declared;
    private readonly ClaimSet[] _claims;
    private readonly int[] _requests;
    private readonly bool[] _isWaiting;
    private readonly int _speculationBudget;
    private readonly SpeculativeWork _speculative;
    private OverlapIndex<int> _waiting = OverlapIndex.Create<int>();
    private OverlapIndex<int> _admitted = OverlapIndex.Create<int>();
    private WorkGraph _graph = WorkGraph.Empty;
    private long _eventNumber;

    private ClaimGraphSimulation(IReadOnlyList<SimulationTask> tasks, int agents, RunSettings settings)
    {
        _tasks = tasks;
        _agents = agents;
        _lookahead = settings.Lookahead;
        _options = settings.Policy;
        _undeclared = settings.Undeclared;
        _bound = settings.Bound;
        _events = EventQueue.WithArrivals(tasks);
        _metrics = new RunMetrics(tasks, settings.ConflictCost);
        _declared = new ImmutableArray<string>[tasks.Count];
        _claims = new ClaimSet[tasks.Count];
        _requests = new int[tasks.Count];
        _isWaiting = new bool[tasks.Count];
        _speculationBudget = settings.SpeculationBudget;
        _speculative = new SpeculativeWork(tasks.Count);
        for (int i = 0; i < tasks.Count; i++)
        {
            _taskOfItem.Add(tasks[i].Id, i);
            Declare(i, tasks[i].Claims);
        }
    }

    /// <param name="tasks">The tasks, in arrival order.</param>
    /// <param name="agents">The agents (the policy's <see cref="PolicyOptions.MaxActiveRuns"/> must equal it).</param>
    /// <param name="settings">The rest: the policy settings (already set to the agents, no leases), lookahead, conflict cost.</param>
    public static PolicyRunResult Run(IReadOnlyList<SimulationTask> tasks, int agents, RunSettings settings) =>
        new ClaimGraphSimulation(tasks, agents, settings).Run();

    private PolicyRunResult Run()
    {
        while (_events.TryNext(out long now, out SimEvent e))
        {
            switch (e.Kind)
            {
                case SimEventKind.Arrival:
                    Wait(e.Task);
                    _backlog.Enqueue(e.Task);
                    break;
                case SimEventKind.Finish:
                    Finish(e, now);
                    break;
                case SimEventKind.Discovery:
                    Discover(e, now);
                    break;
                case SimEventKind.Wake:
                    _batch.Add(new Tick(NextEventId(), now));
                    Step(now);
                    break;
                case SimEventKind.SpeculationDone:
                    SpeculationDone(e, now);
                    break;
            }

            RequestFromBacklog(now);
            Speculate(now);
        }

        return _metrics.ToResult(SimulationPolicy.ClaimGraph, _agents, _bound);
    }

    private void Finish(SimEvent e, long now)
    {
        // A finish of a run the policy cancelled meanwhile is stale: its agent already stopped.
        if (!_active.TryGetValue(e.RunId!, out ActiveRun run) || run.FencingToken != e.Attempt)
        {
            return;
        }

        _active.Remove(e.RunId!);
        _admitted = _admitted.RemoveOwner(run.Task);
        SimulationTask task = _tasks[run.Task];
        if (_ledger.ChangedSince(task, run.BaseVersion))
        {
            // With exact claims this cannot happen while the policy keeps overlapping claims apart; counted, not hidden.
            _metrics.Stale(run.Task, run.Start, now, conflict: true);
            Wait(run.Task);
            _batch.Add(new RunFailed(NextEventId(), now, e.RunId!, run.FencingToken, Transient: true) { Message = "merge conflict" });
        }
        else
        {
            long version = _ledger.Merge(task, run.Task, out bool outOfOrder);
            _metrics.Merged(run.Task, run.Start, now, outOfOrder);
            _batch.Add(new RunSucceeded(NextEventId(), now, e.RunId!, run.FencingToken, version) { ChangedPaths = task.Files });
        }

        Step(now);
    }

    /// <summary>The agent found a file its claims leave out: it asks for it before changing it.</summary>
    private void Discover(SimEvent e, long now)
    {
        if (!_active.TryGetValue(e.RunId!, out ActiveRun run) || run.FencingToken != e.Attempt || NextUndeclared(run.Task) is not { } file)
        {
            return;
        }

        _asked[e.RunId!] = file.ClaimLine;
        _batch.Add(new ClaimsAmended(NextEventId(), now, e.RunId!, run.FencingToken, [file.ClaimLine]));
        Step(now);
    }

    /// <summary>
    /// Requests runs for backlog tasks, oldest first, while fewer than the lookahead are waiting in the policy's
    /// admission queue (all of them when there is no lookahead).
    /// </summary>
    private void RequestFromBacklog(long now)
    {
        while (_backlog.Count > 0 && (_lookahead is not { } max || _graph.AdmissionQueue.Count < max))
        {
            int room = _lookahead is { } limit ? limit - _graph.AdmissionQueue.Count : _backlog.Count;
            for (int i = 0; i < room && _backlog.Count > 0; i++)
            {
                int task = _backlog.Dequeue();
                _batch.Add(new WorkItemAdded(NextEventId(), now, _tasks[task].Id));
                Request(task, now);
            }

            Step(now);
        }
    }

    private void Request(int task, long now)
    {
        string id = _tasks[task].Id;
        int request = ++_requests[task];
        string runId = request == 1 ? id : id + "." + request.ToString(CultureInfo.InvariantCulture);
        _batch.Add(new RunRequested(NextEventId(), now, runId, id, _declared[task]));
    }

    /// <summary>Sends the batch to the policy and acts on the decisions, until they call for no further event.</summary>
    private void Step(long now)
    {
        while (_batch.Count > 0)
        {
            PolicyStepResult result = ClaimPolicy.Step(_graph, _batch, _options);
            _batch.Clear();
            _graph = result.Graph;
            foreach (Decision decision in result.Decisions)
            {
                Act(decision, now);
            }

            if (_active.Count + _speculative.Running > _agents || _graph.BaseVersion != _ledger.Version)
            {
                throw new InvalidOperationException(
                    $"The simulation lost step with the policy: {_active.Count} active runs and {_speculative.Running} speculations for {_agents} agents, base {_graph.BaseVersion} vs {_ledger.Version}.");
            }
        }
    }

    private void Act(Decision decision, long now)
    {
        switch (decision)
        {
            case AdmitDecision { Reason: ReasonCode.AmendmentGranted } granted:
                Granted(granted.RunId!, now);
                break;
            case AdmitDecision admit:
                Admit(admit, now);
                break;
            case AmendmentDeniedDecision denied:
                // The agent stops; the task is requested again with the wider claims once the cancel is through.
                _metrics.AmendmentDenied();
                _stopping.Add(denied.RunId!);
                _batch.Add(new RunCancelRequested(NextEventId(), now, denied.RunId!));
                break;
            case CancelDecision cancel when _active.Remove(cancel.RunId!, out ActiveRun cancelled):
                _admitted = _admitted.RemoveOwner(cancelled.Task);
                Cancelled(cancel.RunId!, cancelled, now);
                break;
            case CancelDecision { Reason: ReasonCode.RetryBudgetExhausted } exhausted:
                // The work item is given up: the task never merges.
                Unwait(TaskOf(exhausted.RunId!));
                DropSpeculation(TaskOf(exhausted.RunId!), now);
                break;
            case CancelDecision held:
                DropSpeculation(TaskOf(held.RunId!), now);
                break;
            case RetryDecision retry when retry.NotBefore > now:
                _events.Schedule(retry.NotBefore, new SimEvent(SimEventKind.Wake, TaskOf(retry.RunId!), 0));
                break;
            case ClaimViolationDecision:
                _metrics.ClaimViolation();
                break;
            case RejectDecision reject:
                throw new InvalidOperationException("The policy rejected a simulated event: " + reject.Message);
        }
    }

    private void Admit(AdmitDecision admit, long now)
    {
        string runId = admit.RunId!;
        int task = TaskOf(runId);
        Unwait(task);
        CountOvertaken(task);
        TakeUpSpeculation(task, now);
        var run = new ActiveRun(task, now, admit.FencingToken, admit.BaseVersion);
        _active.Add(runId, run);
        Admitted(task);
        _metrics.Started(task, now);
        _events.Schedule(now + _metrics.Remaining(task), new SimEvent(SimEventKind.Finish, task, admit.FencingToken, runId));
        ScheduleDiscovery(runId, run, now);
    }

    private void Granted(string runId, long now)
    {
        _metrics.AmendmentGranted();
        ActiveRun run = _active[runId];
        _asked.Remove(runId, out string? line);
        Declare(run.Task, _declared[run.Task].Add(line!));
        _admitted = _admitted.RemoveOwner(run.Task);
        Admitted(run.Task);
        ScheduleDiscovery(runId, run, now);
    }

    private void Cancelled(string runId, ActiveRun run, long now)
    {
        if (_stopping.Remove(runId))
        {
            // Stopped after a denied amendment: the wider claim set gets a fresh workspace, so the work is lost.
            _metrics.Stopped(run.Task, run.Start, now);
            _asked.Remove(runId, out string? line);
            Declare(run.Task, _declared[run.Task].Add(line!));
            Wait(run.Task);
            Request(run.Task, now);
        }
        else
        {
            // BaseStale: a change outside some run's claims touched this run's files; the policy retries it.
            _metrics.Stale(run.Task, run.Start, now, conflict: false);
            Wait(run.Task);
        }
    }

    /// <summary>
    /// Records the admitted claims of <paramref name="task"/>, checking what the policy promises: they conflict with no
    /// other admitted run's (whatever the orchestrator does beside the policy, e.g. speculation).
    /// </summary>
    private void Admitted(int task)
    {
        ImmutableArray<IndexConflict<int>> conflicts = _admitted.Conflicts(_claims[task]);
        if (!conflicts.IsEmpty)
        {
            throw new InvalidOperationException($"The policy admitted {_tasks[task].Id} beside {_tasks[conflicts[0].Owner].Id}, whose claims conflict with its claims.");
        }

        _admitted = _admitted.Add(task, _claims[task]);
    }

    /// <summary>Counts a bypass for every waiting task that arrived before <paramref name="task"/> and whose claims conflict with its claims.</summary>
    private void CountOvertaken(int task)
    {
        foreach (IndexConflict<int> conflict in _waiting.Conflicts(_claims[task]))
        {
            if (conflict.Owner < task)
            {
                _metrics.Overtaken(conflict.Owner);
            }
        }
    }

    /// <summary>Schedules the moment the run finds the next file its claims leave out (always before its finish: found at a share below 1).</summary>
    private void ScheduleDiscovery(string runId, ActiveRun run, long now)
    {
        if (_undeclared == UndeclaredFileAction.Amend && NextUndeclared(run.Task) is { } file)
        {
            long at = (long)Math.Floor(file.FoundAt * _tasks[run.Task].Duration);
            long done = _metrics.Kept(run.Task) + (now - run.Start);
            _events.Schedule(now + Math.Max(0, at - done), new SimEvent(SimEventKind.Discovery, run.Task, run.FencingToken, runId));
        }
    }

    /// <summary>The first file, in the order the agent finds them, that the task's current claims do not allow it to change.</summary>
    private UndeclaredFile? NextUndeclared(int task)
    {
        foreach (UndeclaredFile file in _tasks[task].Undeclared)
        {
            if (!_claims[task].AllowsChange(file.Path))
            {
                return file;
            }
        }

        return null;
    }

    private void Declare(int task, ImmutableArray<string> lines)
    {
        _declared[task] = lines;
        _claims[task] = ClaimSet.Parse(string.Join('\n', lines));
    }

    /// <summary>The task waits (again): it can be overtaken.</summary>
    private void Wait(int task)
    {
        if (!_isWaiting[task])
        {
            _isWaiting[task] = true;
            _waiting = _waiting.Add(task, _claims[task]);
        }
    }

    private void Unwait(int task)
    {
        if (_isWaiting[task])
        {
            _isWaiting[task] = false;
            _waiting = _waiting.RemoveOwner(task);
        }
    }

    private int TaskOf(string runId) => _taskOfItem[_graph.Runs[runId].WorkItemId];

    private string NextEventId() => "e" + (++_eventNumber).ToString(CultureInfo.InvariantCulture);

    private readonly record struct ActiveRun(int Task, long Start, long FencingToken, long BaseVersion);
}

/// <summary>What a ClaimGraph run needs beside the tasks and agents.</summary>
/// <param name="Policy">The policy settings, already set to the agents and no leases.</param>
/// <param name="Lookahead">See <see cref="SimulationOptions.ClaimGraphLookahead"/>.</param>
/// <param name="Undeclared">See <see cref="SimulationOptions.UndeclaredFiles"/>.</param>
/// <param name="ConflictCost">The conflict cost ρ.</param>
/// <param name="Bound">The tasks' lower bounds.</param>
/// <param name="SpeculationBudget">The most speculative runs at once (0: none); see <see cref="SimulationOptions.SpeculativeRuns"/>.</param>
internal sealed record RunSettings(PolicyOptions Policy, int? Lookahead, UndeclaredFileAction Undeclared, double ConflictCost, LowerBound Bound, int SpeculationBudget = 0);
