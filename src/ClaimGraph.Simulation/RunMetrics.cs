namespace ClaimGraph.Simulation;

/// <summary>Counts what happens during one simulation and turns it into a <see cref="PolicyRunResult"/>.</summary>
internal sealed class RunMetrics
{
    private const double MillisecondsPerHour = 3_600_000;
    private const double MillisecondsPerMinute = 60_000;
    private readonly IReadOnlyList<SimulationTask> _tasks;
    private readonly long[] _firstStart;
    private int _merged;
    private int _conflicts;
    private int _restarts;
    private long _wasted;
    private long _busy;
    private long _lastMerge;
    private int _running;
    private int _peak;

    public RunMetrics(IReadOnlyList<SimulationTask> tasks)
    {
        _tasks = tasks;
        _firstStart = new long[tasks.Count];
        Array.Fill(_firstStart, -1);
    }

    public int Running => _running;

    public void Started(int task, long now)
    {
        if (_firstStart[task] < 0)
        {
            _firstStart[task] = now;
        }

        _running++;
        _peak = Math.Max(_peak, _running);
    }

    /// <summary>An attempt that ran from <paramref name="start"/> to <paramref name="now"/> was merged.</summary>
    public void Merged(long start, long now)
    {
        _merged++;
        _running--;
        _busy += now - start;
        _lastMerge = Math.Max(_lastMerge, now);
    }

    /// <summary>An attempt that ran from <paramref name="start"/> to <paramref name="now"/> was thrown away.</summary>
    public void Discarded(long start, long now, bool conflict)
    {
        _restarts++;
        _conflicts += conflict ? 1 : 0;
        _running--;
        _busy += now - start;
        _wasted += now - start;
    }

    public PolicyRunResult ToResult(SimulationPolicy policy, int agents)
    {
        var waits = new List<long>(_tasks.Count);
        long origin = _tasks.Count == 0 ? 0 : _tasks[0].Arrival;
        for (int i = 0; i < _tasks.Count; i++)
        {
            if (_firstStart[i] >= 0)
            {
                waits.Add(_firstStart[i] - _tasks[i].Arrival);
            }
        }

        waits.Sort();
        double makespan = Math.Max(0, _lastMerge - origin);
        return new PolicyRunResult(
            policy,
            agents,
            _tasks.Count,
            _merged,
            _conflicts,
            _restarts,
            makespan > 0 ? _merged / (makespan / MillisecondsPerHour) : 0,
            _wasted / MillisecondsPerHour,
            _busy / MillisecondsPerHour,
            NearestRank(waits, 0.5) / MillisecondsPerMinute,
            NearestRank(waits, 0.95) / MillisecondsPerMinute,
            makespan / MillisecondsPerHour,
            _peak);
    }

    /// <summary>The smallest value with at least <paramref name="fraction"/> of the values at or below it; 0 for none.</summary>
    internal static long NearestRank(List<long> sorted, double fraction)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        int rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
