using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Oracles.Policy;

/// <summary>
/// docs/policy.md written again from scratch, as plainly as possible: plain lists and dictionaries of items, edges
/// and runs, everything recomputed on every event with pairwise checks. It uses <see cref="ClaimSet"/> (parse,
/// conflicts, coverage) and <see cref="PolicyOptions.BackoffDelay"/> (checked against its formula elsewhere), and
/// nothing of the graph or the policy. Slow on purpose; obviously right is the point. The property tests replay random
/// event sequences through it and the policy; the policy benchmarks use it, started from a graph with
/// <see cref="From"/>, as the naive baseline. It is one long file on purpose: it reads top to bottom like the document
/// it restates, and shares no structure with the policy it checks.
/// </summary>
/// <remarks>
/// Where docs/policy.md leaves room, this reads it as follows (each is a question for the doc, not a guess at the code):
/// <list type="bullet">
/// <item>"the item's latest run" (workspace reuse of a new request) is the run admitted last; if it succeeded, nothing is reused;</item>
/// <item>"the claim set grew" is literal: a new entry the old set lacks (so any entry after a barrier), or becoming a barrier;</item>
/// <item>a run that an earlier run's failure cancelled in the same event (its upstream item gave up) is not then expired or orphaned;</item>
/// <item>an amendment of a barrier run is granted and changes nothing (a barrier already claims everything);</item>
/// <item>a Hold's claim blocker "still blocks" whichever way (a queued-behind blocker that starts is still the named one; the way it blocks is part of what the Hold says, so that Hold is emitted again);</item>
/// <item>the conflict evidence is the graph's (query entries in order, then the other run's), not <see cref="ClaimSet.Conflicts"/>'s canonical pick;</item>
/// <item>an empty dependency id is an <c>InvalidEvent</c>, like every other empty id.</item>
/// </list>
/// </remarks>
public sealed class ReferencePolicy
{
    private State _state = new();

    public ReferencePolicy(PolicyOptions? options = null) => Options = options ?? PolicyOptions.Default;

    private ReferencePolicy(PolicyOptions options, State state)
    {
        Options = options;
        _state = state;
    }

    public PolicyOptions Options { get; }

    public long Now => _state.Now;

    public long BaseVersion => _state.Base;

    /// <summary>Run ids with the given status (any status when null), ordinal order.</summary>
    public List<string> RunIds(Func<RunStatus, bool>? status = null) =>
        _state.Runs.Values.Where(r => status is null || status(r.Status)).Select(r => r.Id).Order(StringComparer.Ordinal).ToList();

    public string ItemOfRun(string runId) => _state.Runs[runId].Item;

    public long TokenOf(string runId) => _state.Runs.TryGetValue(runId, out RefRun? r) ? r.Token : 0;

    public RunStatus? StatusOf(string runId) => _state.Runs.TryGetValue(runId, out RefRun? r) ? r.Status : null;

    public WorkItemStatus? ItemStatusOf(string itemId) => _state.Items.TryGetValue(itemId, out RefItem? i) ? i.Status : null;

    public long? ItemRevisionOf(string itemId) => _state.Items.TryGetValue(itemId, out RefItem? i) ? i.Revision : null;

    /// <summary>
    /// The same content as <paramref name="graph"/> in plain collections: items, dependencies, runs, processed event ids,
    /// time, base version and fencing tokens. What the graph does not keep is read as follows: a run's last hold is
    /// unknown (so its next hold is announced: call <see cref="Apply"/> with a <see cref="Tick"/> first to settle), the
    /// admission order of runs is their fencing-token order, and a run reused its workspace when it has a previous run
    /// and a workspace not named after itself.
    /// </summary>
    public static ReferencePolicy From(WorkGraph graph, PolicyOptions options)
    {
        var state = new State { Now = graph.Now, Base = graph.BaseVersion, Tokens = graph.NextFencingToken - 1 };
        state.Admissions = state.Tokens;
        foreach (WorkItem item in graph.WorkItems.Values)
        {
            state.Items[item.Id] = new RefItem { Id = item.Id, Revision = item.Revision, Status = item.Status, Labels = [.. item.Labels], Priority = item.Priority };
            foreach (string dependency in graph.DependenciesOf(item.Id))
            {
                state.Edges.Add((item.Id, dependency));
            }
        }

        foreach (Run r in graph.Runs.Values)
        {
            string workspace = r.WorkspaceKey ?? "ws/" + r.Id;
            state.Runs[r.Id] = new RefRun
            {
                Id = r.Id,
                Item = r.WorkItemId,
                Claims = r.Claims,
                Priority = r.Priority,
                RequestedAt = r.RequestedAt,
                Status = r.Status,
                NotBefore = r.NotBefore,
                Reserves = r.ReservesPlace,
                Bypasses = r.Bypasses,
                LastBypassedBy = r.LastBypassedBy,
                AdmittedBase = r.AdmittedBase,
                AdmittedRevisions = new Dictionary<string, long>(r.AdmittedUpstreamRevisions, StringComparer.Ordinal),
                Workspace = workspace,
                Reuse = r.PreviousRunId is not null && workspace != "ws/" + r.Id,
                Failures = r.Failures,
                Attempt = r.Attempt,
                Token = r.FencingToken,
                Lease = r.LeaseExpiresAt,
                AdmissionNumber = r.FencingToken > 0 ? r.FencingToken : -1,
                Assumptions = [.. r.Assumptions.Select(RefAssumption.Of)],
            };
        }

        state.Processed.UnionWith(graph.ProcessedEventIds);
        foreach (KeyValuePair<string, CurrentVersion> kv in graph.Versions.Bases)
        {
            state.Current[(true, kv.Key)] = (kv.Value.Version, kv.Value.EventId);
        }

        foreach (KeyValuePair<string, CurrentVersion> kv in graph.Versions.Resources)
        {
            state.Current[(false, kv.Key)] = (kv.Value.Version, kv.Value.EventId);
        }

        return new ReferencePolicy(options, state);
    }

    /// <summary>Applies one event and returns its decisions (docs/policy.md, "Processing one event").</summary>
    public List<DecisionView> Apply(PolicyEvent? e)
    {
        (ReferencePolicy next, List<DecisionView> decisions) = Applied(e);
        _state = next._state;
        return decisions;
    }

    /// <summary>What <see cref="Apply"/> would do, leaving this one unchanged: the next state and the decisions.</summary>
    public (ReferencePolicy Next, List<DecisionView> Decisions) Applied(PolicyEvent? e)
    {
        if (e is null || string.IsNullOrEmpty(e.EventId))
        {
            return (this, [DecisionView.Reject(null, ReasonCode.InvalidEvent)]);
        }

        if (_state.Processed.Contains(e.EventId))
        {
            return (this, []);
        }

        // docs/policy.md: an event time outside [MinTime, MaxTime] is refused before anything else, with no run named.
        if (e.Time < PolicyEvent.MinTime || e.Time > PolicyEvent.MaxTime)
        {
            return (this, [DecisionView.Reject(null, ReasonCode.InvalidEvent)]);
        }

        State next = _state.Clone();
        next.Now = Math.Max(next.Now, e.Time);
        var pass = new Pass(next, e, Options);
        pass.TimeEffects();
        DecisionView? reject = pass.Validate();
        if (reject is not null)
        {
            return (this, [reject]);
        }

        pass.ApplyEvent();
        pass.AdmissionPass();
        next.Processed.Add(e.EventId);
        return (new ReferencePolicy(Options, next), pass.Output);
    }

    private sealed class RefItem
    {
        public required string Id { get; init; }

        public long Revision { get; set; }

        public WorkItemStatus Status { get; set; }

        public List<string> Labels { get; set; } = [];

        public int Priority { get; set; }

        public RefItem Clone() => new() { Id = Id, Revision = Revision, Status = Status, Labels = [.. Labels], Priority = Priority };
    }

    private sealed class RefRun
    {
        public required string Id { get; init; }

        public required string Item { get; init; }

        public required ClaimSet Claims { get; set; }

        public int Priority { get; init; }

        public long RequestedAt { get; init; }

        public RunStatus Status { get; set; }

        public long? NotBefore { get; init; }

        public bool Reserves { get; set; }

        /// <summary>How many times it was overtaken while ready (docs/policy.md, "Backfill").</summary>
        public int Bypasses { get; set; }

        public string? LastBypassedBy { get; set; }

        public long? AdmittedBase { get; set; }

        public Dictionary<string, long> AdmittedRevisions { get; set; } = new(StringComparer.Ordinal);

        public required string Workspace { get; init; }

        public bool Reuse { get; init; }

        public int Failures { get; init; }

        public int Attempt { get; init; } = 1;

        public long Token { get; set; }

        public long? Lease { get; set; }

        /// <summary>What its last Hold said (see <c>Consider</c>), or null when it has none or it is unknown.</summary>
        public string? LastHold { get; set; }

        /// <summary>The claim blocker its last Hold named first, or null.</summary>
        public string? LastNamed { get; set; }

        /// <summary>The number of the admission that started it (admissions are counted in order), or -1.</summary>
        public long AdmissionNumber { get; set; } = -1;

        public bool IsWaiting => Status is RunStatus.Pending or RunStatus.Held;

        public bool IsLive => IsWaiting || Status == RunStatus.Active;

        /// <summary>What the run assumes (docs/policy.md, "Assumptions"): a named base first, if any, then resources.</summary>
        public List<RefAssumption> Assumptions { get; set; } = [];

        public RefRun Clone()
        {
            var copy = (RefRun)MemberwiseClone();
            copy.AdmittedRevisions = new Dictionary<string, long>(AdmittedRevisions, StringComparer.Ordinal);
            copy.Assumptions = [.. Assumptions];
            return copy;
        }
    }

    private sealed record RefAssumption(bool IsBase, string Subject, string Version, string? Actual = null, string? BrokenBy = null)
    {
        public static RefAssumption Of(Assumption a) => new(a.Kind == AssumptionKind.Base, a.Subject, a.Version, a.ActualVersion, a.BrokenByEventId);
    }

    private sealed class State
    {
        public Dictionary<string, RefItem> Items { get; private set; } = new(StringComparer.Ordinal);

        /// <summary>Dependency edges (from depends on to), in the order added.</summary>
        public List<(string From, string To)> Edges { get; private set; } = [];

        public Dictionary<string, RefRun> Runs { get; private set; } = new(StringComparer.Ordinal);

        public HashSet<string> Processed { get; private set; } = new(StringComparer.Ordinal);

        public long Now { get; set; }

        public long Base { get; set; }

        public long Tokens { get; set; }

        public long Admissions { get; set; }

        /// <summary>The last version each named base (true) or resource (false) was moved to, and the event that moved it.</summary>
        public Dictionary<(bool IsBase, string Subject), (string Version, string EventId)> Current { get; private set; } = [];

        public State Clone() => new()
        {
            Current = new(Current),
            Items = Items.ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal),
            Edges = [.. Edges],
            Runs = Runs.ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal),
            Processed = new HashSet<string>(Processed, StringComparer.Ordinal),
            Now = Now,
            Base = Base,
            Tokens = Tokens,
            Admissions = Admissions,
        };
    }

    /// <summary>The work of one event on a copy of the state (discarded when the event is rejected).</summary>
    private sealed class Pass(State s, PolicyEvent e, PolicyOptions options)
    {
        public List<DecisionView> Output { get; } = [];

        private long Now => s.Now;

        // ------------------------------------------------------------ queries, recomputed every time

        private static bool Empty(string? id) => string.IsNullOrEmpty(id);

        private static bool HasNullOrEmpty(ImmutableArray<string> list) => !list.IsDefault && list.Any(string.IsNullOrEmpty);

        private static bool HasNull(ImmutableArray<string> list) => !list.IsDefault && list.Any(x => x is null);

        private static ImmutableArray<string> OrEmpty(ImmutableArray<string> list) => list.IsDefault ? [] : list;

        private List<string> DirectDependencies(string id) =>
            s.Edges.Where(x => x.From == id).Select(x => x.To).Distinct().Order(StringComparer.Ordinal).ToList();

        private List<string> Closure(string id, bool forward)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal) { id };
            var todo = new Queue<string>([id]);
            while (todo.TryDequeue(out string? cur))
            {
                foreach ((string from, string to) in s.Edges)
                {
                    string? next = forward ? (from == cur ? to : null) : (to == cur ? from : null);
                    if (next is not null && seen.Add(next))
                    {
                        todo.Enqueue(next);
                    }
                }
            }

            seen.Remove(id);
            return seen.Order(StringComparer.Ordinal).ToList();
        }

        private List<string> TransitiveDependencies(string id) => Closure(id, forward: true);

        private List<string> TransitiveDependents(string id) => Closure(id, forward: false).Where(s.Items.ContainsKey).ToList();

        /// <summary>Whether <paramref name="from"/> is <paramref name="to"/> or depends on it, transitively.</summary>
        private bool Reaches(string from, string to) => from == to || TransitiveDependencies(from).Contains(to);

        private List<RefRun> RunsOf(string item) =>
            s.Runs.Values.Where(r => r.Item == item).OrderBy(r => r.Attempt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

        private List<RefRun> Sorted(Func<RefRun, bool> filter) =>
            s.Runs.Values.Where(filter).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();

        private static int AdmissionCompare(RefRun a, RefRun b)
        {
            if (a.Priority != b.Priority)
            {
                return a.Priority > b.Priority ? -1 : 1;
            }

            if (a.RequestedAt != b.RequestedAt)
            {
                return a.RequestedAt < b.RequestedAt ? -1 : 1;
            }

            return string.CompareOrdinal(a.Id, b.Id);
        }

        private int ActiveCount(string? label) =>
            s.Runs.Values.Count(r => r.Status == RunStatus.Active && (label is null || s.Items[r.Item].Labels.Contains(label)));

        private static bool ParseClaims(ImmutableArray<string> lines, bool ignoreCase, out ClaimSet claims)
        {
            if (lines.IsEmpty)
            {
                claims = ClaimSet.Barrier;
                return true;
            }

            bool ok = ClaimSet.TryParse(string.Join("\n", lines), ignoreCase ? GlobOptions.IgnoreCase : GlobOptions.None, out ClaimSet? parsed, out _);
            claims = parsed ?? ClaimSet.Barrier;
            return ok;
        }

        /// <summary>
        /// Whether <paramref name="mine"/> conflicts with <paramref name="theirs"/>, with the evidence the graph reports
        /// (WorkGraph.ConflictsWith, by its overlap index's documented rule): the first exact conflict trying my entries
        /// in order and theirs in order, else the first conservative one; barriers as <see cref="ClaimSet.Conflicts"/>.
        /// (<see cref="ClaimSet.Conflicts"/> itself picks by a canonical order of the two sets, so its evidence may differ.)
        /// </summary>
        private static ClaimConflict? Evidence(ClaimSet mine, ClaimSet theirs)
        {
            if (mine.IsBarrier || theirs.IsBarrier)
            {
                return ClaimSet.Conflicts(mine, theirs).Conflict;
            }

            // Without exclusions every answer is exact, and the sets conflict exactly when some pair of entries does:
            // one check of the whole sets settles the common "no" (the benchmarks' large claim sets need it).
            if (mine.Exclusions.IsEmpty && theirs.Exclusions.IsEmpty && !ClaimSet.Conflicts(mine, theirs).IsConflict)
            {
                return null;
            }

            ClaimConflict? conservative = null;
            foreach (ClaimEntry e in mine.Entries)
            {
                foreach (ClaimEntry f in theirs.Entries.Where(f => e.Mode.ConflictsWith(f.Mode)))
                {
                    ClaimConflictResult r = ClaimSet.Conflicts(ClaimSet.Create([e], mine.Exclusions), ClaimSet.Create([f], theirs.Exclusions));
                    if (r.Conflict is not null && !r.IsConservative)
                    {
                        return r.Conflict;
                    }

                    conservative ??= r.Conflict;
                }
            }

            return conservative;
        }

        // ------------------------------------------------------------ decisions

        private void Cancel(RefRun run, ReasonCode reason, string? causeItem, string? causeRun, List<string>? paths = null)
        {
            run.Status = RunStatus.Cancelled;
            run.Reserves = false;
            Output.Add(DecisionView.Cancel(run.Id, reason, causeItem, causeRun, paths ?? []));
        }

        private void NewAttempt(RefRun old, ReasonCode reason, int failures, bool backoff, bool newWorkspace)
        {
            int attempt = old.Attempt + 1;
            string id = old.Item + "#" + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
            while (s.Runs.ContainsKey(id))
            {
                id += "'";
            }

            long notBefore = backoff ? Now + options.BackoffDelay(old.Item, attempt) : Now;
            string workspace = newWorkspace ? "ws/" + id : old.Workspace;
            s.Runs[id] = new RefRun
            {
                Id = id,
                Item = old.Item,
                Claims = old.Claims,
                Priority = old.Priority,
                RequestedAt = Now,
                Status = RunStatus.Pending,
                NotBefore = notBefore,
                Workspace = workspace,
                Reuse = !newWorkspace,
                Failures = failures,
                Attempt = attempt,
                Assumptions = [.. old.Assumptions.Select(a => a.BrokenBy is null ? a : new RefAssumption(a.IsBase, a.Subject, a.Actual!))],
            };
            Output.Add(DecisionView.Retry(old.Id, reason, id, attempt, notBefore, workspace, !newWorkspace));
        }

        /// <summary>A failed attempt (its status already final): retry within the budget, or give the item up.</summary>
        private void Failure(RefRun run, ReasonCode retryReason, bool leaseExpired = false)
        {
            RefItem item = s.Items[run.Item];
            if (item.Status != WorkItemStatus.Open)
            {
                return; // Unreachable: an active run's item is open.
            }

            if (run.Failures + 1 < options.MaxAttempts)
            {
                NewAttempt(run, retryReason, run.Failures + 1, backoff: true, newWorkspace: false);
                return;
            }

            Output.Add(DecisionView.Cancel(run.Id, ReasonCode.RetryBudgetExhausted, run.Item, null, [], leaseExpired));
            Abandon(item);
        }

        /// <summary>After a stale cancel: a restart with the same failures while the item is open.</summary>
        private void Restart(RefRun run, bool newWorkspace)
        {
            if (s.Items[run.Item].Status == WorkItemStatus.Open)
            {
                NewAttempt(run, ReasonCode.Restarted, run.Failures, backoff: false, newWorkspace);
            }
        }

        private void Abandon(RefItem item)
        {
            item.Status = WorkItemStatus.Abandoned;
            item.Revision++;
            DependentsFail(item);
        }

        /// <summary>The waiting and active runs of the item's transitive dependents: cancelled, their upstream failed.</summary>
        private void DependentsFail(RefItem item)
        {
            foreach (string dependent in TransitiveDependents(item.Id))
            {
                foreach (RefRun run in RunsOf(dependent).Where(r => r.IsLive))
                {
                    Cancel(run, ReasonCode.DependencyFailed, item.Id, null);
                }
            }
        }

        /// <summary>Active runs of the item's transitive dependents admitted against another revision of it: stale, restarted.</summary>
        private void UpstreamChanged(RefItem item)
        {
            foreach (string dependent in TransitiveDependents(item.Id))
            {
                foreach (RefRun run in RunsOf(dependent).Where(r => r.Status == RunStatus.Active))
                {
                    if (run.AdmittedRevisions.TryGetValue(item.Id, out long seen) && seen == item.Revision)
                    {
                        continue;
                    }

                    Cancel(run, ReasonCode.UpstreamChanged, item.Id, null);
                    Restart(run, newWorkspace: false);
                }
            }
        }

        /// <summary>The run's assumption <paramref name="i"/> broke: recorded, the run cancelled with it as evidence, and restarted.</summary>
        private void Broken(RefRun run, int i, string actual, List<string> paths) => Broken(run, [(i, actual, e.EventId)], paths);

        /// <summary>The run's assumptions broke (each by its event, to its version): recorded, the first is the evidence.</summary>
        private void Broken(RefRun run, List<(int Index, string Actual, string By)> broken, List<string> paths)
        {
            foreach ((int index, string actual, string by) in broken)
            {
                run.Assumptions[index] = run.Assumptions[index] with { Actual = actual, BrokenBy = by };
            }

            RefAssumption a = run.Assumptions[broken[0].Index];
            run.Status = RunStatus.Cancelled;
            run.Reserves = false;
            string evidence = (a.IsBase ? "base " : string.Empty) + a.Subject + "@" + a.Version + $" (broken by {a.BrokenBy}: {a.Actual})";
            Output.Add(DecisionView.Cancel(run.Id, ReasonCode.AssumptionBroken, run.Item, null, paths, assumption: evidence));
            Restart(run, newWorkspace: false);
        }

        /// <summary>Every other active run covering one of <paramref name="paths"/>: cancelled as stale, restarted.</summary>
        private void Stale(IReadOnlyList<string> paths, string? causeRun)
        {
            foreach (RefRun run in Sorted(r => r.Status == RunStatus.Active && r.Id != causeRun && !r.Assumptions.Any(a => a.IsBase)))
            {
                List<string> covered = paths.Where(p => CoversResource(run.Claims, p, writingOnly: false)).ToList();
                if (covered.Count > 0)
                {
                    Cancel(run, ReasonCode.BaseStale, run.Item, causeRun, covered);
                    Restart(run, newWorkspace: false);
                }
            }
        }

        // ------------------------------------------------------------ time effects

        public void TimeEffects()
        {
            if (options.LeaseDuration is null)
            {
                return;
            }

            // In run-id order; a run that an earlier one's failure already cancelled (its upstream item gave up) is no
            // longer active, so its lease no longer matters.
            // A run whose own failure report is this event (with its token) gets the decision of that report instead.
            foreach (RefRun run in Sorted(r => r.Status == RunStatus.Active && r.Lease < Now))
            {
                if (run.Status != RunStatus.Active || (e is RunFailed f && f.RunId == run.Id && f.FencingToken == run.Token))
                {
                    continue;
                }

                if (run.Failures + 1 >= options.MaxAttempts)
                {
                    // The last attempt: one cancel says both that the lease expired and that the budget is used up.
                    run.Status = RunStatus.Cancelled;
                    run.Reserves = false;
                    Failure(run, ReasonCode.Orphaned, leaseExpired: true);
                }
                else
                {
                    Cancel(run, ReasonCode.LeaseExpired, run.Item, null);
                    Failure(run, ReasonCode.Orphaned);
                }
            }
        }

        // ------------------------------------------------------------ validation (no change to the state)

        public DecisionView? Validate() => e switch
        {
            WorkItemAdded x => Empty(x.WorkItemId) || HasNullOrEmpty(x.DependsOn) || HasNull(x.Labels) ? Reject(ReasonCode.InvalidEvent)
                : s.Items.ContainsKey(x.WorkItemId) ? Reject(ReasonCode.DuplicateId)
                : OrEmpty(x.DependsOn).Any(d => Reaches(d, x.WorkItemId)) ? Reject(ReasonCode.DependencyCycle)
                : null,
            WorkItemChanged x => Empty(x.WorkItemId) || (x.Labels is { } l && HasNull(l)) ? Reject(ReasonCode.InvalidEvent)
                : !s.Items.ContainsKey(x.WorkItemId) ? Reject(ReasonCode.UnknownWorkItem)
                : null,
            WorkItemClosed x => Empty(x.WorkItemId) ? Reject(ReasonCode.InvalidEvent)
                : !s.Items.TryGetValue(x.WorkItemId, out RefItem? i) ? Reject(ReasonCode.UnknownWorkItem)
                : i.Status != WorkItemStatus.Open ? Reject(ReasonCode.InvalidTransition)
                : null,
            WorkItemReopened x => Empty(x.WorkItemId) ? Reject(ReasonCode.InvalidEvent)
                : !s.Items.TryGetValue(x.WorkItemId, out RefItem? i) ? Reject(ReasonCode.UnknownWorkItem)
                : i.Status == WorkItemStatus.Open ? Reject(ReasonCode.InvalidTransition)
                : null,
            DependencyAdded x => Empty(x.WorkItemId) || Empty(x.DependsOn) ? Reject(ReasonCode.InvalidEvent)
                : !s.Items.ContainsKey(x.WorkItemId) ? Reject(ReasonCode.UnknownWorkItem)
                : Reaches(x.DependsOn, x.WorkItemId) ? Reject(ReasonCode.DependencyCycle)
                : null,
            DependencyRemoved x => Empty(x.WorkItemId) || Empty(x.DependsOn) ? Reject(ReasonCode.InvalidEvent)
                : !s.Items.ContainsKey(x.WorkItemId) ? Reject(ReasonCode.UnknownWorkItem)
                : !s.Edges.Contains((x.WorkItemId, x.DependsOn)) ? Reject(ReasonCode.InvalidTransition)
                : null,
            RunRequested x => ValidateRequest(x),
            RunHeartbeat x => ValidateActive(x.RunId, x.FencingToken),
            RunSucceeded x => ValidateActive(x.RunId, x.FencingToken)
                ?? (HasInvalidPath(x.ChangedPaths) || x.NewBaseVersion < s.Base ? Reject(ReasonCode.InvalidEvent, x.RunId) : null),
            RunFailed x => ValidateActive(x.RunId, x.FencingToken),
            RunCancelRequested x => Empty(x.RunId) ? Reject(ReasonCode.InvalidEvent)
                : !s.Runs.TryGetValue(x.RunId, out RefRun? r) ? Reject(ReasonCode.UnknownRun, x.RunId)
                : !r.IsLive ? Reject(ReasonCode.InvalidTransition, x.RunId)
                : null,
            ClaimsAmended x => ValidateAmendment(x),
            BaseAdvanced x => HasInvalidPath(x.ChangedPaths) || x.NewBaseVersion < s.Base ? Reject(ReasonCode.InvalidEvent) : null,
            NamedBaseAdvanced x => Empty(x.Base) || Empty(x.Revision) || HasInvalidPath(x.ChangedPaths) ? Reject(ReasonCode.InvalidEvent) : null,
            ResourceChanged x => Empty(x.Version) || !IsResource(x.Resource) ? Reject(ReasonCode.InvalidEvent) : null,
            Tick => null,
            Recovered x => OrEmpty(x.AliveRunIds).Any(Empty) ? Reject(ReasonCode.InvalidEvent)
                : OrEmpty(x.AliveRunIds).FirstOrDefault(id => !s.Runs.ContainsKey(id)) is { } unknown ? Reject(ReasonCode.UnknownRun, unknown)
                : null,
            _ => Reject(ReasonCode.InvalidEvent),
        };

        private static DecisionView Reject(ReasonCode reason, string? run = null) => DecisionView.Reject(run, reason);

        private static bool IsResource(string? text) => text is not null && GlobPath.IsValid(SplitNamespace(text).Path);

        /// <summary>A request's assumptions: its base (both fields or neither), then each 'resource@version' once; null when invalid.</summary>
        private static List<RefAssumption>? ReadAssumptions(RunRequested x)
        {
            var result = new List<RefAssumption>();
            if (x.Base is not null || x.BaseRevision is not null)
            {
                if (Empty(x.Base) || Empty(x.BaseRevision))
                {
                    return null;
                }

                result.Add(new RefAssumption(true, x.Base!, x.BaseRevision!));
            }

            foreach (string line in OrEmpty(x.Assumes))
            {
                int at = line is null ? -1 : line.LastIndexOf('@');
                if (at <= 0 || at == line!.Length - 1 || !IsResource(line[..at]) || result.Any(a => !a.IsBase && a.Subject == line[..at]))
                {
                    return null;
                }

                result.Add(new RefAssumption(false, line[..at], line[(at + 1)..]));
            }

            return result;
        }

        private static bool HasInvalidPath(ImmutableArray<string> paths) => OrEmpty(paths).Any(p => p is null || !GlobPath.IsValid(SplitNamespace(p).Path));

        /// <summary>A changed path <c>[namespace:]path</c> split as a claim pattern's text is (namespace <c>[a-z][a-z0-9_-]+</c>).</summary>
        private static (string Namespace, string Path) SplitNamespace(string text)
        {
            System.Text.RegularExpressions.Match m = System.Text.RegularExpressions.Regex.Match(text, "^([a-z][a-z0-9_-]+):(.*)$", System.Text.RegularExpressions.RegexOptions.Singleline);
            return m.Success ? (m.Groups[1].Value, m.Groups[2].Value) : (string.Empty, text);
        }

        /// <summary>Whether the claims cover the changed resource in its namespace (a barrier covers every one).</summary>
        private static bool CoversResource(ClaimSet claims, string text, bool writingOnly)
        {
            (string ns, string path) = SplitNamespace(text);
            return claims.IsBarrier || claims.FindCoveringEntry(path, ns, writingOnly) is not null;
        }

        private DecisionView? ValidateRequest(RunRequested x)
        {
            if (Empty(x.RunId) || Empty(x.WorkItemId) || HasNull(x.Claims) || ReadAssumptions(x) is null)
            {
                return Reject(ReasonCode.InvalidEvent, x.RunId);
            }

            if (s.Runs.ContainsKey(x.RunId))
            {
                return Reject(ReasonCode.DuplicateId, x.RunId);
            }

            if (!s.Items.TryGetValue(x.WorkItemId, out RefItem? item))
            {
                return Reject(ReasonCode.UnknownWorkItem, x.RunId);
            }

            if (!ParseClaims(OrEmpty(x.Claims), x.IgnoreCase, out _))
            {
                return Reject(ReasonCode.InvalidPattern, x.RunId);
            }

            return item.Status != WorkItemStatus.Open || RunsOf(item.Id).Any(r => r.Status == RunStatus.Active)
                ? Reject(ReasonCode.InvalidTransition, x.RunId)
                : null;
        }

        private DecisionView? ValidateActive(string runId, long token) =>
            Empty(runId) ? Reject(ReasonCode.InvalidEvent)
            : !s.Runs.TryGetValue(runId, out RefRun? r) ? Reject(ReasonCode.UnknownRun, runId)
            : r.Status != RunStatus.Active ? Reject(ReasonCode.InvalidTransition, runId)
            : r.Token != token ? Reject(ReasonCode.StaleFencingToken, runId)
            : null;

        private DecisionView? ValidateAmendment(ClaimsAmended x)
        {
            if (ValidateActive(x.RunId, x.FencingToken) is { } reject)
            {
                return reject;
            }

            ImmutableArray<string> lines = OrEmpty(x.AdditionalClaims);
            if (lines.IsEmpty || HasNull(lines))
            {
                return Reject(ReasonCode.InvalidEvent, x.RunId);
            }

            // "A line does not parse" is InvalidPattern; "no entries or any exclusion" is InvalidEvent. A placeholder entry
            // lets each line parse on its own merits (a lone exclusion line parses; a set of only exclusions would not).
            RefRun run = s.Runs[x.RunId];
            bool ignoreCase = run.Claims.Entries.Any(c => c.Pattern.IgnoreCase);
            if (!ParseClaims([.. lines, "read placeholder/for/parsing"], ignoreCase, out ClaimSet extra))
            {
                return Reject(ReasonCode.InvalidPattern, x.RunId);
            }

            return extra.Entries.Length < 2 || !extra.Exclusions.IsEmpty ? Reject(ReasonCode.InvalidEvent, x.RunId) : null;
        }

        // ------------------------------------------------------------ effects (the event is valid)

        public void ApplyEvent()
        {
            switch (e)
            {
                case WorkItemAdded x:
                    s.Items[x.WorkItemId] = new RefItem
                    {
                        Id = x.WorkItemId,
                        Revision = 1,
                        Status = WorkItemStatus.Open,
                        Labels = OrEmpty(x.Labels).Distinct().Order(StringComparer.Ordinal).ToList(),
                        Priority = x.Priority,
                    };
                    foreach (string d in OrEmpty(x.DependsOn).Distinct())
                    {
                        s.Edges.Add((x.WorkItemId, d));
                    }

                    break;

                case WorkItemChanged x:
                    OnChanged(x);
                    break;

                case WorkItemClosed x:
                    OnClosed(x);
                    break;

                case WorkItemReopened x:
                    {
                        RefItem item = s.Items[x.WorkItemId];
                        item.Status = WorkItemStatus.Open;
                        item.Revision++;
                        UpstreamChanged(item);
                        break;
                    }

                case DependencyAdded x:
                    if (!s.Edges.Contains((x.WorkItemId, x.DependsOn)))
                    {
                        s.Edges.Add((x.WorkItemId, x.DependsOn));
                    }

                    if (!(s.Items.TryGetValue(x.DependsOn, out RefItem? dep) && dep.Status == WorkItemStatus.Done))
                    {
                        foreach (RefRun run in RunsOf(x.WorkItemId).Where(r => r.Status == RunStatus.Active))
                        {
                            Cancel(run, ReasonCode.UpstreamChanged, x.DependsOn, null);
                            Restart(run, newWorkspace: false);
                        }
                    }

                    break;

                case DependencyRemoved x:
                    s.Edges.RemoveAll(edge => edge == (x.WorkItemId, x.DependsOn));
                    break;

                case RunRequested x:
                    OnRequested(x);
                    break;

                case RunHeartbeat x:
                    if (options.LeaseDuration is long lease)
                    {
                        s.Runs[x.RunId].Lease = Now + lease;
                    }

                    break;

                case RunSucceeded x:
                    OnSucceeded(x);
                    break;

                case RunFailed x:
                    OnFailed(x);
                    break;

                case RunCancelRequested x:
                    {
                        RefRun run = s.Runs[x.RunId];
                        Cancel(run, ReasonCode.CancelledByRequest, run.Item, null);
                        break;
                    }

                case ClaimsAmended x:
                    OnAmended(x);
                    break;

                case BaseAdvanced x:
                    s.Base = x.NewBaseVersion;
                    Stale(OrEmpty(x.ChangedPaths), null);
                    break;

                case NamedBaseAdvanced x:
                    s.Current[(true, x.Base)] = (x.Revision, x.EventId);
                    foreach (RefRun run in Sorted(r => r.IsLive))
                    {
                        int i = run.Assumptions.FindIndex(a => a.IsBase && a.Subject == x.Base);
                        List<string> covered = OrEmpty(x.ChangedPaths).Where(p => CoversResource(run.Claims, p, writingOnly: false)).ToList();
                        if (run.IsLive && i >= 0 && run.Assumptions[i].Version != x.Revision && covered.Count > 0)
                        {
                            Broken(run, i, x.Revision, covered);
                        }
                    }

                    break;

                case ResourceChanged x:
                    s.Current[(false, x.Resource)] = (x.Version, x.EventId);
                    foreach (RefRun run in Sorted(r => r.IsLive))
                    {
                        int i = run.Assumptions.FindIndex(a => !a.IsBase && a.Subject == x.Resource);
                        if (run.IsLive && i >= 0 && run.Assumptions[i].Version != x.Version)
                        {
                            Broken(run, i, x.Version, []);
                        }
                    }

                    break;

                case Recovered x:
                    foreach (RefRun run in Sorted(r => r.Status == RunStatus.Active))
                    {
                        if (run.Status != RunStatus.Active)
                        {
                            continue; // Cancelled meanwhile: an earlier orphan's upstream item gave up.
                        }

                        if (OrEmpty(x.AliveRunIds).Contains(run.Id))
                        {
                            if (options.LeaseDuration is long renewed)
                            {
                                run.Lease = Now + renewed;
                            }
                        }
                        else
                        {
                            run.Status = RunStatus.Cancelled;
                            Failure(run, ReasonCode.Orphaned);
                        }
                    }

                    break;
            }
        }

        private void OnClosed(WorkItemClosed x)
        {
            RefItem item = s.Items[x.WorkItemId];
            item.Status = x.Abandoned ? WorkItemStatus.Abandoned : WorkItemStatus.Done;
            item.Revision++;
            foreach (RefRun run in RunsOf(item.Id).Where(r => r.IsLive))
            {
                Cancel(run, ReasonCode.WorkItemClosed, item.Id, null);
            }

            if (x.Abandoned)
            {
                DependentsFail(item);
            }
        }

        private void OnFailed(RunFailed x)
        {
            RefRun run = s.Runs[x.RunId];
            run.Status = RunStatus.Failed;
            if (x.Transient)
            {
                Failure(run, ReasonCode.TransientFailure);
            }
            else if (s.Items[run.Item].Status == WorkItemStatus.Open)
            {
                Abandon(s.Items[run.Item]);
            }
        }

        private void OnChanged(WorkItemChanged x)
        {
            RefItem item = s.Items[x.WorkItemId];
            item.Revision++;
            if (x.Labels is { } labels)
            {
                item.Labels = OrEmpty(labels).Distinct().Order(StringComparer.Ordinal).ToList();
            }

            item.Priority = x.Priority ?? item.Priority;
            foreach (RefRun run in RunsOf(item.Id).Where(r => r.Status == RunStatus.Active))
            {
                Cancel(run, ReasonCode.WorkItemChanged, item.Id, null);
                Restart(run, newWorkspace: true);
            }

            UpstreamChanged(item);
        }

        private void OnRequested(RunRequested x)
        {
            RefItem item = s.Items[x.WorkItemId];
            ParseClaims(OrEmpty(x.Claims), x.IgnoreCase, out ClaimSet claims);
            foreach (RefRun run in RunsOf(item.Id).Where(r => r.IsWaiting))
            {
                Cancel(run, ReasonCode.Superseded, item.Id, x.RunId);
            }

            // The item's latest run (the last one admitted): its workspace is reused when it ended without success,
            // the item's revision is the one it was admitted against and the claim set did not grow.
            RefRun? latest = RunsOf(item.Id).Where(r => r.AdmissionNumber >= 0).MaxBy(r => r.AdmissionNumber);
            bool reuse = latest is not null
                && latest.Status is RunStatus.Failed or RunStatus.Cancelled
                && latest.AdmittedRevisions.GetValueOrDefault(item.Id, -1) == item.Revision
                && !Grew(latest.Claims, claims);
            s.Runs[x.RunId] = new RefRun
            {
                Id = x.RunId,
                Item = item.Id,
                Claims = claims,
                Priority = x.Priority,
                RequestedAt = Now,
                Status = RunStatus.Pending,
                Workspace = reuse ? latest!.Workspace : "ws/" + x.RunId,
                Reuse = reuse,
                Assumptions = ReadAssumptions(x)!,
            };

            // An assumption that differs from a version an earlier event set is broken by that event at once.
            RefRun requested = s.Runs[x.RunId];
            var stale = new List<(int Index, string Actual, string By)>();
            for (int i = 0; i < requested.Assumptions.Count; i++)
            {
                RefAssumption a = requested.Assumptions[i];
                if (s.Current.TryGetValue((a.IsBase, a.Subject), out (string Version, string EventId) current) && current.Version != a.Version)
                {
                    stale.Add((i, current.Version, current.EventId));
                }
            }

            if (stale.Count > 0)
            {
                Broken(requested, stale, []);
            }
        }

        /// <summary>
        /// Whether <paramref name="now"/> has an entry <paramref name="before"/> lacks, read literally (so a barrier,
        /// which has no entries, grows into any set with entries); becoming a barrier is growing too.
        /// </summary>
        private static bool Grew(ClaimSet before, ClaimSet now) =>
            (now.IsBarrier && !before.IsBarrier) || now.Entries.Any(entry => !before.Entries.Contains(entry));

        private void OnSucceeded(RunSucceeded x)
        {
            RefRun run = s.Runs[x.RunId];
            run.Status = RunStatus.Succeeded;
            s.Base = x.NewBaseVersion;
            RefItem item = s.Items[run.Item];
            if (!x.WorkItemContinues && item.Status == WorkItemStatus.Open)
            {
                item.Status = WorkItemStatus.Done;
                item.Revision++;
            }

            List<string> violations = OrEmpty(x.ChangedPaths).Where(p => !CoversResource(run.Claims, p, writingOnly: true)).Distinct().Order(StringComparer.Ordinal).ToList();
            if (violations.Count > 0)
            {
                Output.Add(DecisionView.Violation(run.Id, violations));
                Stale(violations, run.Id);
            }
        }

        private void OnAmended(ClaimsAmended x)
        {
            RefRun run = s.Runs[x.RunId];
            bool ignoreCase = run.Claims.Entries.Any(c => c.Pattern.IgnoreCase);
            ParseClaims(OrEmpty(x.AdditionalClaims), ignoreCase, out ClaimSet extra);
            if (!run.Claims.IsBarrier)
            {
                ClaimSet wider = ClaimSet.Create([.. run.Claims.Entries, .. extra.Entries], run.Claims.Exclusions);
                foreach (RefRun other in Sorted(r => r.Id != run.Id && (r.Status == RunStatus.Active || (r.Status == RunStatus.Held && r.Reserves))))
                {
                    ClaimConflict? conflict = Evidence(wider, other.Claims);
                    if (conflict is not null)
                    {
                        Output.Add(DecisionView.Denied(run.Id, other.Id, conflict));
                        return;
                    }
                }

                run.Claims = wider;
            }

            (string? named, string? revision) = StartsFrom(run);
            Output.Add(DecisionView.Admit(run.Id, ReasonCode.AmendmentGranted, run.AdmittedBase ?? s.Base, run.Workspace, run.Reuse, run.Token, run.Lease, named, revision));
        }

        // ------------------------------------------------------------ admission pass

        /// <summary>The bypass budget K in force: 0 when strict.</summary>
        private int Budget => options.Reservation == ReservationMode.Backfill ? options.BypassBudget : 0;

        /// <summary>Runs that used up their budget first, then the rest; each part by priority, request time, id.</summary>
        private int PassCompare(RefRun a, RefRun b)
        {
            bool aReserved = a.Bypasses >= Budget;
            bool bReserved = b.Bypasses >= Budget;
            return aReserved != bReserved ? (aReserved ? -1 : 1) : AdmissionCompare(a, b);
        }

        private static bool ArrivedBefore(RefRun a, RefRun b) =>
            a.RequestedAt != b.RequestedAt ? a.RequestedAt < b.RequestedAt : string.CompareOrdinal(a.Id, b.Id) < 0;

        /// <summary>
        /// Visits each waiting run once, always the first in pass order (as the runs are now) after the last one visited;
        /// a run that moves ahead of that point (it used up its budget) waits for the next event.
        /// </summary>
        public void AdmissionPass()
        {
            var visited = new HashSet<string>(StringComparer.Ordinal);
            RefRun? position = null;
            while (true)
            {
                RefRun? next = s.Runs.Values
                    .Where(r => r.IsWaiting && !visited.Contains(r.Id) && (position is null || PassCompare(r, position) > 0))
                    .OrderBy(r => r, Comparer<RefRun>.Create(PassCompare))
                    .FirstOrDefault();
                if (next is null)
                {
                    return;
                }

                visited.Add(next.Id);
                position = next.Clone();
                Consider(next);
            }
        }

        /// <summary>A waiting run that would start but for claims and limits: item open, nothing upstream abandoned, dependencies done, backoff over.</summary>
        private bool Ready(RefRun run) =>
            s.Items[run.Item].Status == WorkItemStatus.Open
            && !(run.NotBefore > Now)
            && DirectDependencies(run.Item).All(d => s.Items.TryGetValue(d, out RefItem? i) && i.Status == WorkItemStatus.Done)
            && !TransitiveDependencies(run.Item).Any(d => s.Items.TryGetValue(d, out RefItem? i) && i.Status == WorkItemStatus.Abandoned);

        /// <summary>
        /// Backfill: the ready waiting runs the admitted run overtakes (whatever its own budget) count one bypass each
        /// and are held again at once.
        /// </summary>
        private void Overtake(RefRun admitted)
        {
            if (Budget == 0)
            {
                return;
            }

            List<RefRun> overtaken = s.Runs.Values
                .Where(r => r.IsWaiting && r.Id != admitted.Id && r.Bypasses < Budget
                    && (AdmissionCompare(r, admitted) < 0 || ArrivedBefore(r, admitted))
                    && Ready(r)
                    && ClaimSet.Conflicts(r.Claims, admitted.Claims).IsConflict)
                .ToList();
            overtaken.Sort(PassCompare);
            foreach (RefRun r in overtaken)
            {
                r.Bypasses++;
                r.LastBypassedBy = admitted.Id;
                Consider(r);
            }
        }

        private void Consider(RefRun run)
        {
            RefItem item = s.Items[run.Item];
            if (item.Status != WorkItemStatus.Open)
            {
                Cancel(run, ReasonCode.WorkItemClosed, item.Id, null);
                return;
            }

            string? failed = TransitiveDependencies(item.Id).FirstOrDefault(d => s.Items.TryGetValue(d, out RefItem? i) && i.Status == WorkItemStatus.Abandoned);
            if (failed is not null)
            {
                Cancel(run, ReasonCode.DependencyFailed, failed, null);
                return;
            }

            var blockers = new List<(ReasonCode Code, string? Run, string? Item, ClaimConflict? Conflict, long? NotBefore, string? Limit)>();
            foreach (string dep in DirectDependencies(item.Id))
            {
                if (!s.Items.TryGetValue(dep, out RefItem? d))
                {
                    blockers.Add((ReasonCode.DependencyUnknown, null, dep, null, null, null));
                }
                else if (d.Status != WorkItemStatus.Done)
                {
                    string? active = RunsOf(dep).FirstOrDefault(r => r.Status == RunStatus.Active)?.Id;
                    blockers.Add((ReasonCode.DependencyPending, active, dep, null, null, null));
                }
            }

            if (run.NotBefore > Now)
            {
                blockers.Add((ReasonCode.BackoffPending, null, null, null, run.NotBefore, null));
            }

            if (options.MaxActiveRuns is int max && ActiveCount(null) >= max)
            {
                blockers.Add((ReasonCode.ConcurrencyLimit, null, null, null, null, "*"));
            }

            foreach (string label in item.Labels)
            {
                if (options.MaxActivePerLabel.TryGetValue(label, out int limit) && ActiveCount(label) >= limit)
                {
                    blockers.Add((ReasonCode.ConcurrencyLimit, null, null, null, null, label));
                }
            }

            foreach (RefRun other in Sorted(r => r.Status == RunStatus.Active && r.Id != run.Id))
            {
                if (Evidence(run.Claims, other.Claims) is { } c)
                {
                    blockers.Add((ReasonCode.ClaimConflict, other.Id, other.Item, c, null, null));
                }
            }

            foreach (RefRun other in Sorted(r => r.Status == RunStatus.Held && r.Reserves && r.Id != run.Id && PassCompare(r, run) < 0))
            {
                if (Evidence(run.Claims, other.Claims) is { } c)
                {
                    blockers.Add((ReasonCode.QueuedBehind, other.Id, other.Item, c, null, null));
                }
            }

            if (blockers.Count == 0)
            {
                Admit(run, item);
                return;
            }

            // When a Hold is emitted (docs/policy.md): when the run was pending, or when what its hold says changed: its
            // non-claim reasons (code, blocking run and item, backoff end, limit), the claim blocker it names (the one its
            // last Hold named while that one still blocks it, whichever way; else the first claim blocker) with the way it
            // blocks, and whether it reserves its place. A Hold names the first 8 blockers and counts the rest.
            bool onlyClaimsOrLimits = blockers.All(b => b.Code is ReasonCode.ClaimConflict or ReasonCode.QueuedBehind or ReasonCode.ConcurrencyLimit);
            (int Used, int Budget, string? LastBy)? bypass = Budget > 0 && onlyClaimsOrLimits ? (run.Bypasses, Budget, run.LastBypassedBy) : null;
            bool reserves = onlyClaimsOrLimits && run.Bypasses >= Budget;
            var claims = blockers.Where(b => b.Code is ReasonCode.ClaimConflict or ReasonCode.QueuedBehind).ToList();
            var others = blockers.Where(b => b.Code is not (ReasonCode.ClaimConflict or ReasonCode.QueuedBehind)).ToList();
            string Key(string? named) =>
                string.Join(";", others.Select(b => $"{b.Code}/{b.Run}/{b.Item}/{b.NotBefore}/{b.Limit}"))
                + "|" + string.Join(",", claims.Where(c => c.Run == named).Select(c => $"{c.Code}/{c.Run}"))
                + "|" + reserves;
            string? sticky = claims.Any(c => c.Run == run.LastNamed) ? run.LastNamed : claims.FirstOrDefault().Run;
            bool emit = run.Status == RunStatus.Pending || run.LastHold != Key(sticky);
            run.Status = RunStatus.Held;
            run.Reserves = reserves;
            if (emit)
            {
                run.LastNamed = claims.FirstOrDefault().Run;
                run.LastHold = Key(run.LastNamed);
                Output.Add(DecisionView.Hold(run.Id, blockers.Take(8), bypass, Math.Max(0, blockers.Count - 8)));
            }
        }

        private void Admit(RefRun run, RefItem item)
        {
            run.Token = ++s.Tokens;
            run.Status = RunStatus.Active;
            run.Reserves = false;
            run.AdmittedBase = s.Base;
            run.AdmittedRevisions = TransitiveDependencies(item.Id)
                .Where(s.Items.ContainsKey)
                .ToDictionary(d => d, d => s.Items[d].Revision, StringComparer.Ordinal);
            run.AdmittedRevisions[item.Id] = item.Revision;
            run.Lease = options.LeaseDuration is long lease ? Now + lease : null;
            run.AdmissionNumber = ++s.Admissions;
            (string? named, string? revision) = StartsFrom(run);
            Output.Add(DecisionView.Admit(run.Id, ReasonCode.Admitted, s.Base, run.Workspace, run.Reuse, run.Token, run.Lease, named, revision));
            Overtake(run);
        }

        /// <summary>
        /// The named base and revision an Admit names (docs/policy.md, "Assumptions"): the base the run assumes, at the
        /// revision it assumes (for a restart after its base moved, the revision that moved it); none for a run on the
        /// default base.
        /// </summary>
        private static (string? Base, string? Revision) StartsFrom(RefRun run)
        {
            RefAssumption? onBase = run.Assumptions.Find(a => a.IsBase);
            return onBase is null ? (null, null) : (onBase.Subject, onBase.Version);
        }
    }
}
