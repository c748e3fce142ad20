using System.Collections.Immutable;
using ClaimGraph.Globs;

namespace ClaimGraph.Serialization;

/// <summary>
/// One line of a <c>.gitignore</c> or <c>CODEOWNERS</c> file as <see cref="GitignoreReader"/> read it: a pattern translated to
/// ClaimGraph's dialect, a blank line, a comment, or an unsupported line with the reason. Immutable and thread-safe.
/// </summary>
public sealed class GitignoreLine
{
    internal GitignoreLine(
        int lineNumber,
        string text,
        GitignoreLineKind kind,
        Glob? glob = null,
        bool isNegated = false,
        ImmutableArray<string> owners = default,
        GitignoreUnsupportedReason reason = GitignoreUnsupportedReason.None,
        string? message = null,
        GlobError? error = null)
    {
        LineNumber = lineNumber;
        Text = text;
        Kind = kind;
        Glob = glob;
        IsNegated = isNegated;
        Owners = owners.IsDefault ? [] : owners;
        Reason = reason;
        Message = message;
        Error = error;
    }

    /// <summary>The one-based line number (1 when the line was read on its own).</summary>
    public int LineNumber { get; }

    /// <summary>The line as given, without its line terminator.</summary>
    public string Text { get; }

    /// <summary>What the line is.</summary>
    public GitignoreLineKind Kind { get; }

    /// <summary>
    /// For <see cref="GitignoreLineKind.Pattern"/>: the translated pattern, whose <see cref="Glob.Covers(string)"/> is the set of
    /// paths the line applies to (a matched directory applies to everything below it, as in git). Otherwise <see langword="null"/>.
    /// </summary>
    public Glob? Glob { get; }

    /// <summary>The translated pattern's text (<see cref="Glob.ToString"/>), or <see langword="null"/> when there is none.</summary>
    public string? Pattern => Glob?.ToString();

    /// <summary>Whether a <c>.gitignore</c> line starts with <c>!</c>: it re-includes what <see cref="Glob"/> covers.</summary>
    public bool IsNegated { get; }

    /// <summary>
    /// For <c>CODEOWNERS</c>: the owners after the pattern, in order (empty for other files). A pattern with no owners is
    /// still read; it removes ownership in GitHub's rules.
    /// </summary>
    public ImmutableArray<string> Owners { get; }

    /// <summary>Whether <see cref="Owners"/> is non-empty.</summary>
    public bool HasOwners => !Owners.IsEmpty;

    /// <summary>For <see cref="GitignoreLineKind.Unsupported"/>: why; otherwise <see cref="GitignoreUnsupportedReason.None"/>.</summary>
    public GitignoreUnsupportedReason Reason { get; }

    /// <summary>For <see cref="GitignoreLineKind.Unsupported"/>: a sentence saying what is unsupported; otherwise <see langword="null"/>.</summary>
    public string? Message { get; }

    /// <summary>When the translation was rejected by <see cref="Glob.TryParse(string, GlobOptions, out Glob?, out GlobError?)"/>: its error.</summary>
    public GlobError? Error { get; }

    /// <summary>A one-line description: the line number and the pattern, the kind, or the reason.</summary>
    public override string ToString() => Kind switch
    {
        GitignoreLineKind.Pattern => $"{LineNumber}: {(IsNegated ? "!" : string.Empty)}{Pattern}{(Owners.IsEmpty ? string.Empty : " " + string.Join(' ', Owners))}",
        GitignoreLineKind.Unsupported => $"{LineNumber}: unsupported ({Reason}): {Message}",
        _ => $"{LineNumber}: {Kind}",
    };
}
