using ClaimGraph.Claims;

namespace ClaimGraph.Graph;

/// <summary>
/// A run in the overlap index whose claims conflict with a queried claim set, with the evidence. Immutable.
/// </summary>
public sealed class RunConflict
{
    /// <summary>Creates the result.</summary>
    /// <param name="Run">The conflicting run (active, or held and reserving its place).</param>
    /// <param name="Evidence">
    /// The conflict: <see cref="ClaimConflict.Left"/> is the queried set's entry, <see cref="ClaimConflict.Right"/> the
    /// run's entry, with a witness path covered by both.
    /// </param>
    /// <param name="IsConservative">
    /// Whether the answer is conservative: exclusions made an exact check too costly, so a conflict was assumed.
    /// </param>
    public RunConflict(Run Run, ClaimConflict Evidence, bool IsConservative)
    {
        this.Run = Run;
        this.Evidence = Evidence;
        this.IsConservative = IsConservative;
    }

    /// <summary>The conflicting run (active, or held and reserving its place).</summary>
    public Run Run { get; }

    /// <summary>
    /// The conflict: <see cref="ClaimConflict.Left"/> is the queried set's entry, <see cref="ClaimConflict.Right"/> the
    /// run's entry, with a witness path covered by both.
    /// </summary>
    public ClaimConflict Evidence { get; }

    /// <summary>Whether the answer is conservative: exclusions made an exact check too costly, so a conflict was assumed.</summary>
    public bool IsConservative { get; }
}
