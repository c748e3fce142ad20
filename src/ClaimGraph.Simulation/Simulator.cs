using System.Collections.Immutable;
using ClaimGraph.Policy;

namespace ClaimGraph.Simulation;

/// <summary>
/// Replays a commit history as agent tasks under several admission policies and agent counts, as a discrete-event
/// simulation (a priority queue of events ordered by simulated time, then by scheduling order). Deterministic: no
/// clock, no unseeded randomness, no hash-order iteration; the same inputs give equal results. Thread-safe (no
/// shared state); one sweep runs on the calling thread.
/// </summary>
/// <remarks>
/// Cost: fan-out and serial are O(events · log events) plus the files of each merge; the ClaimGraph policy adds one
/// <c>ClaimPolicy.Step</c> per arrival and per finish, whose admission pass looks at every waiting run.
/// </remarks>
public static class Simulator
{
    /// <summary>
    /// Turns <paramref name="history"/> into tasks (<see cref="SimulationTask.FromHistory"/>) and simulates every policy
    /// of <paramref name="options"/> with every agent count. Serial does not depend on the agent count and is simulated
    /// once, then reported for each count.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    public static SimulationReport Sweep(CommitHistory history, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        options ??= new SimulationOptions();
        ImmutableArray<SimulationTask> tasks = SimulationTask.FromHistory(history, options);
        int commits = options.MaxCommits is { } max ? Math.Min(max, history.Commits.Length) : history.Commits.Length;
        var results = ImmutableArray.CreateBuilder<PolicyRunResult>(options.Policies.Length * options.AgentCounts.Length);
        foreach (SimulationPolicy policy in options.Policies)
        {
            PolicyRunResult? serial = null;
            foreach (int agents in options.AgentCounts)
            {
                if (policy == SimulationPolicy.Serial)
                {
                    serial ??= Run(tasks, policy, agents, options.ClaimGraphLookahead, options.Policy);
                    results.Add(serial with { Agents = agents });
                }
                else
                {
                    results.Add(Run(tasks, policy, agents, options.ClaimGraphLookahead, options.Policy));
                }
            }
        }

        double span = tasks.IsEmpty ? 0 : (tasks[^1].Arrival - tasks[0].Arrival) / 3_600_000.0;
        return new SimulationReport(history.Name, commits, tasks.Length, span, options, results.MoveToImmutable());
    }

    /// <summary>Simulates <paramref name="tasks"/> (in arrival order, as <see cref="SimulationTask.FromHistory"/> gives them) under one policy with <paramref name="agents"/> agents.</summary>
    /// <param name="tasks">The tasks, in arrival order.</param>
    /// <param name="policy">The admission policy.</param>
    /// <param name="agents">The agents, at least 1.</param>
    /// <param name="lookahead">ClaimGraph only: see <see cref="SimulationOptions.ClaimGraphLookahead"/>.</param>
    /// <param name="policyOptions">ClaimGraph only: the policy settings template, see <see cref="SimulationOptions.Policy"/>; <see langword="null"/> for <see cref="PolicyOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="agents"/> is below 1, or <paramref name="policy"/> is undefined.</exception>
    /// <exception cref="ArgumentException">Tasks are not in arrival order, or two share an id, or the policy settings are invalid.</exception>
    public static PolicyRunResult Run(
        IReadOnlyList<SimulationTask> tasks,
        SimulationPolicy policy,
        int agents,
        int? lookahead = SimulationOptions.DefaultClaimGraphLookahead,
        PolicyOptions? policyOptions = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentOutOfRangeException.ThrowIfLessThan(agents, 1);
        if (lookahead is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(lookahead), lookahead, "must be at least 1 or null");
        }

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

        return policy switch
        {
            SimulationPolicy.FanOut or SimulationPolicy.Serial => FanOutSimulation.Run(tasks, policy, agents),
            SimulationPolicy.ClaimGraph => ClaimGraphSimulation.Run(tasks, agents, lookahead, PolicyFor(policyOptions, agents)),
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown policy"),
        };
    }

    private static PolicyOptions PolicyFor(PolicyOptions? template, int agents)
    {
        PolicyOptions options = new SimulationOptions { Policy = template ?? PolicyOptions.Default }.PolicyFor(agents);
        options.EnsureValid();
        return options;
    }
}
