namespace ClaimGraph.Serialization;

/// <summary>What one line of a <c>.gitignore</c> or <c>CODEOWNERS</c> file turned out to be.</summary>
public enum GitignoreLineKind
{
    /// <summary>A pattern, translated to ClaimGraph's dialect (<see cref="GitignoreLine.Glob"/> is set).</summary>
    Pattern = 0,

    /// <summary>An empty line, or a line of spaces only.</summary>
    Blank = 1,

    /// <summary>A comment: the first character (after leading whitespace in <c>CODEOWNERS</c>) is <c>#</c>.</summary>
    Comment = 2,

    /// <summary>A line that has no ClaimGraph translation; <see cref="GitignoreLine.Reason"/> says why.</summary>
    Unsupported = 3,
}
