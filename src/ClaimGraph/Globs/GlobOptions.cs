namespace ClaimGraph.Globs;

/// <summary>Options that change how a <see cref="Glob"/> compares characters.</summary>
[Flags]
public enum GlobOptions
{
    /// <summary>Ordinal, case-sensitive comparison (the default).</summary>
    None = 0,

    /// <summary>
    /// Ordinal-ignore-case comparison: two characters are equal when their
    /// <see cref="char.ToUpperInvariant(char)"/> values are equal (per UTF-16 code unit). This is
    /// <see cref="StringComparison.OrdinalIgnoreCase"/> except in two places: U+017F LATIN SMALL LETTER LONG S equals
    /// <c>s</c> and <c>S</c> here (its invariant upper case is <c>S</c>) but not under <c>OrdinalIgnoreCase</c>; and letters
    /// outside the Basic Multilingual Plane (surrogate pairs, such as the Deseret alphabet) are compared per code unit, so their
    /// cases differ here.
    /// </summary>
    IgnoreCase = 1,
}
