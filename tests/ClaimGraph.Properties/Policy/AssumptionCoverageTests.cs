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

    /// <summary>
    /// The reference-policy properties compare the named base and revision of every Admit; the scripts must reach
    /// admissions on each named base, restarts admitted at the revision that broke their first attempt (only a
    /// <c>NamedBaseAdvanced</c> makes <c>v2</c>: requests assume <c>v0</c> or <c>v1</c>), and granted amendments of
    /// runs on a named base, each often enough that a policy naming the wrong base or revision fails many scripts.
    /// </summary>
    [Fact]
    public void ScriptGen_FixedSeed_AdmitsRunsOnNamedBases()
    {
        PolicyScript[] scripts = PolicyScript.ScriptGen(40, 1, backInTime: false).Sample(200, new Rnd(20261203UL, 13UL), 500);
        var bases = new HashSet<string>(StringComparer.Ordinal);
        int onNamedBase = 0, restartedAtMove = 0, amendments = 0, scriptsWithOne = 0;
        foreach (PolicyScript script in scripts)
        {
            bool any = false;
            foreach (TraceStep step in PolicyTrace.Run(script))
            {
                foreach (AdmitDecision a in step.Actual.OfType<AdmitDecision>().Where(a => a.NamedBase is not null))
                {
                    Assert.NotNull(a.BaseRevision);
                    any = true;
                    onNamedBase++;
                    bases.Add(a.NamedBase!);
                    restartedAtMove += a.Reason == ReasonCode.Admitted && a.BaseRevision == "v2" ? 1 : 0;
                    amendments += a.Reason == ReasonCode.AmendmentGranted ? 1 : 0;
                }
            }

            scriptsWithOne += any ? 1 : 0;
        }

        Assert.Equal(["main", "release/1.2"], bases.Order(StringComparer.Ordinal).ToArray());
        Assert.True(scriptsWithOne >= scripts.Length / 4, $"only {scriptsWithOne} of {scripts.Length} scripts admit a run on a named base");
        Assert.True(restartedAtMove >= 3, $"only {restartedAtMove} admissions at a revision a NamedBaseAdvanced set ({onNamedBase} on a named base)");
        Assert.True(amendments >= 3, $"only {amendments} granted amendments of runs on a named base");
    }
}
