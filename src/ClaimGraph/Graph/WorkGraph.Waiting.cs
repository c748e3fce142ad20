using ClaimGraph.Claims;

namespace ClaimGraph.Graph;

/// <summary>The waiting-run queries the policy re-checks from, and the policy's note about the graph it settled.</summary>
public sealed partial class WorkGraph
{
    // Not content: what the policy noted when it settled this graph; any later change makes a graph without it.
    private object? _admissionState;

    /// <summary>
    /// The policy's note about this graph, set by <see cref="WithAdmissionState"/> as the last change of a step and
    /// dropped by every other change, so a graph carrying one is exactly the graph the policy settled. Not content:
    /// not compared, hashed or serialised.
    /// </summary>
    internal object? AdmissionState => _admissionState;

    /// <summary>This graph with the policy's note (see <see cref="AdmissionState"/>). O(1).</summary>
    internal WorkGraph WithAdmissionState(object? state) => new(_dag, _runs, _claims, _waiting, _log, _events, _now) { _admissionState = state };

    /// <summary>See <see cref="WaitingIndex.AddOverlapping"/>.</summary>
    internal void AddWaitingRunsOverlapping(ClaimSet claims, ICollection<string> into) => _waiting.AddOverlapping(claims, _runs.Queue, into);

    /// <summary>See <see cref="WaitingIndex.AddWithNotBeforeIn"/>.</summary>
    internal void AddWaitingRunsWithNotBeforeIn(long after, long upTo, ICollection<string> into) => _waiting.AddWithNotBeforeIn(after, upTo, into);
}
