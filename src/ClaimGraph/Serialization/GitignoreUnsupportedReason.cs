namespace ClaimGraph.Serialization;

/// <summary>
/// Why a line of a <c>.gitignore</c> or <c>CODEOWNERS</c> file has no ClaimGraph translation. The numbers are stable:
/// renumbering is a breaking change.
/// </summary>
public enum GitignoreUnsupportedReason
{
    /// <summary>The line is supported (or is blank or a comment).</summary>
    None = 0,

    /// <summary>A <c>!</c> negation in a <c>CODEOWNERS</c> file, where GitHub does not support it.</summary>
    NegationInCodeowners = 1,

    /// <summary>A <c>[ ]</c> character range in a <c>CODEOWNERS</c> file, where GitHub does not support it.</summary>
    CharacterRangeInCodeowners = 2,

    /// <summary>A POSIX character class such as <c>[[:alpha:]]</c>, which ClaimGraph's sets do not have.</summary>
    CharacterClass = 3,

    /// <summary>The pattern ends with a lone <c>\</c>, which git treats as a pattern that never matches.</summary>
    TrailingBackslash = 4,

    /// <summary>Nothing is left to match once <c>!</c> and the leading and trailing <c>/</c> are removed (<c>/</c>, <c>!</c>).</summary>
    EmptyPattern = 5,

    /// <summary>
    /// The pattern is not valid: an unclosed <c>[</c>, a set that can only match <c>/</c>, or a translation that ClaimGraph's
    /// parser rejects (<c>a//b</c>, a <c>..</c> segment, too long); <see cref="GitignoreLine.Error"/> carries the parser's error
    /// where there is one.
    /// </summary>
    InvalidPattern = 6,
}
