using System.Collections.Immutable;
using System.Text;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Properties.Policy;

/// <summary>One event fed to both policies: what the reference decided, what <see cref="ClaimPolicy.Step"/> decided, the graphs around it.</summary>
internal sealed record TraceStep(PolicyEvent? Event, List<DecisionView> Expected, ImmutableArray<Decision> Actual, WorkGraph Before, WorkGraph After, long Now)
{
    public List<DecisionView> ActualViews => [.. Actual.Select(DecisionView.Of)];

    public bool Agrees => Expected.SequenceEqual(ActualViews);
}

/// <summary>Runs a script through the reference policy and <see cref="ClaimPolicy.Step"/> in lockstep, one event at a time.</summary>
internal static class PolicyTrace
{
    public static List<TraceStep> Run(PolicyScript script, bool extremeTimes = false)
    {
        var reference = new ReferencePolicy(script.PolicyOptions);
        var materializer = new PolicyScript.Materializer(script, reference, extremeTimes);
        WorkGraph graph = WorkGraph.Empty;
        var trace = new List<TraceStep>(script.Steps.Length);
        for (int i = 0; i < script.Steps.Length; i++)
        {
            PolicyEvent? e = materializer.Next(i);
            List<DecisionView> expected = reference.Apply(e);
            PolicyStepResult result;
            try
            {
                result = ClaimPolicy.Step(graph, [e], script.PolicyOptions);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"Step threw {ex.GetType().Name}: {ex.Message}\n{Describe(trace)}\n>> {Describe(e)}", ex);
            }

            trace.Add(new TraceStep(e, expected, result.Decisions, graph, result.Graph, reference.Now));
            graph = result.Graph;
        }

        return trace;
    }

    public static List<PolicyEvent?> Events(IEnumerable<TraceStep> trace) => [.. trace.Select(t => t.Event)];

    /// <summary>An event as JSON (or as a record when it cannot be written), for failure messages.</summary>
    public static string Describe(PolicyEvent? e)
    {
        if (e is null)
        {
            return "null";
        }

        try
        {
            return PolicyJson.WriteEvent(e);
        }
#pragma warning disable CA1031 // A failure message must not fail: anything JSON cannot write is shown as a record.
        catch (Exception)
        {
            return e.ToString();
        }
#pragma warning restore CA1031
    }

    /// <summary>Every step: the event, then the decisions; where they differ, the expected and the actual ones.</summary>
    public static string Describe(IEnumerable<TraceStep> trace)
    {
        var text = new StringBuilder();
        foreach (TraceStep step in trace)
        {
            text.Append("- ").AppendLine(Describe(step.Event));
            if (step.Agrees)
            {
                foreach (DecisionView d in step.Expected)
                {
                    text.Append("    ").AppendLine(d.ToString());
                }
            }
            else
            {
                text.AppendLine("    EXPECTED (reference):");
                foreach (DecisionView d in step.Expected)
                {
                    text.Append("      ").AppendLine(d.ToString());
                }

                text.AppendLine("    ACTUAL (ClaimPolicy.Step):");
                foreach (DecisionView d in step.ActualViews)
                {
                    text.Append("      ").AppendLine(d.ToString());
                }
            }
        }

        return text.ToString();
    }
}
