using System.Collections.Immutable;
using System.Globalization;
using ClaimGraph.Claims;
using ClaimGraph.Graph;
using QuikGraph;

namespace ClaimGraph.Benchmarks.Graph;

/// <summary>
/// A deterministic issue graph of a given size, shaped like a real tracker: each item depends on up to two earlier
/// items, about a third are done, a quarter have a run (pending, active or finished) with claims on their module.
/// The same content is also built as a QuikGraph <see cref="BidirectionalGraph{TVertex, TEdge}"/> plus side tables
/// (statuses, active items), the naive representation the baselines use.
/// </summary>
internal sealed class GraphWorkload
{
    private static readonly string[] LabelPool = ["backend", "frontend", "infra", "docs"];

    public GraphWorkload(int items, int runsPerItem = 0)
    {
        WorkGraphBuilder builder = WorkGraph.CreateBuilder();
        Quik = new BidirectionalGraph<string, SEquatableEdge<string>>(allowParallelEdges: false, items, 4);
        ulong state = 0x9E3779B97F4A7C15UL;
        for (int i = 0; i < items; i++)
        {
            string id = Id(i);
            WorkItemStatus status = Next(ref state) % 3 == 0 ? WorkItemStatus.Done : WorkItemStatus.Open;
            builder.AddWorkItem(new WorkItem(id)
            {
                Status = status,
                Priority = (int)(Next(ref state) % 4),
                Labels = [LabelPool[i % LabelPool.Length]],
            });
            Quik.AddVertex(id);
            Statuses[id] = status;
            for (int k = 0; k < 2 && i > 0; k++)
            {
                string dependency = Id((int)(Next(ref state) % (ulong)i));
                builder.AddDependency(id, dependency);
                var edge = new SEquatableEdge<string>(dependency, id);
                if (!Quik.ContainsEdge(edge))
                {
                    Quik.AddEdge(edge);
                }
            }

            int runs = runsPerItem > 0 ? runsPerItem : (i % 4 == 0 ? 1 : 0);
            for (int r = 0; r < runs; r++)
            {
                RunStatus runStatus = status == WorkItemStatus.Done ? RunStatus.Succeeded : (RunStatus)(Next(ref state) % 3);
                var run = new Run($"{id}#{r + 1}", id, Claims[i % Claims.Length])
                {
                    Attempt = r + 1,
                    Status = runStatus,
                    Priority = (int)(Next(ref state) % 3),
                    RequestedAt = i,
                    AdmittedBase = runStatus == RunStatus.Active ? i % 50 : null,
                    FencingToken = runStatus == RunStatus.Active ? i + 1 : 0,
                    WorkspaceKey = runStatus == RunStatus.Pending ? null : "ws/" + id,
                    History = runStatus == RunStatus.Pending
                        ? []
                        : [new RunHistoryEntry("e" + id, i, DecisionKind.Admit, ReasonCode.Admitted, "admitted") { Sequence = i }],
                };
                builder.AddRun(run);
                if (runStatus == RunStatus.Active)
                {
                    Active.Add(id);
                }
            }
        }

        Graph = builder.ToGraph();
    }

    /// <summary>A small pool of claim sets, one module each, so that active runs rarely conflict.</summary>
    public static ClaimSet[] Claims { get; } =
        [.. Enumerable.Range(0, 64).Select(m => ClaimSet.Parse(string.Create(CultureInfo.InvariantCulture, $"write src/module{m}/**\nread docs/**\nappend CHANGELOG.md")))];

    public WorkGraph Graph { get; }

    public BidirectionalGraph<string, SEquatableEdge<string>> Quik { get; }

    public Dictionary<string, WorkItemStatus> Statuses { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Active { get; } = new(StringComparer.Ordinal);

    public static string Id(int i) => "item-" + i.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The ready set the naive way: scan every vertex and its in-edges.</summary>
    public List<string> NaiveReady()
    {
        var ready = new List<string>();
        foreach (string v in Quik.Vertices)
        {
            if (Statuses[v] != WorkItemStatus.Open || Active.Contains(v))
            {
                continue;
            }

            bool allDone = true;
            foreach (SEquatableEdge<string> e in Quik.InEdges(v))
            {
                allDone &= Statuses[e.Source] == WorkItemStatus.Done;
            }

            if (allDone)
            {
                ready.Add(v);
            }
        }

        ready.Sort(StringComparer.Ordinal);
        return ready;
    }

    /// <summary>The first pending run in admission order, and the same run made active.</summary>
    public (Run Pending, Run Activated) PendingRun()
    {
        Run pending = Graph.AdmissionQueue.First(r => r.Status == RunStatus.Pending);
        return (pending, pending with { Status = RunStatus.Active, AdmittedBase = 7, FencingToken = Graph.NextFencingToken, WorkspaceKey = "ws/" + pending.WorkItemId });
    }

    private static ulong Next(ref ulong state)
    {
        // xorshift64*: deterministic, no System.Random.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return (state * 0x2545F4914F6CDD1DUL) >> 33;
    }
}
