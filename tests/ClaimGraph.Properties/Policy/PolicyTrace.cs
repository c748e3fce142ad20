using System.Collections.Immutable;
using System.Text;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;
using ClaimGraph.Oracles.Policy;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Properties.Policy;

/// <summary>One event fed to both policies: what the reference decided, what <see cref="ClaimPolicy.Step"/> decided, the graphs around it.</summary>
internal sealed record TraceStep(PolicyEvent? Event, List<DecisionView> Expected, ImmutableArray<Decision> Actual, WorkGraph Before, WorkGraph After, long Now)
{
    public List<DecisionView> ActualViews => [.. Actual.Select(DecisionView.Of)];

    public bool Agrees => Expected.SequenceEqual(ActualViews) && EvidenceProblems.Count == 0;

    /// <summary>Whether the set covers <paramref name="path"/> of namespace <paramref name="ns"/> (a witness lives in its patterns' namespace).</summary>
    private static bool CoversIn(ClaimSet set, string path, string ns) => set.IsBarrier || set.FindCoveringEntry(path, ns, writingOnly: false) is not null;

    /// <summary>
    /// Claim-conflict evidence of the actual decisions that proves nothing: the blocker's entry is not one of its claims,
    /// the modes do not conflict, or the witness is not covered by both sides.
    /// </summary>
    public List<string> EvidenceProblems
    {
        get
        {
            var problems = new List<string>();
            foreach (DecisionView d in ActualViews)
            {
                foreach ((string blocker, ClaimConflict c) in d.Conflicts)
                {
                    if (After.Runs.TryGetValue(blocker, out Run? other) && After.Runs.TryGetValue(d.Run!, out Run? run)
                        && Problem(c, d.Kind == DecisionKind.Hold ? run.Claims : null, other.Claims) is { } problem)
                    {
                        problems.Add($"{d.Kind} {d.Run} names {DecisionView.Describe(c)} against '{blocker}': {problem}");
                    }
                }
            }

            return problems;
        }
    }

    /// <summary>Why the evidence does not prove a conflict between <paramref name="mine"/> (when known) and <paramref name="theirs"/>.</summary>
    private static string? Problem(ClaimConflict c, ClaimSet? mine, ClaimSet theirs)
    {
        if (!c.Left.Mode.ConflictsWith(c.Right.Mode))
        {
            return "the modes do not conflict";
        }

        if (!(c.RightIsBarrier ? theirs.IsBarrier : theirs.Entries.Contains(c.Right)))
        {
            return "the right entry is not the blocker's";
        }

        if (mine is not null && !(c.LeftIsBarrier ? mine.IsBarrier : mine.Entries.Contains(c.Left)))
        {
            return "the left entry is not the run's";
        }

        if (!GlobPath.IsValid(c.Witness) || !c.Left.Pattern.Covers(c.Witness) || !c.Right.Pattern.Covers(c.Witness)
            || !CoversIn(theirs, c.Witness, c.Right.Pattern.Namespace) || (mine is not null && !CoversIn(mine, c.Witness, c.Left.Pattern.Namespace)))
        {
            return "the witness is not covered by both";
        }

        return null;
    }
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
            foreach (string problem in step.EvidenceProblems)
            {
                text.Append("    BAD EVIDENCE: ").AppendLine(problem);
            }

            if (step.Expected.SequenceEqual(step.ActualViews))
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
