namespace ClaimGraph.Graph;

/// <summary>The state of a work item. The numbers are part of the public contract.</summary>
public enum WorkItemStatus
{
    /// <summary>The item still has work to do (the default).</summary>
    Open = 0,

    /// <summary>The item is finished; items that depend on it may start.</summary>
    Done = 1,

    /// <summary>The item was given up; items that depend on it can never start until it is reopened.</summary>
    Abandoned = 2,
}
