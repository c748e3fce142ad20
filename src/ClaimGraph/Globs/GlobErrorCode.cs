namespace ClaimGraph.Globs;

/// <summary>
/// Stable codes for every pattern or path that ClaimGraph rejects. The numbers are part of the public
/// contract: renumbering is a breaking change. Codes below 100 are about patterns, codes from 100 on about paths.
/// </summary>
public enum GlobErrorCode
{
    /// <summary>The pattern is empty (or only a namespace, a leading <c>/</c> or <c>./</c>).</summary>
    EmptyPattern = 1,

    /// <summary>Two separators in a row (<c>a//b</c>) or a separator at the start of a brace alternative.</summary>
    EmptySegment = 2,

    /// <summary>A segment is <c>.</c> or <c>..</c>.</summary>
    DotSegment = 3,

    /// <summary><c>**</c> shares a segment with other characters (<c>a**b</c>, <c>**.md</c>, <c>***</c>).</summary>
    GlobstarNotAlone = 4,

    /// <summary>A <c>[</c> without its closing <c>]</c>.</summary>
    UnclosedSet = 5,

    /// <summary>A <c>{</c> without its closing <c>}</c>.</summary>
    UnclosedBrace = 6,

    /// <summary>An empty character set: <c>[]</c> or <c>[!]</c>.</summary>
    EmptySet = 7,

    /// <summary>A <c>\</c> before a character that needs no escape (for example a path written with <c>\</c> separators).</summary>
    InvalidEscape = 8,

    /// <summary>The pattern contains a NUL character.</summary>
    NulCharacter = 9,

    /// <summary>The pattern is longer than <see cref="Glob.MaxLength"/> characters.</summary>
    PatternTooLong = 10,

    /// <summary>The pattern has more than <see cref="Glob.MaxSegments"/> segments.</summary>
    TooManySegments = 11,

    /// <summary>Brace expansion yields more than <see cref="Glob.MaxAlternatives"/> alternatives.</summary>
    TooManyAlternatives = 12,

    /// <summary>An unescaped <c>:</c> outside a set that does not follow a valid namespace (<c>[a-z][a-z0-9_-]+</c>).</summary>
    UnescapedColon = 13,

    /// <summary>The pattern ends with a lone <c>\</c>.</summary>
    TrailingEscape = 14,

    /// <summary>A <c>}</c> without an opening <c>{</c>.</summary>
    UnmatchedBrace = 15,

    /// <summary>A leading <c>!</c>: exclusions belong to claim sets, not to a single pattern.</summary>
    LeadingExclamation = 16,

    /// <summary>A character set contains <c>/</c> (alone or in a range such as <c>[--A]</c>), which a set can never match.</summary>
    SlashInSet = 17,

    /// <summary>A character range whose start is after its end (<c>[z-a]</c>).</summary>
    InvalidRange = 18,

    /// <summary>Braces are nested deeper than <see cref="Glob.MaxBraceDepth"/>.</summary>
    BraceNestingTooDeep = 19,

    /// <summary>
    /// A <c>\</c> that stands where a Windows path separator would (<c>src\*.cs</c>, <c>src\**\*.cs</c>): an escape of
    /// <c>* ? [ {</c> or <c>\</c> after the start of a pattern (or brace alternative) that has no <c>/</c>, or an
    /// escaped <c>*</c> directly followed by <c>*</c> (<c>\**</c>) anywhere. Write <c>/</c> as the separator; for the
    /// literal character there, a one-character set (<c>[*]</c>).
    /// </summary>
    BackslashSeparator = 20,

    /// <summary>
    /// A POSIX character class (<c>[[:digit:]]</c>, or <c>[:digit:]</c> written as a whole set), which the dialect does
    /// not support: write the characters or a range (<c>[0-9]</c>).
    /// </summary>
    PosixCharacterClass = 21,

    /// <summary>The path is empty.</summary>
    EmptyPath = 101,

    /// <summary>The path starts with <c>/</c>; paths are relative to the repository root.</summary>
    AbsolutePath = 102,

    /// <summary>The path has an empty segment (<c>a//b</c>) or ends with <c>/</c>.</summary>
    PathEmptySegment = 103,

    /// <summary>A path segment is <c>.</c> or <c>..</c>.</summary>
    PathDotSegment = 104,

    /// <summary>The path contains a NUL character.</summary>
    PathNulCharacter = 105,

    /// <summary>The path contains <c>\</c>; paths use <c>/</c> as the separator.</summary>
    PathBackslash = 106,
}
