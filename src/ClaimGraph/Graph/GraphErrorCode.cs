namespace ClaimGraph.Graph;

/// <summary>
/// Why a graph operation was refused. The numbers are part of the public contract.
/// <see cref="GraphError.Reason"/> maps each code to the <see cref="ReasonCode"/> of a <c>Reject</c> decision.
/// </summary>
public enum GraphErrorCode
{
    /// <summary>The operation names a work item that is not in the graph (<see cref="ReasonCode.UnknownWorkItem"/>).</summary>
    UnknownWorkItem = 1,

    /// <summary>The operation names a run that is not in the graph (<see cref="ReasonCode.UnknownRun"/>).</summary>
    UnknownRun = 2,

    /// <summary>The operation would add something whose id is already taken (<see cref="ReasonCode.DuplicateId"/>).</summary>
    DuplicateId = 3,

    /// <summary>The dependency would close a cycle; <see cref="GraphError.Ids"/> lists the cycle (<see cref="ReasonCode.DependencyCycle"/>).</summary>
    DependencyCycle = 4,

    /// <summary>The change is not valid from the current state (<see cref="ReasonCode.InvalidTransition"/>).</summary>
    InvalidTransition = 5,
}
