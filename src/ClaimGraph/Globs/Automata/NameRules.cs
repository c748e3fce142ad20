namespace ClaimGraph.Globs;

/// <summary>
/// What a path name is, as the character-level searches see it: a non-empty run of characters other than <c>/</c>,
/// NUL and <c>\</c>, and not <c>.</c> or <c>..</c>. The last rule is a four-state flag carried beside the automaton
/// positions; the characters tried come in one preferred order, so that witnesses read naturally and are deterministic.
/// </summary>
internal static class NameRules
{
    /// <summary>Characters tried first when any of several characters would do.</summary>
    public const string Preferred = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_-";

    /// <summary>The flag before any character: the empty name.</summary>
    public const int Empty = 0;

    /// <summary>The flag of a valid name: not empty, <c>.</c> or <c>..</c>.</summary>
    public const int Valid = 3;

    /// <summary>The flag after <paramref name="c"/>: <c>.</c> moves from empty to <c>.</c> to <c>..</c> to valid; any other character makes the name valid.</summary>
    public static int NextFlag(int flag, char c) => c != '.' ? Valid : flag == 0 ? 1 : flag == 1 ? 2 : Valid;

    /// <summary>Whether <paramref name="c"/> may occur in a path name.</summary>
    public static bool IsNameChar(char c) => c is not ('/' or '\0' or '\\');

    /// <summary>A name character other than <c>.</c>: one that makes any name valid.</summary>
    public static bool IsPlainNameChar(char c) => c != '.' && IsNameChar(c);
}
