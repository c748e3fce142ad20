using System.Collections.Immutable;

namespace ClaimGraph.Graph;

/// <summary>Searches over the DAG's edges: orders, closures, readiness explanations and cycles.</summary>
internal sealed partial class WorkItemDag
{
    /// <summary>Every id <paramref name="id"/> depends on directly or transitively (ordinal order; excludes <paramref name="id"/>).</summary>
    public ImmutableArray<string> TransitiveDependencies(string id) => Closure(id, _dependencies);

    /// <summary>Every id that depends on <paramref name="id"/> directly or transitively (ordinal order; excludes <paramref name="id"/>).</summary>
    public ImmutableArray<string> TransitiveDependents(string id) => Closure(id, _dependents);

    /// <summary>
    /// Why <paramref name="id"/> is or is not ready: the item itself (unknown, not open), then
    /// <paramref name="activeRunIds"/> (its active runs), then every dependency that is not done, breadth-first.
    /// </summary>
    public ReadinessExplanation ExplainReadiness(string id, IEnumerable<string> activeRunIds)
    {
        var blockers = ImmutableArray.CreateBuilder<ReadinessBlocker>();
        if (!_items.TryGetValue(id, out WorkItem? item))
        {
            blockers.Add(new ReadinessBlocker(ReadinessBlockerKind.WorkItemUnknown, id, null, []));
        }
        else if (item.Status != WorkItemStatus.Open)
        {
            blockers.Add(new ReadinessBlocker(ReadinessBlockerKind.WorkItemNotOpen, id, item.Status, []));
        }

        foreach (string run in activeRunIds)
        {
            blockers.Add(new ReadinessBlocker(ReadinessBlockerKind.RunActive, run, null, []));
        }

        // Breadth-first through dependencies that are not done, remembering how each was reached.
        var parent = new Dictionary<string, string>(StringComparer.Ordinal) { [id] = id };
        var queue = new Queue<string>();
        queue.Enqueue(id);
        while (queue.TryDequeue(out string? current))
        {
            foreach (string d in DependenciesOf(current))
            {
                if (!parent.TryAdd(d, current))
                {
                    continue;
                }

                ReadinessBlockerKind kind;
                WorkItemStatus? status = null;
                if (!_items.TryGetValue(d, out WorkItem? dep))
                {
                    kind = ReadinessBlockerKind.DependencyUnknown;
                }
                else if (dep.Status == WorkItemStatus.Done)
                {
                    continue;
                }
                else
                {
                    status = dep.Status;
                    kind = dep.Status == WorkItemStatus.Abandoned ? ReadinessBlockerKind.DependencyAbandoned : ReadinessBlockerKind.DependencyOpen;
                    queue.Enqueue(d);
                }

                blockers.Add(new ReadinessBlocker(kind, d, status, PathFrom(id, d, parent)));
            }
        }

        return new ReadinessExplanation(id, blockers.ToImmutable());
    }

    /// <summary>
    /// Every vertex of the dependency DAG, dependencies before their dependents, ties broken by ordinal id (the
    /// lexicographically smallest such order, so it is deterministic). The vertices are the work items plus any ids
    /// that dependencies name but that are not work items. O((V + E) log V).
    /// </summary>
    public ImmutableArray<string> TopologicalOrder()
    {
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        var queue = new PriorityQueue<string, string>(StringComparer.Ordinal);
        foreach (string v in Vertices())
        {
            int count = _dependencies.TryGetValue(v, out ImmutableSortedSet<string>? deps) ? deps.Count : 0;
            if (count == 0)
            {
                queue.Enqueue(v, v);
            }
            else
            {
                remaining[v] = count;
            }
        }

        var order = ImmutableArray.CreateBuilder<string>(remaining.Count + queue.Count);
        while (queue.TryDequeue(out string? v, out _))
        {
            order.Add(v);
            if (_dependents.TryGetValue(v, out ImmutableSortedSet<string>? dependents))
            {
                foreach (string w in dependents)
                {
                    int left = remaining[w] - 1;
                    remaining[w] = left;
                    if (left == 0)
                    {
                        queue.Enqueue(w, w);
                    }
                }
            }
        }

        // The graph refuses every edge that would close a cycle, so every vertex is emitted.
        return order.MoveToImmutable();
    }

    /// <summary>The work items and the ids dependencies name without a work item, in ordinal order.</summary>
    public IEnumerable<string> Vertices()
    {
        using ImmutableSortedDictionary<string, WorkItem>.Enumerator items = _items.GetEnumerator();
        using ImmutableSortedDictionary<string, ImmutableSortedSet<string>>.Enumerator targets = _dependents.GetEnumerator();
        bool hasItem = items.MoveNext();
        bool hasTarget = targets.MoveNext();
        while (hasItem || hasTarget)
        {
            int c = !hasItem ? 1 : !hasTarget ? -1 : string.CompareOrdinal(items.Current.Key, targets.Current.Key);
            if (c <= 0)
            {
                yield return items.Current.Key;
                hasItem = items.MoveNext();
                hasTarget = c == 0 ? targets.MoveNext() : hasTarget;
            }
            else
            {
                yield return targets.Current.Key;
                hasTarget = targets.MoveNext();
            }
        }
    }

    /// <summary>
    /// A shortest cycle the edge <paramref name="dependent"/> → <paramref name="dependency"/> would close, dependent
    /// first; default when there is none. The cycle is a shortest path from the dependency back to the dependent
    /// through "depends on" edges, found by a bidirectional breadth-first search: forward from the dependency through
    /// dependencies, backward from the dependent through dependents, always growing the smaller frontier by a whole
    /// layer. A new item that nothing depends on yet (the common case) is settled after one step. Neighbours are visited
    /// in ordinal order and ties go to the first meeting found, so the answer is deterministic.
    /// </summary>
    public ImmutableArray<string> FindCycleThrough(string dependent, string dependency)
    {
        if (string.Equals(dependent, dependency, StringComparison.Ordinal))
        {
            return [dependent];
        }

        // forward[v]: (predecessor towards the dependency, depth); backward[v]: (successor towards the dependent, depth).
        var forward = new Dictionary<string, (string Next, int Depth)>(StringComparer.Ordinal) { [dependency] = (dependency, 0) };
        var backward = new Dictionary<string, (string Next, int Depth)>(StringComparer.Ordinal) { [dependent] = (dependent, 0) };
        List<string> forwardFrontier = [dependency];
        List<string> backwardFrontier = [dependent];
        int forwardDepth = 0;
        int backwardDepth = 0;
        while (forwardFrontier.Count > 0 && backwardFrontier.Count > 0)
        {
            bool growForward = forwardFrontier.Count <= backwardFrontier.Count;
            (string From, string To)? meeting = growForward
                ? Grow(forwardFrontier, forward, backward, _dependencies, ++forwardDepth, out forwardFrontier)
                : Grow(backwardFrontier, backward, forward, _dependents, ++backwardDepth, out backwardFrontier);
            if (meeting is (string from, string to))
            {
                // The path runs dependency → … → from → to → … → dependent (from is on the forward side).
                (string u, string v) = growForward ? (from, to) : (to, from);
                var path = new List<string>();
                for (string x = u; ; x = forward[x].Next)
                {
                    path.Add(x);
                    if (string.Equals(x, dependency, StringComparison.Ordinal))
                    {
                        break;
                    }
                }

                path.Reverse();
                for (string x = v; !string.Equals(x, dependent, StringComparison.Ordinal); x = backward[x].Next)
                {
                    path.Add(x);
                }

                return [dependent, .. path];
            }
        }

        return default;
    }

    /// <summary>
    /// Grows one side of the bidirectional search by a layer. Returns the meeting edge (a node of this side, a node of
    /// the other) that gives the shortest path through this layer, or null when the sides do not meet yet.
    /// </summary>
    private static (string From, string To)? Grow(
        List<string> frontier,
        Dictionary<string, (string Next, int Depth)> mine,
        Dictionary<string, (string Next, int Depth)> other,
        ImmutableSortedDictionary<string, ImmutableSortedSet<string>> edges,
        int depth,
        out List<string> nextFrontier)
    {
        nextFrontier = [];
        (string From, string To)? best = null;
        int bestLength = int.MaxValue;
        foreach (string u in frontier)
        {
            if (!edges.TryGetValue(u, out ImmutableSortedSet<string>? neighbours))
            {
                continue;
            }

            foreach (string v in neighbours)
            {
                if (other.TryGetValue(v, out (string Next, int Depth) seen))
                {
                    if (depth + seen.Depth < bestLength)
                    {
                        bestLength = depth + seen.Depth;
                        best = (u, v);
                    }
                }
                else if (best is null && mine.TryAdd(v, (u, depth)))
                {
                    nextFrontier.Add(v);
                }
            }
        }

        return best;
    }

    /// <summary>
    /// Some cycle of the dependencies (each member depending on the next, the last on the first), or default when they
    /// form a DAG. Kahn's algorithm strips every vertex not on or behind a cycle; from the smallest remaining vertex,
    /// following the smallest remaining dependency must repeat a vertex, which closes the cycle returned.
    /// </summary>
    private ImmutableArray<string> FindAnyCycle()
    {
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (string v in Vertices())
        {
            int count = _dependencies.TryGetValue(v, out ImmutableSortedSet<string>? deps) ? deps.Count : 0;
            remaining[v] = count;
            if (count == 0)
            {
                queue.Enqueue(v);
            }
        }

        while (queue.TryDequeue(out string? v))
        {
            remaining.Remove(v);
            if (_dependents.TryGetValue(v, out ImmutableSortedSet<string>? dependents))
            {
                foreach (string w in dependents)
                {
                    if (--remaining[w] == 0)
                    {
                        queue.Enqueue(w);
                    }
                }
            }
        }

        if (remaining.Count == 0)
        {
            return default;
        }

        string start = remaining.Keys.Min(StringComparer.Ordinal)!;
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        var walk = new List<string>();
        string current = start;
        while (position.TryAdd(current, walk.Count))
        {
            walk.Add(current);
            foreach (string d in _dependencies[current])
            {
                if (remaining.ContainsKey(d))
                {
                    current = d;
                    break;
                }
            }
        }

        return [.. walk.GetRange(position[current], walk.Count - position[current])];
    }

    /// <summary>The path start → … → end recorded in <paramref name="parent"/>, without start unless asked.</summary>
    private static ImmutableArray<string> PathFrom(string start, string end, Dictionary<string, string> parent, bool includeStart = false)
    {
        var path = new List<string>();
        for (string v = end; !string.Equals(v, start, StringComparison.Ordinal); v = parent[v])
        {
            path.Add(v);
        }

        if (includeStart)
        {
            path.Add(start);
        }

        path.Reverse();
        return [.. path];
    }

    private static ImmutableArray<string> Closure(string id, ImmutableSortedDictionary<string, ImmutableSortedSet<string>> edges)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { id };
        var result = new List<string>();
        var stack = new Stack<string>();
        stack.Push(id);
        while (stack.TryPop(out string? current))
        {
            if (edges.TryGetValue(current, out ImmutableSortedSet<string>? next))
            {
                foreach (string n in next)
                {
                    if (seen.Add(n))
                    {
                        result.Add(n);
                        stack.Push(n);
                    }
                }
            }
        }

        result.Sort(StringComparer.Ordinal);
        return [.. result];
    }
}
