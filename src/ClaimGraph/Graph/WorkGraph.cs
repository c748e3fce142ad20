using System.Collections.Immutable;
using System.Globalization;

namespace ClaimGraph.Graph;

/// <summary>
/// An immutable snapshot of the work: work items and the dependency DAG between them, runs with their claims and
/// decision history, the overlap index of active (and place-reserving) runs, the base version with the log of merged
/// changes, the processed event ids and the fencing-token counter.
/// </summary>
/// <remarks>
/// <para>
/// Every update returns a new graph that shares structure with the old one, which stays unchanged: a single change
/// costs O(log n) (plus the few derived entries it touches). Bulk loads go through <see cref="WorkGraphBuilder"/>.
/// A graph is safe to read from many threads.
/// </para>
/// <para>
/// The graph is a facade over persistent parts, each holding one concern: the work-item DAG (items, dependencies both
/// ways, readiness), the run table (runs, runs per item, the admission queue, active counts per label and base, leases,
/// fencing), the claim ledger (the overlap index of active and place-reserving runs), the base log (base version and
/// merged changes) and the processed-event ledger. An update replaces only the parts it changes.
/// </para>
/// <para>
/// Ids are ordinal strings; every enumeration is in a defined order (ordinal by id unless a member says otherwise),
/// never hash order. The graph reads no clock: times are <see cref="long"/> values the caller supplies.
/// </para>
/// <para>
/// Operations that can be refused return a <see cref="GraphResult"/> with a typed <see cref="GraphError"/> and leave
/// the graph unchanged; only null arguments (programmer errors) throw.
/// </para>
/// <para>
/// Equality is structural over the content (work items, dependencies, runs, base version, merged changes, processed
/// event ids, the fencing-token counter, the current versions of named bases and resources, and the clock
/// <see cref="Now"/>): two graphs built by different update orders
/// but with equal content are equal and hash alike. Derived indexes are not compared; they are a function of the
/// content.
/// </para>
/// </remarks>
public sealed partial class WorkGraph : IEquatable<WorkGraph>
{
    private readonly WorkItemDag _dag;
    private readonly RunTable _runs;
    private readonly ClaimLedger _claims;
    private readonly BaseLog _log;
    private readonly EventLedger _events;
    private readonly VersionTable _versions;
    private readonly long _now;

    // Not content: a cache of GetHashCode (0 until computed).
    private int _hash;

    private WorkGraph(WorkItemDag dag, RunTable runs, ClaimLedger claims, BaseLog log, EventLedger events, VersionTable versions, long now)
    {
        _versions = versions;
        _dag = dag;
        _runs = runs;
        _claims = claims;
        _log = log;
        _events = events;
        _now = now;
    }

    /// <summary>The empty graph: no work items, no runs, base version 0, next fencing token 1.</summary>
    public static WorkGraph Empty { get; } = new(WorkItemDag.Empty, RunTable.Empty, ClaimLedger.Empty, BaseLog.Empty, EventLedger.Empty, VersionTable.Empty, 0);

    /// <summary>Creates a builder for bulk loads, starting empty (its graphs have <see cref="Now"/> 0).</summary>
    public static WorkGraphBuilder CreateBuilder() => new(Empty);

    /// <summary>
    /// Creates a builder for bulk changes, starting from this graph's content. The graphs it makes keep this graph's
    /// <see cref="Now"/>, so <c>g.ToBuilder().ToGraph()</c> equals <c>g</c>.
    /// </summary>
    public WorkGraphBuilder ToBuilder() => new(this);

    /// <summary>The work items by id (ordinal order). O(1).</summary>
    public ImmutableSortedDictionary<string, WorkItem> WorkItems => _dag.Items;

    /// <summary>The number of work items. O(1).</summary>
    public int WorkItemCount => _dag.Items.Count;

    /// <summary>The number of dependency edges. O(1).</summary>
    public int DependencyCount => _dag.EdgeCount;

    /// <summary>The work-item DAG part.</summary>
    internal WorkItemDag Dag => _dag;

    /// <summary>The run table part.</summary>
    internal RunTable RunTable => _runs;

    /// <summary>
    /// The current revision of every named base and version of every resource that a <c>NamedBaseAdvanced</c> or
    /// <c>ResourceChanged</c> event moved, with that event (docs/policy.md, "Assumptions").
    /// </summary>
    internal VersionTable Versions => _versions;

    /// <summary>This graph with <paramref name="subject"/> of <paramref name="kind"/> moved to <paramref name="current"/>. O(log n).</summary>
    internal WorkGraph WithCurrentVersion(AssumptionKind kind, string subject, CurrentVersion current)
    {
        VersionTable versions = _versions.With(kind, subject, current);
        return ReferenceEquals(versions, _versions) ? this : With(versions: versions);
    }

    /// <summary>Whether a work item with <paramref name="id"/> exists. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public bool ContainsWorkItem(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _dag.Contains(id);
    }

    /// <summary>Gets the work item with <paramref name="id"/>. O(log n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public bool TryGetWorkItem(string id, [NotNullWhen(true)] out WorkItem? item)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _dag.TryGet(id, out item);
    }

    /// <summary>
    /// Adds a work item. Refused with <see cref="GraphErrorCode.DuplicateId"/> when the id is taken. Dependencies that
    /// other items already declared on this id now point at it. O(log n + d) for d such dependents.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is null.</exception>
    public GraphResult AddWorkItem(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_dag.Contains(item.Id))
        {
            return GraphError.DuplicateWorkItem(item.Id);
        }

        return With(dag: _dag.Add(item, _runs));
    }

    /// <summary>
    /// Adds a work item with its dependencies, all or nothing: refused when the id is taken or a dependency would close
    /// a cycle. O((1 + k) log n) for k dependencies, plus the cycle search.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> or <paramref name="dependsOn"/> is null, or
    /// <paramref name="dependsOn"/> contains null.</exception>
    public GraphResult AddWorkItem(WorkItem item, IEnumerable<string> dependsOn)
    {
        ArgumentNullException.ThrowIfNull(dependsOn);
        GraphResult result = AddWorkItem(item);
        foreach (string dependency in Structural.Ids(dependsOn))
        {
            if (!result.TryGetValue(out WorkGraph? graph))
            {
                break;
            }

            result = graph.AddDependency(item.Id, dependency);
        }

        return result;
    }

    /// <summary>
    /// Replaces the work item with the same id. Refused with <see cref="GraphErrorCode.UnknownWorkItem"/> when there is
    /// none. The graph keeps its derived state consistent (readiness of the item and its dependents, per-label counts of
    /// active runs). Returns this graph when the item is equal to the stored one. O(log n + d + r) for d dependents and
    /// r runs of the item.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is null.</exception>
    public GraphResult WithWorkItem(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!_dag.TryGet(item.Id, out WorkItem? old))
        {
            return GraphError.UnknownWorkItem(item.Id);
        }

        if (old.Equals(item))
        {
            return this;
        }

        RunTable runs = Structural.SetEqual(old.Labels, item.Labels) ? _runs : _runs.Relabel(item.Id, old.Labels, item.Labels);
        return With(dag: _dag.Replace(old, item, runs), runs: runs);
    }

    /// <summary>The content's summary: counts, the base version and <see cref="Now"/>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"WorkGraph(work items: {WorkItemCount}, dependencies: {DependencyCount}, runs: {RunCount}, base: {BaseVersion}, now: {Now})");

    /// <summary>Makes a graph from parts built in bulk (see <see cref="WorkGraphBuilder.Build"/>).</summary>
    internal static WorkGraph FromParts(WorkItemDag dag, RunTable runs, BaseLog log, EventLedger events, VersionTable versions, long now) =>
        new(
            dag.WithAllReadiness(runs),
            runs,
            ClaimLedger.Create(runs.Runs.Values),
            log,
            events,
            versions,
            now);

    /// <summary>This graph with the parts given replaced; <see cref="Now"/> kept.</summary>
    private WorkGraph With(
        WorkItemDag? dag = null,
        RunTable? runs = null,
        ClaimLedger? claims = null,
        BaseLog? log = null,
        EventLedger? events = null,
        VersionTable? versions = null) =>
        new(dag ?? _dag, runs ?? _runs, claims ?? _claims, log ?? _log, events ?? _events, versions ?? _versions, _now);
}
