using System.Collections.Immutable;
using ClaimGraph.Graph;

namespace ClaimGraph.Properties.Graph;

/// <summary>
/// The plain model of a work graph: dictionaries and lists, every derived answer computed from its definition.
/// Applying an operation says what the graph must answer (success, or the error code) and updates the model.
/// </summary>
internal sealed class GraphModel
{
    public SortedDictionary<string, WorkItem> Items { get; private init; } = new(StringComparer.Ordinal);

    public HashSet<(string From, string To)> Dependencies { get; private init; } = [];

    public SortedDictionary<string, Run> Runs { get; private init; } = new(StringComparer.Ordinal);

    public SortedSet<string> Events { get; private init; } = new(StringComparer.Ordinal);

    public List<MergedChange> Changes { get; private init; } = [];

    public long BaseVersion { get; private set; }

    public long NextToken { get; private set; } = 1;

    public long Now { get; private set; }

    public GraphModel Clone() => new()
    {
        Items = new(Items, StringComparer.Ordinal),
        Dependencies = [.. Dependencies],
        Runs = new(Runs, StringComparer.Ordinal),
        Events = new(Events, StringComparer.Ordinal),
        Changes = [.. Changes],
        BaseVersion = BaseVersion,
        NextToken = NextToken,
        Now = Now,
    };

    /// <summary>Applies <paramref name="op"/> to the graph and the model; asserts the graph's answer is the model's.</summary>
    public WorkGraph Apply(WorkGraph graph, GraphOp op)
    {
        switch (op)
        {
            case GraphOp.AddItem a:
            {
                var item = new WorkItem(GraphHistory.ItemIds[a.Item]) { Priority = a.Priority, Labels = GraphHistory.LabelSet(a.Labels) };
                GraphErrorCode? expected = Items.ContainsKey(item.Id) ? GraphErrorCode.DuplicateId : null;
                return Expect(graph.AddWorkItem(item), expected, graph, () => Items.Add(item.Id, item));
            }

            case GraphOp.SetItem s:
            {
                string id = GraphHistory.ItemIds[s.Item];
                if (!Items.TryGetValue(id, out WorkItem? old))
                {
                    return Expect(graph.WithWorkItem(new WorkItem(id)), GraphErrorCode.UnknownWorkItem, graph, null);
                }

                WorkItem item = old with { Status = s.Status, Labels = GraphHistory.LabelSet(s.Labels), Revision = s.Revision };
                return Expect(graph.WithWorkItem(item), null, graph, () => Items[id] = item);
            }

            case GraphOp.AddDependency d:
            {
                (string from, string to) = (GraphHistory.ItemIds[d.From], GraphHistory.ItemIds[d.To]);
                GraphErrorCode? expected = !Items.ContainsKey(from) ? GraphErrorCode.UnknownWorkItem
                    : Dependencies.Contains((from, to)) ? null
                    : Reaches(to, from) ? GraphErrorCode.DependencyCycle
                    : null;
                return Expect(graph.AddDependency(from, to), expected, graph, () => Dependencies.Add((from, to)));
            }

            case GraphOp.RemoveDependency d:
            {
                (string from, string to) = (GraphHistory.ItemIds[d.From], GraphHistory.ItemIds[d.To]);
                GraphErrorCode? expected = !Items.ContainsKey(from) ? GraphErrorCode.UnknownWorkItem : null;
                return Expect(graph.RemoveDependency(from, to), expected, graph, () => Dependencies.Remove((from, to)));
            }

            case GraphOp.AddRun a:
            {
                Run run = NewRun(a);
                GraphErrorCode? expected = Runs.ContainsKey(run.Id) ? GraphErrorCode.DuplicateId
                    : !Items.ContainsKey(run.WorkItemId) ? GraphErrorCode.UnknownWorkItem
                    : null;
                return Expect(graph.AddRun(run), expected, graph, () => StoreRun(run));
            }

            case GraphOp.SetRun s:
            {
                string id = GraphHistory.RunIds[s.Run];
                if (!Runs.TryGetValue(id, out Run? old))
                {
                    return Expect(graph.WithRun(new Run(id, "a", GraphHistory.Claims[0])), GraphErrorCode.UnknownRun, graph, null);
                }

                Run run = old with { Status = s.Status, ReservesPlace = s.Reserves, Claims = GraphHistory.Claims[s.Claims], AdmittedBase = s.Base };
                for (int k = 0; k < s.History; k++)
                {
                    run = run.AppendHistory(new RunHistoryEntry($"e{k}", k * 10, (DecisionKind)(1 + k), (ReasonCode)(10 + k), "m\"" + GraphHistory.ItemIds[k])
                    {
                        RelatedRunIds = [.. GraphHistory.RunIds.Take(k)],
                        WitnessPath = k == 1 ? "src/a.cs" : null,
                        Sequence = k,
                    });
                }

                GraphErrorCode? expected = old.Status.IsTerminal() && run.Status != old.Status ? GraphErrorCode.InvalidTransition : null;
                return Expect(graph.WithRun(run), expected, graph, () => StoreRun(run));
            }

            case GraphOp.MarkEvent e:
            {
                string id = "event-" + e.Event.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Events.Add(id);
                return graph.MarkEventProcessed(id);
            }

            case GraphOp.AdvanceBase b:
            {
                long version = BaseVersion + b.Step;
                string? runId = b.Run < 0 ? null : GraphHistory.RunIds[b.Run];
                ImmutableArray<string> paths = [.. GraphHistory.Paths.Where((_, i) => (b.Paths & (1 << i)) != 0)];
                GraphErrorCode? expected = version <= BaseVersion ? GraphErrorCode.InvalidTransition
                    : runId is not null && !Runs.ContainsKey(runId) ? GraphErrorCode.UnknownRun
                    : null;
                return Expect(graph.AdvanceBase(version, paths, runId), expected, graph, () =>
                {
                    BaseVersion = version;
                    Changes.Add(new MergedChange(version, paths, runId));
                });
            }

            case GraphOp.SetNow n:
                Now = n.Time;
                return graph.WithNow(n.Time);

            case GraphOp.Prune p:
                Changes.RemoveAll(c => c.Version < p.Version);
                return graph.PruneMergedChangesBelow(p.Version);

            default:
                WorkGraph next = graph.IssueFencingToken(out long token);
                Assert.Equal(NextToken, token);
                NextToken++;
                return next;
        }
    }

    /// <summary>
    /// Asserts that <paramref name="graph"/> holds the model's content and, unless <paramref name="contentOnly"/>,
    /// answers every derived query as the model's definitions say.
    /// </summary>
    public void AssertMatches(WorkGraph graph, bool contentOnly = false)
    {
        Assert.Equal(Items.Values, graph.WorkItems.Values);
        Assert.Equal(Runs.Values, graph.Runs.Values);
        Assert.Equal([.. Events], [.. graph.ProcessedEventIds]);
        Assert.Equal(Changes, graph.MergedChanges);
        Assert.Equal(BaseVersion, graph.BaseVersion);
        Assert.Equal(NextToken, graph.NextFencingToken);
        Assert.Equal(Now, graph.Now);
        Assert.Equal(Dependencies.Count, graph.DependencyCount);
        Assert.Equal(
            Dependencies.OrderBy(d => d.From, StringComparer.Ordinal).ThenBy(d => d.To, StringComparer.Ordinal),
            graph.AsQuikGraph().Edges.Select(e => (e.Target, e.Source)));
        if (contentOnly)
        {
            return;
        }

        foreach (string id in GraphHistory.ItemIds)
        {
            Assert.Equal(Dependencies.Where(d => d.From == id).Select(d => d.To).Order(StringComparer.Ordinal), [.. graph.DependenciesOf(id)]);
            Assert.Equal(Dependencies.Where(d => d.To == id).Select(d => d.From).Order(StringComparer.Ordinal), [.. graph.DependentsOf(id)]);
            Assert.Equal(
                Runs.Values.Where(r => r.WorkItemId == id).OrderBy(r => r.Attempt).ThenBy(r => r.Id, StringComparer.Ordinal),
                [.. graph.RunsOf(id)]);
            Assert.Equal(IsReady(id), graph.IsReady(id));
        }

        Assert.Equal(Items.Keys.Where(IsReady), [.. graph.ReadyWorkItems]);
        Assert.Equal(
            Runs.Values.Where(r => r.Status is RunStatus.Pending or RunStatus.Held)
                .OrderByDescending(r => r.Priority).ThenBy(r => r.RequestedAt).ThenBy(r => r.Id, StringComparer.Ordinal),
            [.. graph.AdmissionQueue]);
        string[] indexed = [.. Runs.Values.Where(r => r.Status == RunStatus.Active || (r.Status == RunStatus.Held && r.ReservesPlace)).Select(r => r.Id)];
        Assert.Equal<string>(indexed, graph.IndexedRunIds.ToArray());
        Assert.Equal(indexed, graph.OverlapIndex.Owners);

        Run[] active = [.. Runs.Values.Where(r => r.Status == RunStatus.Active)];
        Assert.Equal(active.Length, graph.ActiveRunCount);
        Assert.Equal(
            active.SelectMany(r => Items[r.WorkItemId].Labels).GroupBy(l => l).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => KeyValuePair.Create(g.Key, g.Count())),
            graph.ActiveRunCountsByLabel);
        Assert.Equal(active.Where(r => r.AdmittedBase is not null).Select(r => r.AdmittedBase).Min(), graph.OldestActiveBase);
    }

    /// <summary>
    /// The same content built with single updates in another order: the clock first, items and runs reversed, edges
    /// reversed, then a builder (which must keep the clock) for the merged changes.
    /// </summary>
    public WorkGraph RebuildReversed()
    {
        WorkGraph g = WorkGraph.Empty.WithNow(Now);
        foreach (string e in Events.Reverse())
        {
            g = g.MarkEventProcessed(e);
        }

        foreach (WorkItem item in Items.Values.Reverse())
        {
            g = g.AddWorkItem(item).Value;
        }

        foreach ((string from, string to) in Dependencies.OrderByDescending(d => d.From, StringComparer.Ordinal).ThenByDescending(d => d.To, StringComparer.Ordinal))
        {
            g = g.AddDependency(from, to).Value;
        }

        foreach (Run run in Runs.Values.Reverse())
        {
            g = g.AddRun(run).Value;
        }

        WorkGraphBuilder b = g.ToBuilder();
        foreach (MergedChange change in Changes)
        {
            b.AddMergedChange(change);
        }

        b.BaseVersion = BaseVersion;
        b.NextFencingToken = NextToken;
        return b.ToGraph();
    }

    private static WorkGraph Expect(GraphResult result, GraphErrorCode? expected, WorkGraph graph, Action? onSuccess)
    {
        if (expected is null)
        {
            Assert.True(result.IsSuccess, result.ToString());
            onSuccess?.Invoke();
            return result.Value;
        }

        Assert.Equal(expected, result.Error?.Code);
        return graph;
    }

    private static Run NewRun(GraphOp.AddRun a)
    {
        var run = new Run(GraphHistory.RunIds[a.Run], GraphHistory.ItemIds[a.Item], GraphHistory.Claims[a.Claims])
        {
            Status = a.Status,
            Priority = a.Priority,
            RequestedAt = a.RequestedAt,
            ReservesPlace = a.Reserves,
            AdmittedBase = a.Base,
            FencingToken = a.Token,
            Attempt = 1 + (a.Extras % 3),
        };
        if ((a.Extras & 4) != 0)
        {
            run = run with
            {
                NotBefore = 40,
                WorkspaceKey = "ws/" + GraphHistory.ItemIds[a.Item],
                LeaseExpiresAt = 900,
                AdmittedUpstreamRevisions = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(GraphHistory.ItemIds[a.Extras % GraphHistory.ItemIds.Length], (long)a.Extras)]),
            };
        }

        if ((a.Extras & 8) != 0)
        {
            run = run with { Failures = a.Extras % 3, PreviousRunId = GraphHistory.RunIds[(a.Run + 1) % GraphHistory.RunIds.Length] };
        }

        return run;
    }

    private void StoreRun(Run run)
    {
        Runs[run.Id] = run;
        NextToken = Math.Max(NextToken, run.FencingToken + 1);
    }

    /// <summary>The ready work items by definition, ordinal order.</summary>
    public string[] ReadyIds() => [.. Items.Keys.Where(IsReady)];

    private bool IsReady(string id) =>
        Items.TryGetValue(id, out WorkItem? item)
        && item.Status == WorkItemStatus.Open
        && Dependencies.Where(d => d.From == id).All(d => Items.TryGetValue(d.To, out WorkItem? dep) && dep.Status == WorkItemStatus.Done)
        && !Runs.Values.Any(r => r.WorkItemId == id && r.Status == RunStatus.Active);

    /// <summary>Whether <paramref name="from"/> depends on <paramref name="to"/> through zero or more edges.</summary>
    private bool Reaches(string from, string to)
    {
        var seen = new HashSet<string> { from };
        var stack = new Stack<string>([from]);
        while (stack.TryPop(out string? v))
        {
            if (v == to)
            {
                return true;
            }

            foreach ((string _, string next) in Dependencies.Where(d => d.From == v))
            {
                if (seen.Add(next))
                {
                    stack.Push(next);
                }
            }
        }

        return false;
    }
}
