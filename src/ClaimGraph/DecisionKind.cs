namespace ClaimGraph;

/// <summary>The kinds of decision the policy makes. The numbers are part of the public contract.</summary>
public enum DecisionKind
{
    /// <summary>No decision (the default value; never produced by the policy).</summary>
    None = 0,

    /// <summary>Start the run now.</summary>
    Admit = 1,

    /// <summary>The run waits; the decision lists every blocker.</summary>
    Hold = 2,

    /// <summary>Stop the run (for an active run the orchestrator must stop it).</summary>
    Cancel = 3,

    /// <summary>A new attempt of a run, not before a given time, in a given workspace.</summary>
    Retry = 4,

    /// <summary>An active run's request for more claims was refused; it keeps the claims it had.</summary>
    AmendmentDenied = 5,

    /// <summary>A succeeded run changed paths outside its write and append claims.</summary>
    ClaimViolation = 6,

    /// <summary>An invalid event; it changed nothing.</summary>
    Reject = 7,
}
