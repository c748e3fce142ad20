namespace ClaimGraph.Simulation;

/// <summary>What happens at a point of simulated time.</summary>
internal enum SimEventKind
{
    /// <summary>A task arrives and asks for an agent.</summary>
    Arrival,

    /// <summary>An agent finishes an attempt at a task and tries to merge it.</summary>
    Finish,

    /// <summary>An agent finds that it must change a file its claims leave out (ClaimGraph with imperfect claims).</summary>
    Discovery,

    /// <summary>A retry's backoff ends: the orchestrator sends the policy a <c>Tick</c> (ClaimGraph).</summary>
    Wake,

    /// <summary>An agent finishes the speculative work on a held run (ClaimGraph with speculation): its agent is free again.</summary>
    SpeculationDone,
}

/// <summary>A simulation event: a task's arrival, or an event of one attempt (<paramref name="Attempt"/>, the fencing token, tells stale ones apart).</summary>
internal readonly record struct SimEvent(SimEventKind Kind, int Task, long Attempt, string? RunId = null);

/// <summary>
/// The future events of a discrete-event simulation, ordered by (time, sequence): equal times come out in the order
/// they were scheduled, so a run never depends on heap layout. O(log n) per operation.
/// </summary>
internal sealed class EventQueue
{
    private readonly PriorityQueue<SimEvent, (long Time, long Sequence)> _queue = new();
    private long _sequence;

    public int Count => _queue.Count;

    public void Schedule(long time, SimEvent e) => _queue.Enqueue(e, (time, _sequence++));

    public bool TryNext(out long time, out SimEvent e)
    {
        if (_queue.TryDequeue(out e, out (long Time, long Sequence) key))
        {
            time = key.Time;
            return true;
        }

        time = 0;
        return false;
    }

    /// <summary>Schedules every task's arrival, in task order (so a task arriving with another keeps its place).</summary>
    public static EventQueue WithArrivals(IReadOnlyList<SimulationTask> tasks)
    {
        var queue = new EventQueue();
        for (int i = 0; i < tasks.Count; i++)
        {
            queue.Schedule(tasks[i].Arrival, new SimEvent(SimEventKind.Arrival, i, 0));
        }

        return queue;
    }
}
