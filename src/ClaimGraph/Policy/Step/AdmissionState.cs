using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>
/// What the policy keeps about a graph it settled, beside that graph (never in it: the graph layer stores no policy
/// bookkeeping): the options it used, the waiting runs whose last evaluation a later change of the same admission pass
/// may have outdated (<see cref="Recheck"/>; every other waiting run is held exactly as an evaluation against the
/// settled graph would hold it), and the <see cref="WaitingIndex"/> of the graph's waiting runs.
/// </summary>
/// <remarks>
/// States are attached to graph instances in a <see cref="ConditionalWeakTable{TKey, TValue}"/>: a graph the policy
/// returned carries its state for as long as the graph lives, and any other graph (built, loaded, or changed outside
/// the policy, even to equal content) has none and gets a full pass. The table never changes what a step decides,
/// only how much of the queue it evaluates (a property test compares the incremental pass with a full one).
/// </remarks>
internal sealed record AdmissionState(PolicyOptions Options, ImmutableArray<string> Recheck, WaitingIndex Waiting)
{
    private static readonly ConditionalWeakTable<WorkGraph, AdmissionState> States = [];

    /// <summary>The state the policy left on <paramref name="graph"/>, or <see langword="null"/> when it left none.</summary>
    public static AdmissionState? Of(WorkGraph graph) => States.TryGetValue(graph, out AdmissionState? state) ? state : null;

    /// <summary>Leaves <paramref name="state"/> beside <paramref name="graph"/> (replacing any earlier one).</summary>
    public static void Attach(WorkGraph graph, AdmissionState state) => States.AddOrUpdate(graph, state);
}
