using System.Collections.Immutable;

namespace ClaimGraph.Simulation;

/// <summary>
/// Replays a commit history as agent tasks under several admission policies, agent counts and conflict costs, as a
/// discrete-event simulation (a priority queue of events ordered by simulated time, then by scheduling order).
/// Deterministic: no clock, no unseeded randomness, no hash-order iteration; the same inputs give equal results.
/// Thread-safe (no shared state); one sweep runs on the calling thread.
/// </summary>
/// <remarks>
/// Cost: fan-out and serial are O(events · log events) plus the files of each merge; the ClaimGraph policy adds one
/// <c>ClaimPolicy.Step</c> per arrival and per finish, whose admission pass looks at the waiting runs the event may
/// have unblocked, and with speculation a walk of the admission queue after each event while agents are idle.
/// </remarks>
public static class Simulator
{
    /// <summary>
    /// Turns <paramref name="history"/> into tasks (<see cref="SimulationTask.FromHistory"/>) and simulates every policy
    /// of <paramref name="options"/> with every agent count at every conflict cost. Results come in the order conflict
    /// cost, policy, agent count. A run in which no base ever went stale (serial always; ClaimGraph with exact claims and no speculative rebase)
    /// does not depend on the conflict cost and is simulated once, then reported for each cost; serial does not depend
    /// on the agent count either.
    /// </summary>
    /// <param name="history">The history.</param>
    /// <param name="options">What to simulate; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Called with each result as soon as it is known, in report order (e.g. to print progress).</param>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    public static SimulationReport Sweep(CommitHistory history, SimulationOptions? options = null, Action<PolicyRunResult>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        options ??= new SimulationOptions();
        ImmutableArray<SimulationTask> tasks = SimulationTask.FromHistory(history, options);
        LowerBound bound = LowerBound.Of(tasks);
        int commits = options.MaxCommits is { } max ? Math.Min(max, history.Commits.Length) : history.Commits.Length;
        var results = ImmutableArray.CreateBuilder<PolicyRunResult>(options.ConflictCosts.Length * options.Policies.Length * options.AgentCounts.Length);
        var costFree = new Dictionary<(SimulationPolicy, int, bool), PolicyRunResult>();
        foreach (double cost in options.ConflictCosts)
        {
            foreach (SimulationPolicy policy in options.Policies)
            {
                foreach (int agents in options.AgentCounts)
                {
                    int key = policy == SimulationPolicy.Serial ? 1 : agents;
                    bool speculates = policy == SimulationPolicy.ClaimGraph && options.SpeculatesAt(cost);
                    PolicyRunResult result;
                    if (costFree.TryGetValue((policy, key, speculates), out PolicyRunResult? known))
                    {
                        result = known with { Agents = agents, ConflictCost = cost };
                    }
                    else
                    {
                        result = Simulate(tasks, policy, key, options, cost, bound) with { Agents = agents };
                        if (result.Conflicts == 0 && result.StaleCancels == 0 && result.SpeculativeRebases == 0)
                        {
                            costFree[(policy, key, speculates)] = result;
                        }
                    }

                    results.Add(result);
                    progress?.Invoke(result);
                }
            }
        }

        double span = tasks.IsEmpty ? 0 : (tasks[^1].Arrival - tasks[0].Arrival) / 3_600_000.0;
        return new SimulationReport(history.Name, commits, tasks.Length, span, bound, options, results.MoveToImmutable());
    }

    /// <summary>
    /// Simulates <paramref name="tasks"/> (in arrival order, as <see cref="SimulationTask.FromHistory"/> gives them) under
    /// one policy with <paramref name="agents"/> agents at one conflict cost. Of <paramref name="options"/> it uses the
    /// ClaimGraph settings (<see cref="SimulationOptions.ClaimGraphLookahead"/>, <see cref="SimulationOptions.Policy"/>,
    /// <see cref="SimulationOptions.UndeclaredFiles"/>); the tasks already carry their claims.
    /// </summary>
    /// <param name="tasks">The tasks, in arrival order.</param>
    /// <param name="policy">The admission policy.</param>
    /// <param name="agents">The agents, at least 1.</param>
    /// <param name="options">The ClaimGraph settings; <see langword="null"/> for the defaults.</param>
    /// <param name="conflictCost">The conflict cost ρ in [0, 1] (see <see cref="SimulationOptions.ConflictCosts"/>). Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="agents"/> is below 1, <paramref name="conflictCost"/> is outside [0, 1], or <paramref name="policy"/> is undefined.</exception>
    /// <exception cref="ArgumentException">Tasks are not in arrival order, or two share an id, or the options are invalid.</exception>
    public static PolicyRunResult Run(IReadOnlyList<SimulationTask> tasks, SimulationPolicy policy, int agents, SimulationOptions? options = null, double conflictCost = 1)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentOutOfRangeException.ThrowIfLessThan(agents, 1);
        if (conflictCost is not (>= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(conflictCost), conflictCost, "must be between 0 and 1");
        }

        options ??= new SimulationOptions();
        options.EnsureValid();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < tasks.Count; i++)
        {
            if (!ids.Add(tasks[i].Id))
            {
                throw new ArgumentException($"Two tasks have the id '{tasks[i].Id}'.", nameof(tasks));
            }

            if (i > 0 && tasks[i].Arrival < tasks[i - 1].Arrival)
            {
                throw new ArgumentException($"Task '{tasks[i].Id}' arrives before the task listed before it; give tasks in arrival order.", nameof(tasks));
            }
        }

        return Simulate(tasks, policy, agents, options, conflictCost, LowerBound.Of(tasks));
    }

    private static PolicyRunResult Simulate(IReadOnlyList<SimulationTask> tasks, SimulationPolicy policy, int agents, SimulationOptions options, double conflictCost, LowerBound bound) => policy switch
    {
        SimulationPolicy.FanOut or SimulationPolicy.Serial => FanOutSimulation.Run(tasks, policy, agents, conflictCost, bound),
        SimulationPolicy.ClaimGraph => ClaimGraphSimulation.Run(
            tasks,
            agents,
            new RunSettings(
                options.PolicyFor(agents),
                options.ClaimGraphLookahead,
                options.UndeclaredFiles,
                conflictCost,
                bound,
                options.SpeculatesAt(conflictCost) ? options.SpeculativeRuns ?? int.MaxValue : 0)),
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown policy"),
    };
}
