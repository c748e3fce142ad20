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

    /// <summary>A changed-file line (see <see cref="ChangedPaths"/>) has a status that is not a git status letter.</summary>
    UnknownChangeStatus = 20,

    /// <summary>A changed-file line lacks a path (or, for a rename or copy, its second path).</summary>
    MissingChangedPath = 21,

    /// <summary>A changed path is not a valid repository path; <see cref="ClaimSetError.PatternError"/> says why.</summary>
    InvalidChangedPath = 22,

    /// <summary>A quoted changed path (git's C-style quoting) is malformed.</summary>
    InvalidQuoting = 23,
}
