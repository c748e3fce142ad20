namespace ClaimGraph.Simulation;

/// <summary>
/// Lower bounds on the makespan (first arrival to last merge) of any schedule of a list of tasks that never merges a
/// conflict. Immutable.
/// </summary>
/// <remarks>
/// The tasks that change one exclusive file must run one after another, each for its full duration and not before it
/// arrives, so the makespan is at least the best single-machine schedule of each file's tasks — earliest arrival first
/// is optimal for that — maximised over files. The agents add two more: all the work divided by the agents, and the
/// latest arrival plus duration of any one task. Mergeable files (<see cref="SimulationTask.Mergeable"/>) never
/// conflict and are left out. Fan-out at a conflict cost below 1 redoes a conflicted task in less than its duration
/// and may finish below the bound.
/// </remarks>
/// <param name="FileHours">The per-file bound: the largest over exclusive files of the best single-machine schedule of the tasks that change it.</param>
/// <param name="File">The file that sets <paramref name="FileHours"/> (the ordinally first on a tie), or <see langword="null"/> when there is no task.</param>
/// <param name="WorkHours">The tasks' durations summed: divided by the agents, a bound.</param>
/// <param name="TaskHours">The latest arrival plus duration of one task.</param>
public sealed record LowerBound(double FileHours, string? File, double WorkHours, double TaskHours)
{
    private const double MillisecondsPerHour = 3_600_000;

    /// <summary>The bound with <paramref name="agents"/> agents: the largest of the three.</summary>
    public double Hours(int agents) => Math.Max(FileHours, Math.Max(WorkHours / Math.Max(1, agents), TaskHours));

    /// <summary>The bounds of <paramref name="tasks"/>, in any order; times are measured from the first arrival. O(total files + tasks · log tasks).</summary>
    public static LowerBound Of(IReadOnlyList<SimulationTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count == 0)
        {
            return new LowerBound(0, null, 0, 0);
        }

        SimulationTask[] ordered = [.. tasks.OrderBy(t => t.Arrival)]; // stable: equal arrivals keep their order
        long origin = ordered[0].Arrival;
        var finish = new Dictionary<string, long>(StringComparer.Ordinal);
        long work = 0;
        long single = 0;

        // Each file's tasks are visited earliest arrival first.
        foreach (SimulationTask task in ordered)
        {
            work += task.Duration;
            single = Math.Max(single, task.Arrival - origin + task.Duration);
            foreach (string file in task.Files)
            {
                if (MergeLedger.IsExclusive(task, file))
                {
                    long free = finish.TryGetValue(file, out long end) ? end : 0;
                    finish[file] = Math.Max(free, task.Arrival - origin) + task.Duration;
                }
            }
        }

        string? worst = null;
        long longest = 0;
        foreach (KeyValuePair<string, long> file in finish)
        {
            if (file.Value > longest || (file.Value == longest && worst is not null && string.CompareOrdinal(file.Key, worst) < 0))
            {
                (worst, longest) = (file.Key, file.Value);
            }
        }

        return new LowerBound(longest / MillisecondsPerHour, worst, work / MillisecondsPerHour, single / MillisecondsPerHour);
    }
}
