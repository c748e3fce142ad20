namespace ClaimGraph.Serialization;

/// <summary>The kind of file a line given to <see cref="GitignoreReader"/> comes from.</summary>
public enum PatternFileFormat
{
    /// <summary>
    /// A <c>.gitignore</c> (or <c>.git/info/exclude</c>) file: one pattern per line, <c>#</c> comments, <c>!</c> negation,
    /// trailing spaces ignored unless escaped.
    /// </summary>
    Gitignore = 0,

    /// <summary>
    /// A GitHub <c>CODEOWNERS</c> file: a gitignore-style pattern followed by owners separated by whitespace. Negation and
    /// <c>[ ]</c> character ranges do not work there (GitHub's documentation), so such lines are reported unsupported.
    /// </summary>
    Codeowners = 1,
}
