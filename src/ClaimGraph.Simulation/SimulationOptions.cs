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

    /// <summary>
    /// The most claim entries one task declares, or <see langword="null"/> for no limit (the default: every task
    /// claims exactly the files it changes, however many). A task whose claims at <see cref="Granularity"/> would have
    /// more entries claims at the next coarser granularity instead (directory, then top-level directory; never coarser
    /// than that), as an agent making a sweeping change might declare it. Coarser claims are still safe (they cover
    /// every file the task changes) but serialise tasks that touch different files of one directory.
    /// </summary>
    public int? MaxClaimEntries { get; init; }

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

    /// <summary>
    /// ClaimGraph policy only: the most runs the simulated orchestrator keeps requested but not yet admitted, or
    /// <see langword="null"/> to request every arrival at once so the policy sees the whole queue (the default). With
    /// a limit, later arrivals wait in the orchestrator's own first-in-first-out backlog and are requested as admitted
    /// runs make room, so the policy can pick a non-conflicting task from at most this many.
    /// </summary>
    public int? ClaimGraphLookahead { get; init; }

    /// <summary>The conflict costs of <see cref="ConflictCosts"/> by default: 1 and 0.5.</summary>
    public static ImmutableArray<double> DefaultConflictCosts { get; } = [1, 0.5];

    /// <summary>
    /// The conflict costs ρ to report, each in [0, 1], in the order reported: every policy is simulated at each. When
    /// an attempt's base goes stale (a fan-out merge conflict, or a ClaimGraph run cancelled or conflicting because of
    /// a change outside its claims), a share ρ of the work it had done is lost and must be done again: at ρ = 1 the
    /// task is redone from scratch, at ρ = 0.5 a conflict at merge costs half the task's duration (a rebase rather than
    /// a redo). The lost time is counted as wasted agent time. Default <see cref="DefaultConflictCosts"/>.
    /// </summary>
    public ImmutableArray<double> ConflictCosts { get; init; } = DefaultConflictCosts;

    /// <summary>
    /// The files that are regenerated or merged mechanically, whose concurrent changes never conflict: lock files,
    /// <c>go.sum</c>/<c>go.mod</c>, translation files, changelogs. Globs in the ClaimGraph dialect; see
    /// <see cref="MergeableFiles.Defaults"/>.
    /// </summary>
    /// <remarks>
    /// A ClaimGraph task claims such a file as <c>append</c> (appends never conflict with each other) and every other
    /// file as <c>write</c>; for every policy (fan-out and serial too) a merge never conflicts on such a file, and the
    /// lower bound leaves them out. Empty: every file is exclusive. Default <see cref="MergeableFiles.Defaults"/>,
    /// because that is how these files behave in the repositories replayed (tools regenerate lock files and
    /// <c>go.sum</c> after a merge; changelog entries are added lines that a union merge keeps), and both policies get
    /// the same treatment, so the comparison stays fair.
    /// </remarks>
    public ImmutableArray<string> Mergeable { get; init; } = MergeableFiles.Defaults;

    /// <summary>
    /// Footprint uncertainty: the share, in [0, 1), of each task's files its declared claims leave out (ClaimGraph
    /// only; fan-out declares nothing). Each file is left out or not by a stable hash of the seed, the commit and the
    /// path, and a task keeps at least one declared file. The agent finds each left-out file at a seeded point of its
    /// work and acts as <see cref="UndeclaredFiles"/> says. Default 0: claims are exact.
    /// </summary>
    public double MissingClaimShare { get; init; }

    /// <summary>What an agent does about a file its claims left out. Default <see cref="UndeclaredFileAction.Amend"/>.</summary>
    public UndeclaredFileAction UndeclaredFiles { get; init; } = UndeclaredFileAction.Amend;

    /// <summary>
    /// The policy settings the simulated orchestrator passes to <c>ClaimPolicy.Step</c> (ClaimGraph only), as a
    /// template: the simulator sets <see cref="PolicyOptions.MaxActiveRuns"/> to the agent count of each run and
    /// <see cref="PolicyOptions.LeaseDuration"/> to <see langword="null"/> (simulated agents never die and send no
    /// heartbeats); every other setting is used as given. Default <see cref="PolicyOptions.Default"/>.
    /// </summary>
    public PolicyOptions Policy { get; init; } = PolicyOptions.Default;

    /// <summary>
    /// ClaimGraph only: speculation on idle agents. When agents are idle, the simulated orchestrator starts runs that
    /// the policy holds only because of claim conflicts (<c>ClaimConflict</c>, <c>QueuedBehind</c>; never one held by a
    /// dependency, a limit or a backoff), in the policy's admission order, each on an idle agent in a workspace of its
    /// own, at most this many at once; <see langword="null"/> for as many as there are idle agents, 0 for none. Their
    /// claims are not admitted and the policy decides exactly as without speculation. When the policy admits such a
    /// run, it continues from its speculative work; if a merge changed one of its exclusive files since that work's
    /// base, it rebases first, losing the share ρ of the work (as a fan-out conflict does). An admitted run that needs
    /// an agent takes the newest speculation's agent (that work is kept for later). Speculation happens only at a
    /// conflict cost below 1: at ρ = 1 a rebase is a redo, so it could only waste. Default <see langword="null"/>
    /// (every idle agent), because on the replayed histories it pays: at ρ = 0.5 it lifts ClaimGraph above fan-out's
    /// throughput at every agent count with a fraction of fan-out's wasted agent time.
    /// </summary>
    public int? SpeculativeRuns { get; init; }

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
        Validation.Check(problems, !ConflictCosts.IsDefaultOrEmpty, $"{nameof(ConflictCosts)} must not be empty.");
        if (!ConflictCosts.IsDefault)
        {
            foreach (double cost in ConflictCosts)
            {
                Validation.Check(problems, cost is >= 0 and <= 1, $"{nameof(ConflictCosts)} must hold costs between 0 and 1 (has {cost}).");
            }
        }

        Validation.Check(problems, !Mergeable.IsDefault, $"{nameof(Mergeable)} must not be default (use an empty array for none).");
        if (!Mergeable.IsDefault)
        {
            problems.AddRange(MergeableFiles.Validate(Mergeable));
        }

        Validation.Check(problems, MissingClaimShare is >= 0 and < 1, $"{nameof(MissingClaimShare)} must be in [0, 1) (was {MissingClaimShare}).");
        Validation.Check(problems, Enum.IsDefined(UndeclaredFiles), $"{nameof(UndeclaredFiles)} {(int)UndeclaredFiles} is not defined.");
        Validation.Check(problems, ClaimGraphLookahead is null or >= 1, $"{nameof(ClaimGraphLookahead)} must be at least 1 or null (was {ClaimGraphLookahead}).");
        Validation.Check(problems, SpeculativeRuns is null or >= 0, $"{nameof(SpeculativeRuns)} must be at least 0 or null (was {SpeculativeRuns}).");
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

    /// <summary>Whether ClaimGraph runs speculate at conflict cost <paramref name="conflictCost"/> (see <see cref="SpeculativeRuns"/>).</summary>
    public bool SpeculatesAt(double conflictCost) => SpeculativeRuns is not 0 && conflictCost < 1;

    internal void EnsureValid()
    {
        ImmutableArray<string> problems = Validate();
        if (!problems.IsEmpty)
        {
            throw new ArgumentException("Invalid simulation options: " + string.Join(" ", problems));
        }
    }
}
