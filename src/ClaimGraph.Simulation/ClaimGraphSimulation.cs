using System.Collections.Immutable;
using System.Globalization;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Simulation;

/// <summary>
/// Drives the real policy, <see cref="ClaimPolicy.Step"/>, with the events an orchestrator would send: on arrival a
/// <see cref="WorkItemAdded"/> and a <see cref="RunRequested"/> with the task's <c>write</c> claims; when an admitted
/// run's time is up, a <see cref="RunSucceeded"/> with its fencing token, its changed files and the next base version.
/// The policy settings are a template (<see cref="SimulationOptions.Policy"/>): agents are
/// <see cref="PolicyOptions.MaxActiveRuns"/>; leases are off (the simulated agents never die). Each
/// merge is checked against the ledger like fan-out's, so a conflict here would be a policy bug; a run the policy
/// cancels is wasted work and its retry is admitted like any run.
/// </summary>
internal sealed class ClaimGraphSimulation
{
    private readonly IReadOnlyList<SimulationTask> _tasks;
    private readonly int _agents;
    private readonly PolicyOptions _options;
    private readonly EventQueue _events;
    private readonly RunMetrics _metrics;
    private readonly MergeLedger _ledger = new();
    private readonly Dictionary<string, int> _taskOfItem = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActiveRun> _active = new(StringComparer.Ordinal);
    private readonly Queue<int> _backlog = new();
    private readonly List<PolicyEvent> _batch = [];
    private readonly int? _lookahead;
    private WorkGraph _graph = WorkGraph.Empty;
    private long _eventNumber;

    private ClaimGraphSimulation(IReadOnlyList<SimulationTask> tasks, int agents, int? lookahead, PolicyOptions options)
    {
        _tasks = tasks;
        _agents = agents;
        _lookahead = lookahead;
        _options = options;
        _events = EventQueue.WithArrivals(tasks);
        _metrics = new RunMetrics(tasks);
        for (int i = 0; i < tasks.Count; i++)
        {
            _taskOfItem.Add(tasks[i].Id, i);
        }
    }

    /// <param name="tasks">The tasks, in arrival order.</param>
    /// <param name="agents">The agents (the policy's <see cref="PolicyOptions.MaxActiveRuns"/> must equal it).</param>
    /// <param name="lookahead">The most runs waiting in the policy at once, or <see langword="null"/> for all.</param>
    /// <param name="options">The policy settings, already set to <paramref name="agents"/> and no leases.</param>
    public static PolicyRunResult Run(IReadOnlyList<SimulationTask> tasks, int agents, int? lookahead, PolicyOptions options) =>
        new ClaimGraphSimulation(tasks, agents, lookahead, options).Run();

    private PolicyRunResult Run()
    {
        while (_events.TryNext(out long now, out SimEvent e))
        {
            SimulationTask task = _tasks[e.Task];
            if (e.Kind == SimEventKind.Arrival)
            {
                _backlog.Enqueue(e.Task);
                RequestFromBacklog(now);
                continue;
            }

            // A finish of a run the policy cancelled meanwhile is stale: its agent already stopped.
            if (!_active.TryGetValue(e.RunId!, out ActiveRun run) || run.FencingToken != e.Attempt)
            {
                continue;
            }

            _active.Remove(e.RunId!);
            if (_ledger.ChangedSince(task.Files, run.BaseVersion))
            {
                // Cannot happen while the policy keeps overlapping claims apart; counted, not hidden, if it does.
                _metrics.Discarded(run.Start, now, conflict: true);
                _batch.Add(new RunFailed(NextEventId(), now, e.RunId!, run.FencingToken, Transient: true) { Message = "merge conflict" });
                Step(now);
                RequestFromBacklog(now);
                continue;
            }

            long version = _ledger.Merge(task.Files);
            _metrics.Merged(run.Start, now);
            _batch.Add(new RunSucceeded(NextEventId(), now, e.RunId!, run.FencingToken, version) { ChangedPaths = task.Files });
            Step(now);
            RequestFromBacklog(now);
        }

        return _metrics.ToResult(SimulationPolicy.ClaimGraph, _agents);
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
                SimulationTask task = _tasks[_backlog.Dequeue()];
                _batch.Add(new WorkItemAdded(NextEventId(), now, task.Id));
                _batch.Add(new RunRequested(NextEventId(), now, task.Id, task.Id, task.Claims));
            }

            Step(now);
        }
    }

    private void Step(long now)
    {
        PolicyStepResult result = ClaimPolicy.Step(_graph, _batch, _options);
        _batch.Clear();
        _graph = result.Graph;
        foreach (Decision decision in result.Decisions)
        {
            switch (decision)
            {
                case AdmitDecision admit when admit.Reason != ReasonCode.AmendmentGranted:
                    Admit(admit, now);
                    break;
                case CancelDecision cancel when cancel.RunId is not null && _active.Remove(cancel.RunId, out ActiveRun cancelled):
                    _metrics.Discarded(cancelled.Start, now, conflict: false);
                    break;
                case RejectDecision reject:
                    throw new InvalidOperationException("The policy rejected a simulated event: " + reject.Message);
                case ClaimViolationDecision violation:
                    throw new InvalidOperationException("A simulated run changed paths outside its claims: " + violation.Message);
            }
        }

        if (_active.Count > _agents || _graph.BaseVersion != _ledger.Version)
        {
            throw new InvalidOperationException(
                $"The simulation lost step with the policy: {_active.Count} active runs for {_agents} agents, base {_graph.BaseVersion} vs {_ledger.Version}.");
        }
    }

    private void Admit(AdmitDecision admit, long now)
    {
        string runId = admit.RunId!;
        int task = _taskOfItem[_graph.Runs[runId].WorkItemId];
        _active.Add(runId, new ActiveRun(now, admit.FencingToken, admit.BaseVersion));
        _metrics.Started(task, now);
        _events.Schedule(now + _tasks[task].Duration, new SimEvent(SimEventKind.Finish, task, admit.FencingToken, runId));
    }

    private string NextEventId() => "e" + (++_eventNumber).ToString(CultureInfo.InvariantCulture);

    private readonly record struct ActiveRun(long Start, long FencingToken, long BaseVersion);
}
