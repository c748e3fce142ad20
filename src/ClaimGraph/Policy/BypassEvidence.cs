namespace ClaimGraph.Policy;

/// <summary>
/// Where a held run stands with its bypass budget (<see cref="PolicyOptions.BypassBudget"/>, backfill only): how many
/// times conflicting runs overtook it, which one did last, and whether it now reserves its place. Immutable; equality is
/// structural.
/// </summary>
public sealed class BypassEvidence : IEquatable<BypassEvidence>
{
    /// <summary>Creates the evidence.</summary>
    /// <param name="used">How many times the run was overtaken (<see cref="Graph.Run.Bypasses"/>).</param>
    /// <param name="budget">The budget K: the run reserves its place once <paramref name="used"/> reaches it.</param>
    /// <param name="lastBypassedBy">The run that overtook it last, or <see langword="null"/> when none did.</param>
    public BypassEvidence(int used, int budget, string? lastBypassedBy)
    {
        Used = used;
        Budget = budget;
        LastBypassedBy = lastBypassedBy;
    }

    /// <summary>How many times the run was overtaken (<see cref="Graph.Run.Bypasses"/>).</summary>
    public int Used { get; }

    /// <summary>The budget K: the run reserves its place once <see cref="Used"/> reaches it.</summary>
    public int Budget { get; }

    /// <summary>The run that overtook it last, or <see langword="null"/> when none did.</summary>
    public string? LastBypassedBy { get; }

    /// <summary>A phrase built from the evidence.</summary>
    public string Message => EvidenceFormatter.Message(this);

    /// <summary>Whether <paramref name="other"/> has the same counts and last run (ordinal).</summary>
    public bool Equals(BypassEvidence? other) =>
        other is not null && Used == other.Used && Budget == other.Budget && string.Equals(LastBypassedBy, other.LastBypassedBy, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as BypassEvidence);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Used, Budget, LastBypassedBy is null ? 0 : StringComparer.Ordinal.GetHashCode(LastBypassedBy));

    /// <summary>How many more times the run may be overtaken before it reserves its place (0 when it reserves).</summary>
    public int Left => Math.Max(0, Budget - Used);

    /// <summary>Whether the budget is used up, so the run reserves its place.</summary>
    public bool Exhausted => Used >= Budget;
}
