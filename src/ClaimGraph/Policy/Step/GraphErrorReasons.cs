using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>The reason code of the <see cref="RejectDecision"/> the policy makes for a refused graph operation.</summary>
internal static class GraphErrorReasons
{
    /// <summary>
    /// <see cref="GraphErrorCode.UnknownWorkItem"/>, <see cref="GraphErrorCode.UnknownRun"/>,
    /// <see cref="GraphErrorCode.DuplicateId"/> and <see cref="GraphErrorCode.DependencyCycle"/> map to the reason of the
    /// same name; anything else is an <see cref="ReasonCode.InvalidTransition"/>.
    /// </summary>
    public static ReasonCode RejectReason(this GraphError error) => error.Code switch
    {
        GraphErrorCode.UnknownWorkItem => ReasonCode.UnknownWorkItem,
        GraphErrorCode.UnknownRun => ReasonCode.UnknownRun,
        GraphErrorCode.DuplicateId => ReasonCode.DuplicateId,
        GraphErrorCode.DependencyCycle => ReasonCode.DependencyCycle,
        _ => ReasonCode.InvalidTransition,
    };
}
