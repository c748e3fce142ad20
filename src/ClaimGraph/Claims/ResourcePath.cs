namespace ClaimGraph.Claims;

/// <summary>
/// Reads a changed path in the text form of claims, <c>[namespace:]path</c>: <c>src/app.cs</c> is a repository path,
/// <c>artifact:build/app.dll</c> is the path <c>build/app.dll</c> of the namespace <c>artifact</c>. A namespace is
/// <c>[a-z][a-z0-9_-]+</c> (two characters at least, so <c>C:</c> is never one), as in patterns.
/// </summary>
internal static class ResourcePath
{
    /// <summary>Splits <paramref name="text"/> into its namespace (empty for the default one) and its path.</summary>
    public static (string Namespace, string Path) Split(string text)
    {
        int length = NamespaceLength(text);
        return length == 0 ? (string.Empty, text) : (text[..length], text[(length + 1)..]);
    }

    /// <summary>Whether <paramref name="text"/> is a valid changed path: its path part is a valid repository path.</summary>
    public static bool IsValid(string text) => Globs.GlobPath.IsValid(text.AsSpan(NamespaceLength(text) is int n and > 0 ? n + 1 : 0));

    /// <summary>
    /// A claim set with one write entry covering exactly the resource <paramref name="text"/> names (in its namespace):
    /// the probe that finds the runs a change of it touches.
    /// </summary>
    public static ClaimSet Probe(string text)
    {
        (string ns, string path) = Split(text);
        string pattern = Globs.Glob.EscapeLiteral(path);
        return ClaimSet.Create([new ClaimEntry(ClaimMode.Write, Globs.Glob.Parse(ns.Length == 0 ? pattern : ns + ":" + pattern))]);
    }

    /// <summary>Whether <paramref name="claims"/> cover the resource <paramref name="text"/> names (any mode; writing only when asked).</summary>
    public static bool IsCoveredBy(ClaimSet claims, string text, bool writingOnly)
    {
        (string ns, string path) = Split(text);
        return claims.IsBarrier || claims.FindCoveringEntry(path, ns, writingOnly) is not null;
    }

    /// <summary>The length of the namespace prefix (without the <c>:</c>), or 0 when the text has none.</summary>
    private static int NamespaceLength(string text)
    {
        if (text.Length == 0 || !char.IsAsciiLetterLower(text[0]))
        {
            return 0;
        }

        int k = 1;
        while (k < text.Length && (char.IsAsciiLetterLower(text[k]) || char.IsAsciiDigit(text[k]) || text[k] is '_' or '-'))
        {
            k++;
        }

        return k >= 2 && k < text.Length && text[k] == ':' ? k : 0;
    }
}
