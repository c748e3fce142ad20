namespace ClaimGraph.Simulation;

/// <summary>
/// Unmanaged fan-out over <c>agents</c> agents (serial is the same with one agent): waiting tasks start in arrival
/// order as soon as an agent is free, from the current base. At the end of an attempt, a task whose exclusive files
/// another merge changed since its base conflicts: the share ρ of its work is lost and the agent does it again from
/// the new base (at ρ = 1 the whole task, at ρ = 0.5 half of it: a rebase). Otherwise it merges and the agent takes
/// the next waiting task.
/// </summary>
internal static class FanOutSimulation
{
    public static PolicyRunResult Run(IReadOnlyList<SimulationTask> tasks, SimulationPolicy policy, int agents, double conflictCost, LowerBound bound)
    {
        int capacity = policy == SimulationPolicy.Serial ? 1 : agents;
        EventQueue events = EventQueue.WithArrivals(tasks);
        var metrics = new RunMetrics(tasks, conflictCost);
        var ledger = new MergeLedger();
        var waiting = new Queue<int>();
        var baseOf = new long[tasks.Count];
        var startOf = new long[tasks.Count];
        int free = capacity;

        void Start(int task, long now)
        {
            baseOf[task] = ledger.Version;
            startOf[task] = now;
            metrics.Started(task, now);
            events.Schedule(now + metrics.Remaining(task), new SimEvent(SimEventKind.Finish, task, 0));
        }

        while (events.TryNext(out long now, out SimEvent e))
        {
            int task = e.Task;
            if (e.Kind == SimEventKind.Arrival)
            {
                waiting.Enqueue(task);
            }
            else if (ledger.ChangedSince(tasks[task], baseOf[task]))
            {
                metrics.Stale(task, startOf[task], now, conflict: true);
                Start(task, now);
            }
            else
            {
                ledger.Merge(tasks[task], task, out bool outOfOrder);
                metrics.Merged(task, startOf[task], now, outOfOrder);
                free++;
            }

            while (free > 0 && waiting.Count > 0)
            {
                free--;
                Start(waiting.Dequeue(), now);
            }
        }

        return metrics.ToResult(policy, agents, bound);
    }
}
