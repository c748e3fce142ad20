namespace ClaimGraph.Globs;

/// <summary>Options that change how a <see cref="Glob"/> compares characters.</summary>
[Flags]
public enum GlobOptions
{
    /// <summary>Ordinal, case-sensitive comparison (the default).</summary>
    None = 0,

    /// <summary>
    /// Ordinal-ignore-case comparison: two characters are equal when their
    /// <see cref="char.ToUpperInvariant(char)"/> values are equal (per UTF-16 code unit).
    /// </summary>
    IgnoreCase = 1,
}
