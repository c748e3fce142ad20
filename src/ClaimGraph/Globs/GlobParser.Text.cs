using System.Text;

namespace ClaimGraph.Globs;

internal sealed partial class GlobParser
{
    /// <summary>The normalised text: leading '/' and './' dropped, a trailing '/' written '/**', '**/**' collapsed.</summary>
    private static string Normalize(List<Node> nodes)
    {
        var chunks = new List<List<Node>>();
        var current = new List<Node>();
        foreach (Node n in nodes)
        {
            if (n.Kind == NodeKind.Slash)
            {
                chunks.Add(current);
                current = new List<Node>();
            }
            else
            {
                current.Add(n);
            }
        }

        chunks.Add(current);
        if (chunks.Count > 1 && chunks[^1].Count == 0)
        {
            chunks[^1] = [new Node { Kind = NodeKind.Star }, new Node { Kind = NodeKind.Star }];
        }

        var sb = new StringBuilder();
        bool previousGlobstar = false;
        bool firstChunk = true;
        foreach (List<Node> chunk in chunks)
        {
            bool globstar = chunk.Count == 2 && chunk[0].Kind == NodeKind.Star && chunk[1].Kind == NodeKind.Star;
            if (globstar && previousGlobstar)
            {
                continue;
            }

            if (!firstChunk)
            {
                sb.Append('/');
            }

            sb.Append(Serialize(chunk, inBrace: false, atStart: firstChunk));
            firstChunk = false;
            previousGlobstar = globstar;
        }

        return sb.ToString();
    }

    internal static string Serialize(List<Node> nodes, bool inBrace, bool atStart)
    {
        var sb = new StringBuilder();
        Append(sb, nodes, inBrace, atStart);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, List<Node> nodes, bool inBrace, bool atStart)
    {
        foreach (Node n in nodes)
        {
            bool start = atStart && sb.Length == 0;
            switch (n.Kind)
            {
                case NodeKind.Char:
                    if ("*?[]{}\\:".Contains(n.C, StringComparison.Ordinal) || (n.C == ',' && inBrace) || (n.C == '!' && start))
                    {
                        sb.Append('\\');
                    }

                    sb.Append(n.C);
                    break;
                case NodeKind.Star:
                    sb.Append('*');
                    break;
                case NodeKind.Any:
                    sb.Append('?');
                    break;
                case NodeKind.Slash:
                    sb.Append('/');
                    break;
                case NodeKind.Set:
                    AppendSet(sb, n.Set!);
                    break;
                case NodeKind.Brace:
                    sb.Append('{');
                    for (int a = 0; a < n.Alternatives!.Count; a++)
                    {
                        if (a > 0)
                        {
                            sb.Append(',');
                        }

                        var inner = new StringBuilder();
                        Append(inner, n.Alternatives[a], inBrace: true, atStart: false);
                        sb.Append(inner);
                    }

                    sb.Append('}');
                    break;
            }
        }
    }

    private static void AppendSet(StringBuilder sb, CharSet set)
    {
        sb.Append('[');
        if (set.Negated)
        {
            sb.Append('!');
        }

        for (int k = 0; k < set.Low.Length; k++)
        {
            AppendSetRange(sb, set.Low[k], set.High[k]);
        }

        sb.Append(']');
    }

    /// <summary>Appends the set member <paramref name="low"/>..<paramref name="high"/> (one character when they are equal), escaped.</summary>
    internal static void AppendSetRange(StringBuilder sb, char low, char high)
    {
        AppendSetChar(sb, low);
        if (high != low)
        {
            sb.Append('-');
            AppendSetChar(sb, high);
        }
    }

    /// <summary>Appends the members of the range <paramref name="low"/>..<paramref name="high"/> other than <c>/</c>, which a set never matches (nothing when the range is <c>/</c> alone).</summary>
    internal static void AppendSetRangeWithoutSlash(StringBuilder sb, char low, char high)
    {
        if (low > '/' || high < '/')
        {
            AppendSetRange(sb, low, high);
            return;
        }

        if (low < '/')
        {
            AppendSetRange(sb, low, '.');
        }

        if (high > '/')
        {
            AppendSetRange(sb, '0', high);
        }
    }

    /// <summary>
    /// Appends <paramref name="c"/> so that it reads as that literal character: escaped with <c>\</c> when it is special,
    /// or as a one-character set (<c>[*]</c>) where the escape would be refused as a Windows separator
    /// (<see cref="GlobErrorCode.BackslashSeparator"/>): when <paramref name="afterStartWithoutSlash"/> (the glob has no
    /// <c>/</c> and something precedes <paramref name="c"/>) for one of <see cref="SeparatorLike"/>, or for a <c>*</c>
    /// when <paramref name="beforeStar"/> (a wildcard <c>*</c> follows).
    /// </summary>
    internal static void AppendLiteral(StringBuilder sb, char c, bool afterStartWithoutSlash, bool beforeStar)
    {
        if ((afterStartWithoutSlash && SeparatorLike.Contains(c, StringComparison.Ordinal)) || (c == '*' && beforeStar))
        {
            // Inside a set only '\' needs its escape: '[*]', '[?]', '[[]', '[{]', '[\\]'.
            sb.Append('[');
            if (c == '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c).Append(']');
        }
        else
        {
            if (Escapable.Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }
    }

    internal static void AppendSetChar(StringBuilder sb, char c)
    {
        if (SetEscapable.Contains(c, StringComparison.Ordinal))
        {
            sb.Append('\\');
        }

        sb.Append(c);
    }
}
