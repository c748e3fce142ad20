namespace ClaimGraph.Claims;

/// <summary>
/// How a claim entry uses the resources it names. The numbers are part of the public contract: renumbering is a
/// breaking change. Conflicts follow the matrix of <see cref="ClaimModeExtensions.ConflictsWith"/>.
/// </summary>
public enum ClaimMode
{
    /// <summary>The run assumes these resources stay as they are; conflicts only with <see cref="Write"/>.</summary>
    Read = 0,

    /// <summary>
    /// Shared write: structural additions that merge cleanly (CHANGELOG entries, a registry file); conflicts only
    /// with <see cref="Write"/>.
    /// </summary>
    Append = 1,

    /// <summary>Exclusive: the run will change these resources; conflicts with every mode.</summary>
    Write = 2,
}

/// <summary>The conflict matrix and text names of <see cref="ClaimMode"/>.</summary>
public static class ClaimModeExtensions
{
    /// <summary>
    /// Whether two entries with these modes conflict when their coverages share a path: <see cref="ClaimMode.Write"/>
    /// conflicts with everything, <see cref="ClaimMode.Append"/> and <see cref="ClaimMode.Read"/> only with
    /// <see cref="ClaimMode.Write"/>. Symmetric. Unknown values are treated as <see cref="ClaimMode.Write"/>, so an
    /// out-of-range mode never hides a conflict.
    /// </summary>
    public static bool ConflictsWith(this ClaimMode mode, ClaimMode other) =>
        !IsKnown(mode) || !IsKnown(other) || mode == ClaimMode.Write || other == ClaimMode.Write;

    /// <summary>Whether the mode changes resources (<see cref="ClaimMode.Write"/> or <see cref="ClaimMode.Append"/>).</summary>
    public static bool IsWriting(this ClaimMode mode) => mode != ClaimMode.Read;

    /// <summary>The keyword of the text form: <c>write</c>, <c>append</c> or <c>read</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    public static string ToKeyword(this ClaimMode mode) => mode switch
    {
        ClaimMode.Read => "read",
        ClaimMode.Append => "append",
        ClaimMode.Write => "write",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a claim mode."),
    };

    internal static bool IsKnown(ClaimMode mode) => mode is ClaimMode.Read or ClaimMode.Append or ClaimMode.Write;
}
