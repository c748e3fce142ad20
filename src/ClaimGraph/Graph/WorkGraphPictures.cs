using System.Globalization;
using System.Text;

namespace ClaimGraph.Graph;

/// <summary>
/// Draws a graph's dependency DAG with work item and run states as Mermaid or Graphviz DOT text. The output is
/// deterministic (vertices in ordinal order, edges by dependent then dependency) and safe for any id: nodes get
/// generated names (<c>n0</c>, <c>n1</c>, …) and ids appear only in escaped labels.
/// </summary>
/// <remarks>
/// An edge points from a dependency to its dependent (what must finish first, to what waits for it). A node shows the
/// item's id and status, and its runs that are still pending, held or active, or else its latest run. Its style
/// follows the most pressing state: active, held, pending, then the item's own status (a failed latest run of an open
/// item shows as failed; an id that dependencies name without a work item shows as unknown).
/// </remarks>
public static class WorkGraphPictures
{
    /// <summary>The graph as a Mermaid flowchart (left to right).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    public static string ToMermaid(WorkGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var text = new StringBuilder("flowchart LR\n");
        Dictionary<string, int> names = Name(graph);
        foreach (KeyValuePair<string, int> node in names)
        {
            NodeState state = Describe(graph, node.Key);
            text.Append("  n").Append(node.Value).Append("[\"");
            for (int i = 0; i < state.Lines.Count; i++)
            {
                if (i > 0)
                {
                    text.Append("<br/>");
                }

                AppendMermaidEscaped(text, state.Lines[i]);
            }

            text.Append("\"]:::").Append(state.Style).Append('\n');
        }

        foreach ((int from, int to) in Edges(graph, names))
        {
            text.Append("  n").Append(from).Append(" --> n").Append(to).Append('\n');
        }

        foreach (Style style in Styles)
        {
            text.Append("  classDef ").Append(style.Name)
                .Append(" fill:").Append(style.Fill)
                .Append(",stroke:").Append(style.Stroke)
                .Append(style.Dashed ? ",stroke-dasharray:4 2" : string.Empty)
                .Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The graph as a Graphviz DOT digraph (left to right).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    public static string ToDot(WorkGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var text = new StringBuilder("digraph WorkGraph {\n");
        text.Append("  rankdir=LR;\n");
        text.Append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
        Dictionary<string, int> names = Name(graph);
        foreach (KeyValuePair<string, int> node in names)
        {
            NodeState state = Describe(graph, node.Key);
            Style style = StyleOf(state.Style);
            text.Append("  n").Append(node.Value).Append(" [label=\"");
            for (int i = 0; i < state.Lines.Count; i++)
            {
                if (i > 0)
                {
                    text.Append("\\n");
                }

                AppendDotEscaped(text, state.Lines[i]);
            }

            text.Append("\", fillcolor=\"").Append(style.Fill)
                .Append("\", color=\"").Append(style.Stroke).Append('"')
                .Append(style.Dashed ? ", style=\"rounded,filled,dashed\"" : string.Empty)
                .Append("];\n");
        }

        foreach ((int from, int to) in Edges(graph, names))
        {
            text.Append("  n").Append(from).Append(" -> n").Append(to).Append(";\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static readonly Style[] Styles =
    [
        new("open", "#ffffff", "#424242", false),
        new("done", "#d4edda", "#2e7d32", false),
        new("abandoned", "#eeeeee", "#9e9e9e", true),
        new("unknown", "#fff3cd", "#b8860b", true),
        new("pending", "#f3e5f5", "#6a1b9a", false),
        new("held", "#ffe0b2", "#ef6c00", false),
        new("active", "#cce5ff", "#1565c0", false),
        new("failed", "#f8d7da", "#c62828", false),
    ];

    private static Style StyleOf(string name)
    {
        foreach (Style style in Styles)
        {
            if (string.Equals(style.Name, name, StringComparison.Ordinal))
            {
                return style;
            }
        }

        return Styles[0];
    }

    private static Dictionary<string, int> Name(WorkGraph graph)
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string vertex in graph.Dag.Vertices())
        {
            names.Add(vertex, names.Count);
        }

        return names;
    }

    /// <summary>Edges as (dependency, dependent) node numbers, by dependent then dependency (ordinal).</summary>
    private static IEnumerable<(int From, int To)> Edges(WorkGraph graph, Dictionary<string, int> names)
    {
        foreach (KeyValuePair<string, System.Collections.Immutable.ImmutableSortedSet<string>> entry in graph.Dag.DependencyMap)
        {
            foreach (string dependency in entry.Value)
            {
                yield return (names[dependency], names[entry.Key]);
            }
        }
    }

    private static NodeState Describe(WorkGraph graph, string id)
    {
        var lines = new List<string> { id };
        if (!graph.TryGetWorkItem(id, out WorkItem? item))
        {
            lines.Add("unknown");
            return new NodeState(lines, "unknown");
        }

        lines.Add(item.Status.ToString());
        string style = item.Status switch
        {
            WorkItemStatus.Done => "done",
            WorkItemStatus.Abandoned => "abandoned",
            _ => "open",
        };

        Run? latest = null;
        int rank = 0;
        foreach (Run run in graph.RunsOf(id))
        {
            latest = run;
            int runRank = run.Status switch
            {
                RunStatus.Active => 3,
                RunStatus.Held => 2,
                RunStatus.Pending => 1,
                _ => 0,
            };

            if (runRank > 0)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{run.Id}: {run.Status}"));
                if (runRank > rank)
                {
                    rank = runRank;
                    style = run.Status.ToString().ToLowerInvariant();
                }
            }
        }

        if (rank == 0 && latest is not null)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{latest.Id}: {latest.Status}"));
            if (latest.Status == RunStatus.Failed && item.Status == WorkItemStatus.Open)
            {
                style = "failed";
            }
        }

        return new NodeState(lines, style);
    }

    /// <summary>Mermaid label text: letters, digits, space and <c>-_./</c> as they are, every other character as an entity code.</summary>
    private static void AppendMermaidEscaped(StringBuilder text, string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or '_' or '.' or '/')
            {
                text.Append(c);
                continue;
            }

            int code = c;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                code = char.ConvertToUtf32(c, value[++i]);
            }

            text.Append('#').Append(code.ToString(CultureInfo.InvariantCulture)).Append(';');
        }
    }

    /// <summary>
    /// DOT label text: backslash and quote escaped, control characters and unpaired surrogates shown as <c>\xHH</c>
    /// text (so the output is always valid UTF-8 and never starts a DOT escape).
    /// </summary>
    private static void AppendDotEscaped(StringBuilder text, string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c is '\\' or '"')
            {
                text.Append('\\').Append(c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
            }
            else if (char.IsControl(c) || char.IsSurrogate(c))
            {
                text.Append("\\\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }
    }

    private sealed record NodeState(List<string> Lines, string Style);

    private sealed record Style(string Name, string Fill, string Stroke, bool Dashed);
}
