using System.Collections.Immutable;
using ClaimGraph.Policy;

namespace ClaimGraph.Simulation;

/// <summary>
/// What to simulate: which policies at which agent counts, how commits become tasks (claim granularity, arrival
/// times, durations) and the seed. Immutable; <see cref="Validate"/> lists every problem at once and the simulator
/// throws <see cref="ArgumentException"/> with that list.
/// </summary>
public sealed record SimulationOptions
{
    /// <summary>The agent counts of a sweep: 1, 2, 4, 8, 16, 32, 64.</summary>
    public static ImmutableArray<int> DefaultAgentCounts { get; } = [1, 2, 4, 8, 16, 32, 64];

    /// <summary>How coarsely tasks claim what they touch (ClaimGraph policy only). Default <see cref="ClaimGranularity.File"/>.</summary>
    public ClaimGranularity Granularity { get; init; } = ClaimGranularity.File;

    /// <summary>The default of <see cref="MaxClaimEntries"/>: 32.</summary>
    public const int DefaultMaxClaimEntries = 32;

    /// <summary>
    /// The most claim entries one task declares. A task whose claims at <see cref="Granularity"/> would have more
    /// claims at the next coarser granularity instead (directory, then top-level directory; never coarser than that),
    /// as an agent making a sweeping change would declare it. Coarser claims are still safe (they cover every file the
    /// task changes) and keep each policy step cheap: comparing two claim sets costs the product of their sizes.
    /// <see langword="null"/> never coarsens. Default <see cref="DefaultMaxClaimEntries"/>.
    /// </summary>
    public int? MaxClaimEntries { get; init; } = DefaultMaxClaimEntries;

    /// <summary>The agent counts to sweep, each at least 1, in the order reported. Default <see cref="DefaultAgentCounts"/>.</summary>
    public ImmutableArray<int> AgentCounts { get; init; } = DefaultAgentCounts;

    /// <summary>The policies to compare, in the order reported. Default fan-out, serial, ClaimGraph.</summary>
    public ImmutableArray<SimulationPolicy> Policies { get; init; } = [SimulationPolicy.FanOut, SimulationPolicy.Serial, SimulationPolicy.ClaimGraph];

    /// <summary>
    /// The factor by which the history's time between commits is divided: 100 turns a day of history into 14.4
    /// minutes, so that tasks queue up as they would when agents work through a backlog. 1 replays real time.
    /// Default 100.
    /// </summary>
    public double TimeCompression { get; init; } = 100;

    /// <summary>Which commit time is the arrival time. Default <see cref="ArrivalTimeSource.Committer"/>.</summary>
    public ArrivalTimeSource ArrivalTime { get; init; } = ArrivalTimeSource.Committer;

    /// <summary>How long tasks take. Default <see cref="DurationModel"/>'s defaults (20 min + 2 min per file, ±50%).</summary>
    public DurationModel Duration { get; init; } = new();

    /// <summary>Replay only the newest this many commits, or <see langword="null"/> for all. Default null.</summary>
    public int? MaxCommits { get; init; }

    /// <summary>The default of <see cref="ClaimGraphLookahead"/>: 8.</summary>
    public const int DefaultClaimGraphLookahead = 8;

    /// <summary>
    /// ClaimGraph policy only: the most runs the simulated orchestrator keeps requested but not yet admitted. Later
    /// arrivals wait in its own first-in-first-out backlog and are requested as admitted runs make room, so the policy
    /// can pick a non-conflicting task from at most this many. <see langword="null"/> requests every arrival at once
    /// (the policy sees the whole queue). Each policy step compares every waiting run with every active and reserving
    /// held run, so its cost grows with lookahead × (lookahead + agents) × claim entries²; a larger lookahead finds more
    /// disjoint work behind a blocked task but makes large sweeps slow. Default <see cref="DefaultClaimGraphLookahead"/>.
    /// </summary>
    public int? ClaimGraphLookahead { get; init; } = DefaultClaimGraphLookahead;

    /// <summary>
    /// The policy settings the simulated orchestrator passes to <c>ClaimPolicy.Step</c> (ClaimGraph only), as a
    /// template: the simulator sets <see cref="PolicyOptions.MaxActiveRuns"/> to the agent count of each run and
    /// <see cref="PolicyOptions.LeaseDuration"/> to <see langword="null"/> (simulated agents never die and send no
    /// heartbeats); every other setting is used as given. Default <see cref="PolicyOptions.Default"/>.
    /// </summary>
    public PolicyOptions Policy { get; init; } = PolicyOptions.Default;

    /// <summary>The seed of the per-task duration factor. Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Every problem with these options (empty when valid).</summary>
    public ImmutableArray<string> Validate()
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        Validation.Check(problems, Enum.IsDefined(Granularity), $"{nameof(Granularity)} {(int)Granularity} is not defined.");
        Validation.Check(problems, !AgentCounts.IsDefaultOrEmpty, $"{nameof(AgentCounts)} must not be empty.");
        if (!AgentCounts.IsDefault)
        {
            foreach (int agents in AgentCounts)
            {
                Validation.Check(problems, agents >= 1, $"{nameof(AgentCounts)} must hold counts of at least 1 (has {agents}).");
            }
        }

        Validation.Check(problems, !Policies.IsDefaultOrEmpty, $"{nameof(Policies)} must not be empty.");
        if (!Policies.IsDefault)
        {
            foreach (SimulationPolicy policy in Policies)
            {
                Validation.Check(problems, Enum.IsDefined(policy), $"{nameof(Policies)} holds the undefined policy {(int)policy}.");
            }
        }

        Validation.Check(problems, TimeCompression > 0 && double.IsFinite(TimeCompression), $"{nameof(TimeCompression)} must be above 0 (was {TimeCompression}).");
        Validation.Check(problems, Enum.IsDefined(ArrivalTime), $"{nameof(ArrivalTime)} {(int)ArrivalTime} is not defined.");
        Validation.Check(problems, MaxClaimEntries is null or >= 1, $"{nameof(MaxClaimEntries)} must be at least 1 or null (was {MaxClaimEntries}).");
        Validation.Check(problems, ClaimGraphLookahead is null or >= 1, $"{nameof(ClaimGraphLookahead)} must be at least 1 or null (was {ClaimGraphLookahead}).");
        Validation.Check(problems, MaxCommits is null or >= 1, $"{nameof(MaxCommits)} must be at least 1 or null (was {MaxCommits}).");
        if (Policy is null)
        {
            problems.Add($"{nameof(Policy)} must not be null.");
        }
        else
        {
            problems.AddRange(PolicyFor(1).Validate().Select(p => p.Message));
        }

        if (Duration is null)
        {
            problems.Add($"{nameof(Duration)} must not be null.");
        }
        else
        {
            problems.AddRange(Duration.Validate());
        }

        return problems.ToImmutable();
    }

    /// <summary>The policy settings of a ClaimGraph run with <paramref name="agents"/> agents: <see cref="Policy"/> with the agent count as the limit and no leases.</summary>
    public PolicyOptions PolicyFor(int agents) => Policy with { MaxActiveRuns = agents, LeaseDuration = null };

    internal void EnsureValid()
    {
        ImmutableArray<string> problems = Validate();
        if (!problems.IsEmpty)
        {
            throw new ArgumentException("Invalid simulation options: " + string.Join(" ", problems));
        }
    }
}
