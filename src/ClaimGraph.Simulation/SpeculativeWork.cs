namespace ClaimGraph.Simulation;

/// <summary>
/// The speculative work of the simulated orchestrator, per task: whether an agent is working on the task now
/// (speculatively, outside the policy), since when, and the base version its speculative work stands on. The work done
/// itself is kept by <see cref="RunMetrics"/> like any other work. Running speculations are kept in start order, so
/// the newest one is the first to give its agent back.
/// </summary>
internal sealed class SpeculativeWork
{
    private readonly long[] _start;
    private readonly long[] _base;
    private readonly long[] _attempt;
    private readonly List<int> _running = [];

    public SpeculativeWork(int tasks)
    {
        _start = new long[tasks];
        _base = new long[tasks];
        _attempt = new long[tasks];
        Array.Fill(_start, -1);
        Array.Fill(_base, -1);
    }

    /// <summary>Speculations working now (each on an agent).</summary>
    public int Running => _running.Count;

    /// <summary>The speculation started last of those working now.</summary>
    public int Newest => _running[^1];

    public bool IsRunning(int task) => _start[task] >= 0;

    /// <summary>Whether the task has speculative work (working now or parked): <see cref="Base"/> is set.</summary>
    public bool HasWork(int task) => _base[task] >= 0;

    /// <summary>The base version the task's speculative work stands on (the base when it first started speculatively).</summary>
    public long Base(int task) => _base[task];

    /// <summary>Whether <paramref name="attempt"/> is the task's speculation working now (a later event of an ended one is stale).</summary>
    public bool IsCurrent(int task, long attempt) => IsRunning(task) && _attempt[task] == attempt;

    /// <summary>An agent starts working on the task speculatively at <paramref name="now"/>; returns the attempt number.</summary>
    public long Start(int task, long now, long baseVersion)
    {
        if (_base[task] < 0)
        {
            _base[task] = baseVersion;
        }

        _start[task] = now;
        _running.Add(task);
        return ++_attempt[task];
    }

    /// <summary>The task's agent stops working on it (the work stays in its workspace); returns when it had started.</summary>
    public long Stop(int task)
    {
        long start = _start[task];
        _start[task] = -1;
        _running.Remove(task);
        return start;
    }

    /// <summary>The task's speculative work is settled (taken up by its admitted run, or thrown away).</summary>
    public void Clear(int task) => _base[task] = -1;
}
