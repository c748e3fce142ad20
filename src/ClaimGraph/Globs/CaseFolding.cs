namespace ClaimGraph.Globs;

/// <summary>
/// Ordinal-ignore-case as ClaimGraph defines it: two UTF-16 code units are equal when their
/// <see cref="char.ToUpperInvariant(char)"/> values are equal. <see cref="Relatives(char)"/> lists every code
/// unit equal to a given one, so that overlap can search sets exactly under this rule.
/// </summary>
internal static class CaseFolding
{
    public static bool EqualsIgnoreCase(char a, char b) =>
        a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b);

    /// <summary>Every code unit <c>d</c> with <c>ToUpperInvariant(d) == ToUpperInvariant(c)</c>, <paramref name="c"/> included, in ascending order.</summary>
    public static ReadOnlySpan<char> Relatives(char c)
    {
        Table t = Table.Instance;
        char u = t.Upper[c];
        int start = t.Start[u];
        return t.Members.AsSpan(start, t.Start[u + 1] - start);
    }

    private sealed class Table
    {
        public static readonly Table Instance = new();

        private Table()
        {
            Upper = new char[65536];
            Start = new int[65537];
            Members = new char[65536];
            for (int i = 0; i < 65536; i++)
            {
                char u = char.ToUpperInvariant((char)i);
                Upper[i] = u;
                Start[u + 1]++;
            }

            for (int i = 0; i < 65536; i++)
            {
                Start[i + 1] += Start[i];
            }

            int[] fill = (int[])Start.Clone();
            for (int i = 0; i < 65536; i++)
            {
                Members[fill[Upper[i]]++] = (char)i;
            }
        }

        public char[] Upper { get; }

        public int[] Start { get; }

        public char[] Members { get; }
    }
}
