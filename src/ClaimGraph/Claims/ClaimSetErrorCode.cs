namespace ClaimGraph.Claims;

/// <summary>
/// Stable codes for every claim-set text that ClaimGraph rejects. The numbers are part of the public contract:
/// renumbering is a breaking change.
/// </summary>
public enum ClaimSetErrorCode
{
    /// <summary>The first word of a line is not <c>write</c>, <c>append</c> or <c>read</c> and the line is not an exclusion.</summary>
    UnknownMode = 1,

    /// <summary>A mode keyword (or <c>!</c>) with no pattern after it.</summary>
    MissingPattern = 2,

    /// <summary>The pattern is not in the glob dialect; <see cref="ClaimSetError.PatternError"/> says why.</summary>
    InvalidPattern = 3,

    /// <summary>The claim set has exclusions but no entries for them to subtract from.</summary>
    ExclusionWithoutEntries = 4,
}
