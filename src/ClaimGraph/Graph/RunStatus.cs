namespace ClaimGraph.Graph;

/// <summary>The state of a run. The numbers are part of the public contract.</summary>
public enum RunStatus
{
    /// <summary>Requested and not yet decided (the default).</summary>
    Pending = 0,

    /// <summary>Waiting for one or more blockers to clear.</summary>
    Held = 1,

    /// <summary>Admitted and running.</summary>
    Active = 2,

    /// <summary>Finished successfully. Terminal.</summary>
    Succeeded = 3,

    /// <summary>Finished with a failure. Terminal.</summary>
    Failed = 4,

    /// <summary>Stopped before finishing. Terminal.</summary>
    Cancelled = 5,
}

/// <summary>Helpers for <see cref="RunStatus"/>.</summary>
public static class RunStatusExtensions
{
    /// <summary>Whether <paramref name="status"/> is final: <see cref="RunStatus.Succeeded"/>, <see cref="RunStatus.Failed"/> or <see cref="RunStatus.Cancelled"/>.</summary>
    public static bool IsTerminal(this RunStatus status) =>
        status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled;

    /// <summary>Whether <paramref name="status"/> waits for admission: <see cref="RunStatus.Pending"/> or <see cref="RunStatus.Held"/>.</summary>
    public static bool IsWaiting(this RunStatus status) =>
        status is RunStatus.Pending or RunStatus.Held;
}
