using System.Collections.Immutable;
using System.Globalization;
using System.Security;
using System.Text;

namespace ClaimGraph.Simulation;

/// <summary>
/// Draws the sweep as SVG by hand: a dependency-free, deterministic line chart (a plotting library would need native
/// rendering assets and would not promise byte-identical output).
/// </summary>
internal static class SvgChart
{
    private const int PanelWidth = 460;
    private const int PanelHeight = 300;
    private const int MarginLeft = 70;
    private const int MarginRight = 20;
    private const int MarginTop = 40;
    private const int MarginBottom = 50;
    private const int HeaderHeight = 70;

    private static readonly (string Title, Func<PolicyRunResult, double> Value)[] Panels =
    [
        ("Merged tasks per hour", r => r.MergedPerHour),
        ("Makespan / lower bound (1 = optimal)", r => r.MakespanOverBound),
        ("Wasted agent-hours (lost work)", r => r.WastedAgentHours),
        ("Arrival to merge, p95 (hours)", r => r.P95LatencyHours),
    ];

    /// <summary>Dash patterns for the conflict costs, in the order of the options: solid, dashed, dotted, dash-dot.</summary>
    private static readonly string[] Dashes = [string.Empty, "8 5", "2 4", "8 4 2 4"];

    public static string Render(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        int width = 2 * PanelWidth;
        int height = HeaderHeight + (2 * PanelHeight);
        var svg = new StringBuilder();
        svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(F($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        string title = F($"{report.Source}: {report.Tasks} tasks, claims per {SimulationReportWriter.GranularityName(report.Options.Granularity)}, time compressed {report.Options.TimeCompression:0.##}x, lower bound {report.Bound.FileHours:0.0} h");
        svg.Append(F($"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{Escape(title)}</text>\n"));
        Legend(svg, report, width);
        int[] agents = [.. report.Options.AgentCounts.Distinct().Order()];
        for (int p = 0; p < Panels.Length; p++)
        {
            int left = (p % 2) * PanelWidth;
            int top = HeaderHeight + ((p / 2) * PanelHeight);
            Panel(svg, report, agents, Panels[p].Title, Panels[p].Value, left, top);
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Legend(StringBuilder svg, SimulationReport report, int width)
    {
        ImmutableArray<double> costs = report.Options.ConflictCosts;
        int count = report.Options.Policies.Length + (costs.Length > 1 ? costs.Length : 0);
        int x = (width / 2) - (count * 130 / 2);
        foreach (SimulationPolicy policy in report.Options.Policies)
        {
            string colour = Colour(policy);
            svg.Append(F($"<line x1=\"{x}\" y1=\"45\" x2=\"{x + 30}\" y2=\"45\" stroke=\"{colour}\" stroke-width=\"2.5\"/>"));
            svg.Append(F($"<circle cx=\"{x + 15}\" cy=\"45\" r=\"3.5\" fill=\"{colour}\"/>"));
            svg.Append(F($"<text x=\"{x + 38}\" y=\"49\">{SimulationReportWriter.PolicyName(policy)}</text>\n"));
            x += 130;
        }

        for (int c = 0; costs.Length > 1 && c < costs.Length; c++)
        {
            svg.Append(F($"<line x1=\"{x}\" y1=\"45\" x2=\"{x + 30}\" y2=\"45\" stroke=\"black\" stroke-width=\"2\"{DashAttribute(c)}/>"));
            svg.Append(F($"<text x=\"{x + 38}\" y=\"49\">conflict cost {costs[c]:0.###}</text>\n"));
            x += 130;
        }
    }

    private static void Panel(StringBuilder svg, SimulationReport report, int[] agents, string title, Func<PolicyRunResult, double> value, int left, int top)
    {
        int x0 = left + MarginLeft;
        int x1 = left + PanelWidth - MarginRight;
        int y0 = top + PanelHeight - MarginBottom;
        int y1 = top + MarginTop;
        double max = 0;
        foreach (PolicyRunResult r in report.Results)
        {
            max = Math.Max(max, value(r));
        }

        double step = NiceStep(max / 5);
        double yMax = Math.Max(step, Math.Ceiling(max / step) * step);
        double lo = Math.Log2(agents[0]);
        double hi = Math.Log2(agents[^1]);
        double X(int a) => hi > lo ? x0 + ((Math.Log2(a) - lo) / (hi - lo) * (x1 - x0)) : (x0 + x1) / 2.0;
        double Y(double v) => y0 - (v / yMax * (y0 - y1));

        svg.Append(F($"<g>\n<text x=\"{(x0 + x1) / 2}\" y=\"{top + 24}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">{Escape(title)}</text>\n"));
        int lines = (int)Math.Round(yMax / step);
        for (int i = 0; i <= lines; i++)
        {
            double v = i * step;
            double y = Y(v);
            svg.Append(F($"<line x1=\"{x0}\" y1=\"{y:0.##}\" x2=\"{x1}\" y2=\"{y:0.##}\" stroke=\"#e0e0e0\"/>"));
            svg.Append(F($"<text x=\"{x0 - 6}\" y=\"{y + 4:0.##}\" text-anchor=\"end\">{Number(v)}</text>\n"));
        }

        foreach (int a in agents)
        {
            double x = X(a);
            svg.Append(F($"<line x1=\"{x:0.##}\" y1=\"{y0}\" x2=\"{x:0.##}\" y2=\"{y0 + 5}\" stroke=\"black\"/>"));
            svg.Append(F($"<text x=\"{x:0.##}\" y=\"{y0 + 18}\" text-anchor=\"middle\">{a}</text>\n"));
        }

        svg.Append(F($"<line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y0}\" stroke=\"black\"/>"));
        svg.Append(F($"<line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x0}\" y2=\"{y1}\" stroke=\"black\"/>\n"));
        svg.Append(F($"<text x=\"{(x0 + x1) / 2}\" y=\"{y0 + 38}\" text-anchor=\"middle\">agents</text>\n"));
        ImmutableArray<double> costs = report.Options.ConflictCosts;
        for (int c = 0; c < costs.Length; c++)
        {
            foreach (SimulationPolicy policy in report.Options.Policies)
            {
                var points = new StringBuilder();
                var marks = new StringBuilder();
                foreach (int a in agents)
                {
                    if (report.Find(policy, a, costs[c]) is not { } r)
                    {
                        continue;
                    }

                    double x = X(a);
                    double y = Y(value(r));
                    points.Append(F($"{(points.Length > 0 ? " " : string.Empty)}{x:0.##},{y:0.##}"));
                    marks.Append(F($"<circle cx=\"{x:0.##}\" cy=\"{y:0.##}\" r=\"3.5\" fill=\"{Colour(policy)}\"><title>{SimulationReportWriter.PolicyName(policy)}, {a} agents, conflict cost {costs[c]:0.###}: {Number(value(r))}</title></circle>"));
                }

                svg.Append(F($"<polyline fill=\"none\" stroke=\"{Colour(policy)}\" stroke-width=\"2.5\"{DashAttribute(c)} points=\"{points}\"/>\n"));
                svg.Append(marks).Append('\n');
            }
        }

        svg.Append("</g>\n");
    }

    /// <summary>A round step (1, 2 or 5 times a power of ten) at least <paramref name="raw"/>.</summary>
    internal static double NiceStep(double raw)
    {
        if (!(raw > 0))
        {
            return 1;
        }

        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double fraction = raw / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }

    private static string DashAttribute(int costIndex) =>
        Dashes[costIndex % Dashes.Length] is { Length: > 0 } dash ? F($" stroke-dasharray=\"{dash}\"") : string.Empty;

    private static string Colour(SimulationPolicy policy) => policy switch
    {
        SimulationPolicy.FanOut => "#d62728",
        SimulationPolicy.Serial => "#7f7f7f",
        _ => "#1f77b4",
    };

    private static string Number(double v) => v.ToString(v >= 100 || v == Math.Floor(v) ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
