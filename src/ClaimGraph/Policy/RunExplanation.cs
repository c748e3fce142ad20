using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>Why two runs that were active at the same time could safely be.</summary>
public enum Safety
{
    /// <summary>No path is covered by both claim sets.</summary>
    DisjointCoverage = 1,

    /// <summary>Some paths are covered by both, but only with compatible modes (read/read, append/append, read/append).</summary>
    CompatibleModes = 2,

    /// <summary>Conflicting entries overlap only where one side's exclusions remove the paths.</summary>
    Excluded = 3,

    /// <summary>The claim sets conflict now (for example after an amendment was granted by an older version); reported, never hidden.</summary>
    Conflicting = 9,
}

/// <summary>One pair of entries of two claim sets: do they overlap, where, and where do they part. Immutable.</summary>
public sealed class EntryPair
{
    /// <summary>Creates the pair.</summary>
    /// <param name="entry">The entry of the explained run.</param>
    /// <param name="otherEntry">The entry of the other run.</param>
    /// <param name="witness">A path both cover, or <see langword="null"/> when they are disjoint.</param>
    /// <param name="parting">For disjoint entries, where the patterns part when that is simple; else <see langword="null"/>.</param>
    public EntryPair(ClaimEntry entry, ClaimEntry otherEntry, string? witness, string? parting)
    {
        Entry = entry;
        OtherEntry = otherEntry;
        Witness = witness;
        Parting = parting;
    }

    /// <summary>The entry of the explained run.</summary>
    public ClaimEntry Entry { get; }

    /// <summary>The entry of the other run.</summary>
    public ClaimEntry OtherEntry { get; }

    /// <summary>A path both cover, or <see langword="null"/> when they are disjoint.</summary>
    public string? Witness { get; }

    /// <summary>For disjoint entries, where the patterns part when that is simple (e.g. <c>segment 1: 'docs' vs 'src'</c>); else <see langword="null"/>.</summary>
    public string? Parting { get; }

    /// <summary>Whether the two entries cover a common path.</summary>
    public bool Overlaps => Witness is not null;

    /// <summary>Whether their modes conflict (the mode matrix in docs/policy.md).</summary>
    public bool ModesConflict => Entry.Mode.ConflictsWith(OtherEntry.Mode);
}

/// <summary>A run that was active beside the explained run, and why that was safe. Immutable.</summary>
public sealed class ConcurrentRun
{
    /// <summary>Creates the entry.</summary>
    /// <param name="runId">The other run.</param>
    /// <param name="workItemId">Its work item.</param>
    /// <param name="safety">Why it was safe.</param>
    /// <param name="detail">A sentence built from the pairs.</param>
    /// <param name="pairs">The entry pairs examined (at most <see cref="RunExplanation.MaxPairs"/>).</param>
    public ConcurrentRun(string runId, string workItemId, Safety safety, string detail, ImmutableArray<EntryPair> pairs)
    {
        RunId = runId;
        WorkItemId = workItemId;
        Safety = safety;
        Detail = detail;
        Pairs = pairs;
    }

    /// <summary>The other run.</summary>
    public string RunId { get; }

    /// <summary>Its work item.</summary>
    public string WorkItemId { get; }

    /// <summary>Why it was safe.</summary>
    public Safety Safety { get; }

    /// <summary>A sentence built from the pairs.</summary>
    public string Detail { get; }

    /// <summary>The entry pairs examined (at most <see cref="RunExplanation.MaxPairs"/>).</summary>
    public ImmutableArray<EntryPair> Pairs { get; }

    /// <summary>
    /// What the other run assumed beside its claims (<see cref="Run.Assumptions"/>), each saying whether it still held
    /// when that run finished (or now, while it is live). Empty when it assumed nothing.
    /// </summary>
    public ImmutableArray<Assumption> Assumptions { get; init => field = value.IsDefault ? [] : value; } = [];
}

/// <summary>A run's decision history and its change packet: every run active beside it, and why that was safe. Immutable.</summary>
public sealed class RunExplanation
{
    /// <summary>Creates the explanation.</summary>
    /// <param name="run">The run as it is in the graph.</param>
    /// <param name="changePacket">The runs whose active time overlapped this run's, ordered by run id.</param>
    public RunExplanation(Run run, ImmutableArray<ConcurrentRun> changePacket)
    {
        Run = run;
        ChangePacket = changePacket;
    }

    /// <summary>The run as it is in the graph.</summary>
    public Run Run { get; }

    /// <summary>The runs whose active time overlapped this run's, ordered by run id.</summary>
    public ImmutableArray<ConcurrentRun> ChangePacket { get; }

    /// <summary>The most entry pairs listed per concurrent run.</summary>
    public const int MaxPairs = 32;

    /// <summary>The run's decisions (and lifecycle notes), oldest first.</summary>
    public ImmutableList<RunHistoryEntry> History => Run.History;

    /// <summary>
    /// What the run assumed beside its claims, each saying whether it still held when the run finished (or now, while
    /// it is live) and, if not, the actual version and the event that broke it. Empty when it assumed nothing.
    /// </summary>
    public ImmutableArray<Assumption> Assumptions => Run.Assumptions;
}

/// <summary>Builds <see cref="RunExplanation"/>s. Pure; O(runs + entries²) per call.</summary>
public static class RunExplainer
{
    /// <summary>Explains run <paramref name="runId"/>, or returns <see langword="null"/> when the graph has no such run.</summary>
    public static RunExplanation? Explain(WorkGraph graph, string runId)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(runId);
        if (!graph.TryGetRun(runId, out Run? run))
        {
            return null;
        }

        (long start, long end) = ActiveInterval(run);
        var packet = ImmutableArray.CreateBuilder<ConcurrentRun>();
        if (start >= 0)
        {
            foreach (KeyValuePair<string, Run> kv in graph.Runs)
            {
                Run other = kv.Value;
                if (other.Id == run.Id)
                {
                    continue;
                }

                (long s, long e) = ActiveInterval(other);
                if (s >= 0 && s < end && start < e)
                {
                    packet.Add(Compare(run, other, other.Assumptions));
                }
            }
        }

        return new RunExplanation(run, packet.ToImmutable());
    }

    /// <summary>[first admission, end) in event sequence numbers; (-1, -1) when never admitted; end is long.MaxValue while active.</summary>
    internal static (long Start, long End) ActiveInterval(Run run)
    {
        long start = -1;
        foreach (RunHistoryEntry h in run.History)
        {
            if (h.Kind == DecisionKind.Admit && h.Reason == ReasonCode.Admitted)
            {
                start = h.Sequence;
                break;
            }
        }

        if (start < 0)
        {
            return (-1, -1);
        }

        if (!run.Status.IsTerminal())
        {
            return (start, long.MaxValue);
        }

        for (int i = run.History.Count - 1; i >= 0; i--)
        {
            RunHistoryEntry h = run.History[i];
            if (h.Sequence >= start && (h.Kind == DecisionKind.Cancel || h.Kind == DecisionKind.None))
            {
                return (start, h.Sequence);
            }
        }

        return (start, long.MaxValue);
    }

    private static ConcurrentRun Compare(Run run, Run other, ImmutableArray<Assumption> assumptions)
    {
        ClaimSet a = run.Claims, b = other.Claims;
        ClaimConflictResult conflict = ClaimSet.Conflicts(a, b);
        var pairs = ImmutableArray.CreateBuilder<EntryPair>();
        bool anyOverlap = false;
        foreach (ClaimEntry x in a.Entries)
        {
            foreach (ClaimEntry y in b.Entries)
            {
                string? witness = Glob.TryGetWitness(x.Pattern, y.Pattern, out string? w) ? w : null;
                anyOverlap |= witness is not null;
                if (pairs.Count < RunExplanation.MaxPairs)
                {
                    pairs.Add(new EntryPair(x, y, witness, witness is null ? Parting(x.Pattern, y.Pattern) : null));
                }
            }
        }

        ImmutableArray<EntryPair> list = pairs.ToImmutable();
        if (conflict.IsConflict)
        {
            ClaimConflict c = conflict.Conflict!;
            return new ConcurrentRun(other.Id, other.WorkItemId, Safety.Conflicting, $"the claim sets conflict: '{c.Left}' and '{c.Right}' both cover '{c.Witness}'", list) { Assumptions = assumptions };
        }

        if (a.IsBarrier || b.IsBarrier)
        {
            // Cannot happen without a conflict (a barrier writes everything); kept for completeness.
            return new ConcurrentRun(other.Id, other.WorkItemId, Safety.Conflicting, "a barrier run claims everything", list) { Assumptions = assumptions };
        }

        if (!anyOverlap)
        {
            string detail = "no path is covered by both";
            foreach (EntryPair p in list)
            {
                if (p.Parting is not null)
                {
                    detail += $"; '{p.Entry}' and '{p.OtherEntry}' part at {p.Parting}";
                    break;
                }
            }

            return new ConcurrentRun(other.Id, other.WorkItemId, Safety.DisjointCoverage, detail, list) { Assumptions = assumptions };
        }

        foreach (EntryPair p in list)
        {
            if (p.Overlaps && p.ModesConflict)
            {
                return new ConcurrentRun(other.Id, other.WorkItemId, Safety.Excluded, $"'{p.Entry}' and '{p.OtherEntry}' meet only at paths an exclusion removes (e.g. '{p.Witness}')", list) { Assumptions = assumptions };
            }
        }

        foreach (EntryPair p in list)
        {
            if (p.Overlaps)
            {
                return new ConcurrentRun(other.Id, other.WorkItemId, Safety.CompatibleModes, $"'{p.Entry}' and '{p.OtherEntry}' both cover '{p.Witness}', but {p.Entry.Mode.ToKeyword()}/{p.OtherEntry.Mode.ToKeyword()} is compatible", list) { Assumptions = assumptions };
            }
        }

        return new ConcurrentRun(other.Id, other.WorkItemId, Safety.CompatibleModes, "only compatible modes overlap", list) { Assumptions = assumptions };
    }

    /// <summary>Where two disjoint patterns part, when that is simple: different namespaces, or a differing leading literal segment.</summary>
    internal static string? Parting(Glob a, Glob b)
    {
        if (!string.Equals(a.Namespace, b.Namespace, StringComparison.Ordinal))
        {
            return $"the namespace: '{a.Namespace}' vs '{b.Namespace}'";
        }

        IReadOnlyList<string> x = a.LeadingLiterals(), y = b.LeadingLiterals();
        int n = Math.Min(x.Count, y.Count);
        for (int i = 0; i < n; i++)
        {
            bool same = a.IgnoreCase || b.IgnoreCase
                ? string.Equals(x[i], y[i], StringComparison.OrdinalIgnoreCase)
                : string.Equals(x[i], y[i], StringComparison.Ordinal);
            if (!same)
            {
                return $"segment {i + 1}: '{x[i]}' vs '{y[i]}'";
            }
        }

        return null;
    }
}
