using ClaimGraph.Claims;
using ClaimGraph.Graph;
using ClaimGraph.Policy;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Policy;

/// <summary>
/// The bookkeeping the policy keeps beside the graphs it returns (<see cref="AdmissionState"/>): the waiting-run index,
/// updated run by run through every step, must answer exactly as one built afresh from the graph's runs.
/// </summary>
public class AdmissionStateProperties
{
    /// <summary>Times around the script's backoff and lease values, and the extremes.</summary>
    private static readonly long[] Times = [long.MinValue, -1, 0, 39, 40, 41, 899, 900, 901, long.MaxValue];

    /// <summary>Every valid pattern of the scripts in every mode, and the barrier.</summary>
    private static readonly ClaimSet[] Queries =
    [
        ClaimSet.Barrier,
        .. PolicyScript.Patterns[..^1].SelectMany(p => new[] { "write ", "append ", "read " }.Select(m => ClaimSet.Parse(m + p))),
    ];

    [Property(MaxTest = 500)]
    public Property Step_WaitingIndexKeptByThePolicy_AnswersAsOneBuiltFromTheGraph() =>
        Prop.ForAll(PolicyScript.Arbitrary(), script =>
        {
            List<TraceStep> trace = PolicyTrace.Run(script);
            for (int i = 0; i < trace.Count; i++)
            {
                WorkGraph g = trace[i].After;
                AdmissionState? state = AdmissionState.Of(g);
                if (state is null)
                {
                    // A rejected, repeated or null event returns the graph it was given, which carries the state of the
                    // step before it (or none, for the empty graph).
                    Assert.True(i == 0 || ReferenceEquals(g, trace[i].Before), $"step {i + 1}: a changed graph without a state");
                    continue;
                }

                WaitingIndex fresh = WaitingIndex.Create(g.Runs.Values);
                foreach (ClaimSet claims in Queries)
                {
                    Assert.Equal(Overlapping(fresh, g, claims), Overlapping(state.Waiting, g, claims));
                }

                foreach (long after in Times)
                {
                    foreach (long upTo in Times)
                    {
                        Assert.Equal(WithNotBeforeIn(fresh, after, upTo), WithNotBeforeIn(state.Waiting, after, upTo));
                    }
                }
            }
        });

    private static string[] Overlapping(WaitingIndex index, WorkGraph g, ClaimSet claims)
    {
        var found = new List<string>();
        index.AddOverlapping(claims, g.AdmissionQueue, found);
        return [.. found.Distinct().Order(StringComparer.Ordinal)];
    }

    private static string[] WithNotBeforeIn(WaitingIndex index, long after, long upTo)
    {
        var found = new List<string>();
        index.AddWithNotBeforeIn(after, upTo, found);
        return [.. found];
    }
}
