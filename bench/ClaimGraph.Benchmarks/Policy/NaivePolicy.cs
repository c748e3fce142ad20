using System.Globalization;
using ClaimGraph.Claims;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Benchmarks.Policy;

/// <summary>
/// The baseline the policy benchmarks compare against: docs/policy.md for run requests, successes and failures,
/// written the obvious way. State is plain dictionaries and lists; every event copies it (the policy is a pure
/// function: the input must stay as it was), scans every run for expired leases, sorts every waiting run and checks
/// each against every active run with <see cref="ClaimSet.Conflicts"/>. Other events are not handled (the benchmarks
/// do not send them); the benchmark setup checks that it decides as <see cref="ClaimPolicy.Step"/> does.
/// </summary>
public sealed class NaivePolicy
{
    private readonly Dictionary<string, NaiveItem> _items;
    private readonly List<(string From, string To)> _edges;
    private readonly Dictionary<string, NaiveRun> _runs;
    private readonly PolicyOptions _options;
    private long _tokens;

    private NaivePolicy(Dictionary<string, NaiveItem> items, List<(string, string)> edges, Dictionary<string, NaiveRun> runs, long tokens, PolicyOptions options)
    {
        _items = items;
        _edges = edges;
        _runs = runs;
        _tokens = tokens;
        _options = options;
    }

    /// <summary>The same content as <paramref name="graph"/>, in plain collections.</summary>
    public static NaivePolicy From(WorkGraph graph, PolicyOptions options)
    {
        var items = new Dictionary<string, NaiveItem>(StringComparer.Ordinal);
        var edges = new List<(string, string)>();
        foreach (WorkItem item in graph.WorkItems.Values)
        {
            items[item.Id] = new NaiveItem(item.Status, item.Revision, [.. item.Labels]);
            foreach (string dep in graph.DependenciesOf(item.Id))
            {
                edges.Add((item.Id, dep));
            }
        }

        var runs = new Dictionary<string, NaiveRun>(StringComparer.Ordinal);
        foreach (Run r in graph.Runs.Values)
        {
            runs[r.Id] = new NaiveRun(r.Id, r.WorkItemId, r.Claims, r.Status, r.Priority, r.RequestedAt, r.Attempt, r.Failures, r.NotBefore, r.FencingToken, r.LeaseExpiresAt, r.ReservesPlace, r.WorkspaceKey, LastHold: null) { Bypasses = r.Bypasses, LastBypassedBy = r.LastBypassedBy };
        }

        return new NaivePolicy(items, edges, runs, graph.NextFencingToken - 1, options);
    }

    /// <summary>Applies one event to a copy and returns the copy and its decisions (<c>"Kind run reason"</c>).</summary>
    public (NaivePolicy Next, List<string> Decisions) Apply(PolicyEvent e)
    {
        var next = new NaivePolicy(
            new Dictionary<string, NaiveItem>(_items, StringComparer.Ordinal),
            [.. _edges],
            new Dictionary<string, NaiveRun>(_runs, StringComparer.Ordinal),
            _tokens,
            _options);
        var decisions = new List<string>();
        next.Expire(e.Time, decisions);
        string? reject = e switch
        {
            RunRequested x => next.Request(x),
            RunSucceeded x => next.Succeed(x, decisions),
            RunFailed x => next.Fail(x, decisions),
            Tick => null,
            _ => "unsupported event",
        };
        if (reject is not null)
        {
            return (this, ["Reject " + reject]);
        }

        next.AdmissionPass(e.Time, decisions);
        return (next, decisions);
    }

    private void Expire(long now, List<string> decisions)
    {
        foreach (NaiveRun run in _runs.Values.Where(r => r.Status == RunStatus.Active && r.Lease < now).OrderBy(r => r.Id, StringComparer.Ordinal).ToList())
        {
            _runs[run.Id] = run with { Status = RunStatus.Cancelled };
            decisions.Add($"Cancel {run.Id} {ReasonCode.LeaseExpired}");
            Failure(_runs[run.Id], now, ReasonCode.Orphaned, decisions);
        }
    }

    private string? Request(RunRequested e)
    {
        if (_runs.ContainsKey(e.RunId) || !_items.TryGetValue(e.WorkItemId, out NaiveItem? item) || item.Status != WorkItemStatus.Open
            || _runs.Values.Any(r => r.Item == e.WorkItemId && r.Status == RunStatus.Active)
            || !ClaimSet.TryParse(string.Join("\n", e.Claims), out ClaimSet? claims, out _))
        {
            return "invalid request";
        }

        _runs[e.RunId] = new NaiveRun(e.RunId, e.WorkItemId, claims, RunStatus.Pending, e.Priority, e.Time, 1, 0, null, 0, null, false, "ws/" + e.RunId, null);
        return null;
    }

    private string? Succeed(RunSucceeded e, List<string> decisions)
    {
        if (!_runs.TryGetValue(e.RunId, out NaiveRun? run) || run.Status != RunStatus.Active || run.Token != e.FencingToken)
        {
            return "invalid success";
        }

        _runs[run.Id] = run with { Status = RunStatus.Succeeded };
        NaiveItem item = _items[run.Item];
        if (!e.WorkItemContinues)
        {
            _items[run.Item] = item with { Status = WorkItemStatus.Done, Revision = item.Revision + 1 };
        }

        List<string> violations = [.. e.ChangedPaths.Where(p => !run.Claims.AllowsChange(p)).Distinct().Order(StringComparer.Ordinal)];
        if (violations.Count > 0)
        {
            decisions.Add($"ClaimViolation {run.Id} {ReasonCode.ChangedOutsideClaims}");
            foreach (NaiveRun other in _runs.Values.Where(r => r.Status == RunStatus.Active && violations.Any(r.Claims.Covers)).OrderBy(r => r.Id, StringComparer.Ordinal).ToList())
            {
                _runs[other.Id] = other with { Status = RunStatus.Cancelled };
                decisions.Add($"Cancel {other.Id} {ReasonCode.BaseStale}");
                NewAttempt(other, e.Time, ReasonCode.Restarted, other.Failures, backoff: false, decisions);
            }
        }

        return null;
    }

    private string? Fail(RunFailed e, List<string> decisions)
    {
        if (!_runs.TryGetValue(e.RunId, out NaiveRun? run) || run.Status != RunStatus.Active || run.Token != e.FencingToken || !e.Transient)
        {
            return "invalid failure";
        }

        _runs[run.Id] = run with { Status = RunStatus.Failed };
        Failure(_runs[run.Id], e.Time, ReasonCode.TransientFailure, decisions);
        return null;
    }

    private void Failure(NaiveRun run, long now, ReasonCode reason, List<string> decisions)
    {
        if (run.Failures + 1 < _options.MaxAttempts)
        {
            NewAttempt(run, now, reason, run.Failures + 1, backoff: true, decisions);
            return;
        }

        decisions.Add($"Cancel {run.Id} {ReasonCode.RetryBudgetExhausted}");
        _items[run.Item] = _items[run.Item] with { Status = WorkItemStatus.Abandoned };
        foreach (string dependent in Closure(run.Item, forward: false))
        {
            foreach (NaiveRun r in _runs.Values.Where(r => r.Item == dependent && r.Status is RunStatus.Pending or RunStatus.Held or RunStatus.Active).ToList())
            {
                _runs[r.Id] = r with { Status = RunStatus.Cancelled };
                decisions.Add($"Cancel {r.Id} {ReasonCode.DependencyFailed}");
            }
        }
    }

    private void NewAttempt(NaiveRun old, long now, ReasonCode reason, int failures, bool backoff, List<string> decisions)
    {
        int attempt = old.Attempt + 1;
        string id = old.Item + "#" + attempt.ToString(CultureInfo.InvariantCulture);
        while (_runs.ContainsKey(id))
        {
            id += "'";
        }

        long notBefore = backoff ? now + _options.BackoffDelay(old.Item, attempt) : now;
        _runs[id] = new NaiveRun(id, old.Item, old.Claims, RunStatus.Pending, old.Priority, now, attempt, failures, notBefore, 0, null, false, old.Workspace, null);
        decisions.Add($"Retry {old.Id} {reason}");
    }

    private List<string> Closure(string id, bool forward)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { id };
        var todo = new Queue<string>([id]);
        while (todo.TryDequeue(out string? current))
        {
            foreach ((string from, string to) in _edges)
            {
                string? n = forward ? (from == current ? to : null) : (to == current ? from : null);
                if (n is not null && seen.Add(n))
                {
                    todo.Enqueue(n);
                }
            }
        }

        seen.Remove(id);
        return [.. seen.Order(StringComparer.Ordinal)];
    }

    private static int AdmissionOrder(NaiveRun a, NaiveRun b) =>
        a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority)
        : a.RequestedAt != b.RequestedAt ? a.RequestedAt.CompareTo(b.RequestedAt)
        : string.CompareOrdinal(a.Id, b.Id);

    /// <summary>The bypass budget K in force: 0 when strict.</summary>
    private int Budget => _options.Reservation == ReservationMode.Backfill ? _options.BypassBudget : 0;

    /// <summary>Runs that used up their bypass budget first, then the others, each part in admission order.</summary>
    private int PassOrder(NaiveRun a, NaiveRun b)
    {
        bool aReserved = a.Bypasses >= Budget;
        bool bReserved = b.Bypasses >= Budget;
        return aReserved != bReserved ? (aReserved ? -1 : 1) : AdmissionOrder(a, b);
    }

    /// <summary>Each waiting run once, always the first in pass order (as runs are now) after the last one visited.</summary>
    private void AdmissionPass(long now, List<string> decisions)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        NaiveRun? position = null;
        while (true)
        {
            List<NaiveRun> waiting = [.. _runs.Values.Where(r => r.Status is RunStatus.Pending or RunStatus.Held && !visited.Contains(r.Id) && (position is null || PassOrder(r, position) > 0))];
            if (waiting.Count == 0)
            {
                return;
            }

            waiting.Sort(PassOrder);
            position = waiting[0];
            visited.Add(position.Id);
            Consider(position.Id, now, decisions);
        }
    }

    private bool Ready(NaiveRun run, long now) =>
        _items[run.Item].Status == WorkItemStatus.Open
        && !(run.NotBefore > now)
        && _edges.Where(x => x.From == run.Item).All(x => _items.TryGetValue(x.To, out NaiveItem? d) && d.Status == WorkItemStatus.Done)
        && !Closure(run.Item, forward: true).Any(d => _items.TryGetValue(d, out NaiveItem? i) && i.Status == WorkItemStatus.Abandoned);

    private void Consider(string runId, long now, List<string> decisions)
    {
        NaiveRun run = _runs[runId];
        NaiveItem item = _items[run.Item];
        if (item.Status != WorkItemStatus.Open
            || Closure(run.Item, forward: true).Any(d => _items.TryGetValue(d, out NaiveItem? i) && i.Status == WorkItemStatus.Abandoned))
        {
            _runs[run.Id] = run with { Status = RunStatus.Cancelled };
            decisions.Add($"Cancel {run.Id} {(item.Status != WorkItemStatus.Open ? ReasonCode.WorkItemClosed : ReasonCode.DependencyFailed)}");
            return;
        }

        var blockers = new List<string>();
        foreach (string dep in _edges.Where(x => x.From == run.Item).Select(x => x.To).Order(StringComparer.Ordinal))
        {
            if (!_items.TryGetValue(dep, out NaiveItem? d) || d.Status != WorkItemStatus.Done)
            {
                blockers.Add((d is null ? ReasonCode.DependencyUnknown : ReasonCode.DependencyPending) + ":" + dep);
            }
        }

        if (run.NotBefore > now)
        {
            blockers.Add(ReasonCode.BackoffPending + ":" + run.NotBefore);
        }

        int active = _runs.Values.Count(r => r.Status == RunStatus.Active);
        if (_options.MaxActiveRuns is int max && active >= max)
        {
            blockers.Add(ReasonCode.ConcurrencyLimit + ":*");
        }

        foreach (NaiveRun other in _runs.Values.Where(r => r.Status == RunStatus.Active).OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            if (ClaimSet.Conflicts(run.Claims, other.Claims).Conflict is { } c)
            {
                blockers.Add($"{ReasonCode.ClaimConflict}:{other.Id}:{c.Witness}");
            }
        }

        foreach (NaiveRun other in _runs.Values.Where(r => r.Status == RunStatus.Held && r.Reserves && PassOrder(r, run) < 0).OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            if (ClaimSet.Conflicts(run.Claims, other.Claims).Conflict is { } c)
            {
                blockers.Add($"{ReasonCode.QueuedBehind}:{other.Id}:{c.Witness}");
            }
        }

        if (blockers.Count == 0)
        {
            NaiveRun admitted = run with { Status = RunStatus.Active, Token = ++_tokens, Lease = _options.LeaseDuration is long lease ? now + lease : null };
            _runs[run.Id] = admitted;
            decisions.Add($"Admit {run.Id} {ReasonCode.Admitted}");
            Overtake(admitted, now, decisions);
            return;
        }

        bool onlyClaimsOrLimits = blockers.TrueForAll(b => b.StartsWith(nameof(ReasonCode.ClaimConflict), StringComparison.Ordinal)
            || b.StartsWith(nameof(ReasonCode.QueuedBehind), StringComparison.Ordinal)
            || b.StartsWith(nameof(ReasonCode.ConcurrencyLimit), StringComparison.Ordinal));
        string key = string.Join(";", blockers) + (Budget > 0 && onlyClaimsOrLimits ? $"/{run.Bypasses}/{run.LastBypassedBy}" : string.Empty);
        if (run.Status == RunStatus.Pending || run.LastHold != key)
        {
            decisions.Add($"Hold {run.Id} {blockers[0][..blockers[0].IndexOf(':', StringComparison.Ordinal)]}");
        }

        _runs[run.Id] = run with { Status = RunStatus.Held, Reserves = onlyClaimsOrLimits && run.Bypasses >= Budget, LastHold = key };
    }

    /// <summary>Backfill: every ready waiting run the admitted run overtakes counts a bypass and is held again at once.</summary>
    private void Overtake(NaiveRun admitted, long now, List<string> decisions)
    {
        if (Budget == 0 || admitted.Bypasses >= Budget)
        {
            return;
        }

        List<NaiveRun> overtaken = [.. _runs.Values.Where(r => r.Status is RunStatus.Pending or RunStatus.Held && r.Id != admitted.Id && r.Bypasses < Budget
            && (AdmissionOrder(r, admitted) < 0 || r.RequestedAt < admitted.RequestedAt || (r.RequestedAt == admitted.RequestedAt && string.CompareOrdinal(r.Id, admitted.Id) < 0))
            && Ready(r, now)
            && ClaimSet.Conflicts(r.Claims, admitted.Claims).IsConflict)];
        overtaken.Sort(PassOrder);
        foreach (NaiveRun r in overtaken)
        {
            _runs[r.Id] = _runs[r.Id] with { Bypasses = r.Bypasses + 1, LastBypassedBy = admitted.Id };
            Consider(r.Id, now, decisions);
        }
    }

    /// <summary>
    /// This state after a first admission pass at <paramref name="now"/>: held runs copied from a graph then know their
    /// blockers (as the graph's runs know their last hold), so that an unchanged hold is not announced again.
    /// </summary>
    public NaivePolicy Settled(long now) => Apply(new Tick("settle", now)).Next;

    private sealed record NaiveItem(WorkItemStatus Status, long Revision, List<string> Labels);

    private sealed record NaiveRun(
        string Id,
        string Item,
        ClaimSet Claims,
        RunStatus Status,
        int Priority,
        long RequestedAt,
        int Attempt,
        int Failures,
        long? NotBefore,
        long Token,
        long? Lease,
        bool Reserves,
        string? Workspace,
        string? LastHold)
    {
        public int Bypasses { get; init; }

        public string? LastBypassedBy { get; init; }
    }
}
