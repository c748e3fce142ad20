namespace ClaimGraph.Graph;

/// <summary>
/// Why a graph operation was refused. The numbers are part of the public contract. (The policy rejects an event whose
/// change the graph refuses with the reject reason of the same name.)
/// </summary>
public enum GraphErrorCode
{
    /// <summary>The operation names a work item that is not in the graph.</summary>
    UnknownWorkItem = 1,

    /// <summary>The operation names a run that is not in the graph.</summary>
    UnknownRun = 2,

    /// <summary>The operation would add something whose id is already taken.</summary>
    DuplicateId = 3,

    /// <summary>The dependency would close a cycle; <see cref="GraphError.Ids"/> lists the cycle.</summary>
    DependencyCycle = 4,

    /// <summary>The change is not valid from the current state.</summary>
    InvalidTransition = 5,
}
