using ClaimGraph.Graph;
using ClaimGraph.Policy;
using FsCheck;
using FsCheck.Fluent;

namespace ClaimGraph.Properties.Policy;

/// <summary>
/// The random scripts of the policy properties (reference policy, incremental equals full pass) do reach the
/// assumption events: both kinds of broken assumption, at a move and at a request made after the move, restarts
/// that follow them, and rejected assumption fields.
/// </summary>
public class AssumptionCoverageTests
{
    [Fact]
    public void ScriptGen_FixedSeed_ReachesEveryAssumptionOutcome()
    {
        PolicyScript[] scripts = PolicyScript.ScriptGen(40, 1, backInTime: false).Sample(40, new Rnd(20261203UL, 13UL), 500);
        var broken = new HashSet<AssumptionKind>();
        var brokenAtRequest = new HashSet<AssumptionKind>();
        bool restarted = false, rejected = false;
        foreach (PolicyScript script in scripts)
        {
            foreach (TraceStep step in PolicyTrace.Run(script))
            {
                foreach (Decision d in step.Actual)
                {
                    if (d is CancelDecision { Reason: ReasonCode.AssumptionBroken, BrokenAssumption: { } a })
                    {
                        (step.Event is RunRequested ? brokenAtRequest : broken).Add(a.Kind);
                        restarted |= step.Actual.Any(r => r is RetryDecision { Reason: ReasonCode.Restarted } retry && retry.RunId == d.RunId);
                    }

                    rejected |= d is RejectDecision { Reason: ReasonCode.InvalidEvent } && step.Event is RunRequested { Assumes.IsDefaultOrEmpty: false } or ResourceChanged or NamedBaseAdvanced;
                }
            }
        }

        Assert.Equal([AssumptionKind.Base, AssumptionKind.Resource], broken.Order().ToArray());
        Assert.Equal([AssumptionKind.Base, AssumptionKind.Resource], brokenAtRequest.Order().ToArray());
        Assert.True(restarted, "no broken assumption was followed by a restart");
        Assert.True(rejected, "no assumption field was rejected");
    }
}
