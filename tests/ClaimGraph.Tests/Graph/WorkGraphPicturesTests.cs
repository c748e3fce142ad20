using ClaimGraph.Graph;
using static ClaimGraph.Tests.Graph.GraphFixtures;

namespace ClaimGraph.Tests.Graph;

public class WorkGraphPicturesTests
{
    private static WorkGraph Sample()
    {
        WorkGraph g = Items("api", "db", "ui").Edges("api->db", "ui->api", "ui->ghost").SetStatus("db", WorkItemStatus.Done);
        g = g.AddRun(Run("r1", "api", status: RunStatus.Active)).Value;
        return g.AddRun(Run("r0", "db", status: RunStatus.Succeeded)).Value;
    }

    [Fact]
    public void ToMermaid_Sample_ExactText()
    {
        string expected =
            "flowchart LR\n" +
            "  n0[\"api<br/>Open<br/>r1#58; Active\"]:::active\n" +
            "  n1[\"db<br/>Done<br/>r0#58; Succeeded\"]:::done\n" +
            "  n2[\"ghost<br/>unknown\"]:::unknown\n" +
            "  n3[\"ui<br/>Open\"]:::open\n" +
            "  n1 --> n0\n" +
            "  n0 --> n3\n" +
            "  n2 --> n3\n";
        string actual = WorkGraphPictures.ToMermaid(Sample());
        Assert.StartsWith(expected, actual, StringComparison.Ordinal);
        Assert.Contains("  classDef active fill:#cce5ff,stroke:#1565c0\n", actual, StringComparison.Ordinal);
        Assert.Contains("  classDef abandoned fill:#eeeeee,stroke:#9e9e9e,stroke-dasharray:4 2\n", actual, StringComparison.Ordinal);
    }

    [Fact]
    public void ToDot_Sample_ExactText()
    {
        string expected =
            "digraph WorkGraph {\n" +
            "  rankdir=LR;\n" +
            "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n" +
            "  n0 [label=\"api\\nOpen\\nr1: Active\", fillcolor=\"#cce5ff\", color=\"#1565c0\"];\n" +
            "  n1 [label=\"db\\nDone\\nr0: Succeeded\", fillcolor=\"#d4edda\", color=\"#2e7d32\"];\n" +
            "  n2 [label=\"ghost\\nunknown\", fillcolor=\"#fff3cd\", color=\"#b8860b\", style=\"rounded,filled,dashed\"];\n" +
            "  n3 [label=\"ui\\nOpen\", fillcolor=\"#ffffff\", color=\"#424242\"];\n" +
            "  n1 -> n0;\n" +
            "  n0 -> n3;\n" +
            "  n2 -> n3;\n" +
            "}\n";
        Assert.Equal(expected, WorkGraphPictures.ToDot(Sample()));
    }

    [Fact]
    public void ToMermaid_HostileIds_OnlyEntityCodesInLabels()
    {
        WorkGraph g = Items("a\"]; click n0 \"evil", "x-->y", "<b>#1</b>", "line\nbreak");
        string text = WorkGraphPictures.ToMermaid(g);
        string[] nodeLines = text.Split('\n').Where(l => l.StartsWith("  n", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, nodeLines.Length);
        foreach (string line in nodeLines)
        {
            // One quoted label per node: the only quotes are the two delimiters.
            Assert.Equal(2, line.Count(c => c == '"'));
            Assert.DoesNotContain("-->", line, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>", line, StringComparison.Ordinal);
        }

        Assert.Contains("a#34;#93;#59; click n0 #34;evil", text, StringComparison.Ordinal);
        Assert.Contains("line#10;break", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMermaid_SurrogatePair_OneCodePoint()
    {
        Assert.Contains("#128512;", WorkGraphPictures.ToMermaid(Items("\U0001F600")), StringComparison.Ordinal);
    }

    [Fact]
    public void ToDot_HostileIds_Escaped()
    {
        WorkGraph g = Items("q\"uote", "back\\slash", "new\nline", "lone\uD800");
        string text = WorkGraphPictures.ToDot(g);
        Assert.Contains("label=\"back\\\\slash\\nOpen\"", text, StringComparison.Ordinal);
        Assert.Contains("label=\"q\\\"uote\\nOpen\"", text, StringComparison.Ordinal);
        Assert.Contains("label=\"new\\\\x0Aline\\nOpen\"", text, StringComparison.Ordinal);
        Assert.Contains("label=\"lone\\\\xD800\\nOpen\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\n' + "line", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pictures_DifferentUpdateOrders_SameText()
    {
        WorkGraph x = Items("a", "b", "c").Edges("a->b", "b->c", "a->c");
        WorkGraph y = Items("c", "b", "a").Edges("a->c", "b->c", "a->b");
        Assert.Equal(WorkGraphPictures.ToMermaid(x), WorkGraphPictures.ToMermaid(y));
        Assert.Equal(WorkGraphPictures.ToDot(x), WorkGraphPictures.ToDot(y));
    }

    [Fact]
    public void Styles_FollowMostPressingState()
    {
        WorkGraph g = Items("held", "pending", "failed", "abandoned");
        g = g.AddRun(Run("h1", "held", status: RunStatus.Held)).Value.AddRun(Run("h2", "held")).Value;
        g = g.AddRun(Run("p1", "pending")).Value;
        g = g.AddRun(Run("f1", "failed", status: RunStatus.Failed)).Value;
        g = g.SetStatus("abandoned", WorkItemStatus.Abandoned);
        string text = WorkGraphPictures.ToMermaid(g);
        Assert.Contains("\"abandoned<br/>Abandoned\"]:::abandoned", text, StringComparison.Ordinal);
        Assert.Contains("\"failed<br/>Open<br/>f1#58; Failed\"]:::failed", text, StringComparison.Ordinal);
        Assert.Contains("\"held<br/>Open<br/>h1#58; Held<br/>h2#58; Pending\"]:::held", text, StringComparison.Ordinal);
        Assert.Contains("\"pending<br/>Open<br/>p1#58; Pending\"]:::pending", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pictures_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => WorkGraphPictures.ToMermaid(null!));
        Assert.Throws<ArgumentNullException>(() => WorkGraphPictures.ToDot(null!));
    }
}
