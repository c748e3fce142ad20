namespace ClaimGraph.Simulation;

/// <summary>
/// Keeps the work of each task (how much of it is done and kept) and counts what happens during one simulation, then
/// turns it into a <see cref="PolicyRunResult"/>. An attempt starts from the work kept so far and needs the rest; when
/// its base goes stale, the share ρ of the work done (kept and new) is lost and counted as wasted.
/// </summary>
internal sealed class RunMetrics
{
    private const double MillisecondsPerHour = 3_600_000;
    private readonly IReadOnlyList<SimulationTask> _tasks;
    private readonly double _conflictCost;
    private readonly long[] _kept;
    private readonly long[] _firstStart;
    private readonly long[] _merge;
    private readonly int[] _bypass;
    private int _merged;
    private int _conflicts;
    private int _staleCancels;
    private int _restarts;
    private int _outOfOrder;
    private int _granted;
    private int _denied;
    private int _violations;
    private long _wasted;
    private long _busy;
    private long _lastMerge;
    private int _running;
    private int _peak;
    private int _speculativeStarts;
    private int _rebases;
    private int _preemptions;
    private long _speculativeBusy;

    public RunMetrics(IReadOnlyList<SimulationTask> tasks, double conflictCost)
    {
        _tasks = tasks;
        _conflictCost = conflictCost;
        _kept = new long[tasks.Count];
        _firstStart = new long[tasks.Count];
        _merge = new long[tasks.Count];
        _bypass = new int[tasks.Count];
        Array.Fill(_firstStart, -1);
        Array.Fill(_merge, -1);
    }

    /// <summary>The work an attempt at <paramref name="task"/> starting now needs.</summary>
    public long Remaining(int task) => _tasks[task].Duration - _kept[task];

    /// <summary>The work of <paramref name="task"/> done and kept so far (the point its next attempt starts from).</summary>
    public long Kept(int task) => _kept[task];

    public void Started(int task, long now)
    {
        if (_firstStart[task] < 0)
        {
            _firstStart[task] = now;
        }

        _running++;
        _peak = Math.Max(_peak, _running);
    }

    /// <summary>An attempt at <paramref name="task"/> that ran from <paramref name="start"/> to <paramref name="now"/> was merged.</summary>
    public void Merged(int task, long start, long now, bool outOfOrder)
    {
        _merged++;
        _running--;
        _busy += now - start;
        _kept[task] = _tasks[task].Duration;
        _merge[task] = now;
        _lastMerge = Math.Max(_lastMerge, now);
        _outOfOrder += outOfOrder ? 1 : 0;
    }

    /// <summary>
    /// An attempt whose base went stale ended without a merge: a merge conflict (<paramref name="conflict"/>) or a
    /// cancel by the policy. The share ρ of the task's work done so far is lost.
    /// </summary>
    public void Stale(int task, long start, long now, bool conflict)
    {
        long done = Math.Min(_tasks[task].Duration, _kept[task] + (now - start));
        long lost = (long)Math.Round(done * _conflictCost, MidpointRounding.AwayFromZero);
        _kept[task] = done - lost;
        _conflicts += conflict ? 1 : 0;
        _staleCancels += conflict ? 0 : 1;
        End(start, now, lost);
    }

    /// <summary>An attempt was stopped and its workspace dropped: all of the task's work so far is lost.</summary>
    public void Stopped(int task, long start, long now)
    {
        long done = Math.Min(_tasks[task].Duration, _kept[task] + (now - start));
        _kept[task] = 0;
        End(start, now, done);
    }

    /// <summary>An agent starts working on <paramref name="task"/> speculatively (its run is held).</summary>
    public void SpeculationStarted(int task, long now)
    {
        _speculativeStarts++;
        Started(task, now);
    }

    /// <summary>
    /// A speculative attempt that ran from <paramref name="start"/> to <paramref name="now"/> ends: done, given up for
    /// an admitted run (<paramref name="preempted"/>), or taken over by the task's own admitted run. Its work is kept.
    /// </summary>
    public void SpeculationStopped(int task, long start, long now, bool preempted)
    {
        _kept[task] = Math.Min(_tasks[task].Duration, _kept[task] + (now - start));
        _running--;
        _busy += now - start;
        _speculativeBusy += now - start;
        _preemptions += preempted ? 1 : 0;
    }

    /// <summary>
    /// The policy admitted <paramref name="task"/>, whose work so far was done speculatively; when a merge changed one
    /// of its exclusive files since that work's base (<paramref name="stale"/>) it is rebased: the share ρ of the work
    /// is lost, as for a fan-out conflict.
    /// </summary>
    public void SpeculationTakenUp(int task, bool stale)
    {
        if (stale)
        {
            long lost = (long)Math.Round(_kept[task] * _conflictCost, MidpointRounding.AwayFromZero);
            _kept[task] -= lost;
            _wasted += lost;
            _rebases++;
        }
    }

    /// <summary>The run of <paramref name="task"/> was cancelled while it had speculative work: all the task's work is lost.</summary>
    public void SpeculationDropped(int task)
    {
        _wasted += _kept[task];
        _kept[task] = 0;
    }

    /// <summary>A waiting task was overtaken by a later one with conflicting claims.</summary>
    public void Overtaken(int task) => _bypass[task]++;

    public void AmendmentGranted() => _granted++;

    public void AmendmentDenied() => _denied++;

    public void ClaimViolation() => _violations++;

    public PolicyRunResult ToResult(SimulationPolicy policy, int agents, LowerBound bound)
    {
        var waits = new List<long>(_tasks.Count);
        var latencies = new List<long>(_tasks.Count);
        long origin = _tasks.Count == 0 ? 0 : _tasks[0].Arrival;
        int largestBypass = 0;
        for (int i = 0; i < _tasks.Count; i++)
        {
            if (_firstStart[i] >= 0)
            {
                waits.Add(_firstStart[i] - _tasks[i].Arrival);
            }

            if (_merge[i] >= 0)
            {
                latencies.Add(_merge[i] - _tasks[i].Arrival);
            }

            largestBypass = Math.Max(largestBypass, _bypass[i]);
        }

        waits.Sort();
        latencies.Sort();
        double makespan = Math.Max(0, _lastMerge - origin) / MillisecondsPerHour;
        return new PolicyRunResult
        {
            Policy = policy,
            Agents = agents,
            ConflictCost = _conflictCost,
            Tasks = _tasks.Count,
            Merged = _merged,
            Conflicts = _conflicts,
            StaleCancels = _staleCancels,
            Restarts = _restarts,
            MergedPerHour = makespan > 0 ? _merged / makespan : 0,
            MakespanHours = makespan,
            LowerBoundHours = bound.Hours(policy == SimulationPolicy.Serial ? 1 : agents),
            WastedAgentHours = _wasted / MillisecondsPerHour,
            BusyAgentHours = _busy / MillisecondsPerHour,
            MedianWaitHours = NearestRank(waits, 0.5) / MillisecondsPerHour,
            P95WaitHours = NearestRank(waits, 0.95) / MillisecondsPerHour,
            LongestWaitHours = (waits.Count == 0 ? 0 : waits[^1]) / MillisecondsPerHour,
            MedianLatencyHours = NearestRank(latencies, 0.5) / MillisecondsPerHour,
            P95LatencyHours = NearestRank(latencies, 0.95) / MillisecondsPerHour,
            LargestBypass = largestBypass,
            OutOfOrderMerges = _outOfOrder,
            AmendmentsGranted = _granted,
            AmendmentsDenied = _denied,
            ClaimViolations = _violations,
            PeakConcurrency = _peak,
            SpeculativeStarts = _speculativeStarts,
            SpeculativeRebases = _rebases,
            SpeculativePreemptions = _preemptions,
            SpeculativeAgentHours = _speculativeBusy / MillisecondsPerHour,
        };
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

    private void End(long start, long now, long lost)
    {
        _restarts++;
        _running--;
        _busy += now - start;
        _wasted += lost;
    }
}
