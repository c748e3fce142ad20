using System.Collections.Immutable;
using ClaimGraph.Policy;

namespace ClaimGraph.Coordination;

/// <summary>The outcome of <see cref="IClaimCoordinator.AppendAsync"/>. Immutable.</summary>
public sealed class ClaimAppendResult
{
    /// <summary>Creates the outcome.</summary>
    /// <param name="Decisions">The decisions made for the events this call applied, in order (none for events the stream already held).</param>
    /// <param name="State">The coordinator's state right after the append (which includes what other writers recorded before it).</param>
    public ClaimAppendResult(ImmutableArray<Decision> Decisions, ClaimCoordinatorState State)
    {
        this.Decisions = Decisions;
        this.State = State;
    }

    /// <summary>The decisions made for the events this call applied, in order (none for events the stream already held).</summary>
    public ImmutableArray<Decision> Decisions { get; }

    /// <summary>The coordinator's state right after the append (which includes what other writers recorded before it).</summary>
    public ClaimCoordinatorState State { get; }
}
