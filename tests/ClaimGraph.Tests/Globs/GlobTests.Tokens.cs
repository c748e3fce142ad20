using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Globs;

/// <summary>Literal, prefix and suffix segments rebuild their token array on first use exactly as the parser writes it, and cache it.</summary>
public partial class GlobTests
{
    [Theory]
    [InlineData("abc", "c:a c:b c:c")]
    [InlineData("ab*", "c:a c:b *")]
    [InlineData("*.md", "* c:. c:m c:d")]
    [InlineData("\\*ab", "c:* c:a c:b")]
    public void Tokens_LiteralShapes_RebuiltAsTheParserWrites(string segment, string expected)
    {
        Segment parsed = Glob.Parse(segment).Alternatives[0].Match[0];

        string actual = string.Join(' ', parsed.Tokens.Select(t => t.Kind switch
        {
            TokenKind.Char => "c:" + t.C,
            TokenKind.Star => "*",
            _ => t.Kind.ToString(),
        }));

        Assert.Equal(expected, actual);
        Assert.Same(parsed.Tokens, parsed.Tokens);
    }

    [Fact]
    public void Overlaps_LiteralAgainstClassSegment_UsesRebuiltTokens()
    {
        Glob a = Glob.Parse("src/ab*.cs");
        Glob b = Glob.Parse("src/a[bx]?.cs");

        Assert.True(Glob.Overlaps(a, b));
        Assert.True(Glob.TryGetWitness(a, b, out string? witness));
        Assert.True(a.IsMatch(witness!) && b.IsMatch(witness!));
        Assert.False(Glob.Overlaps(Glob.Parse("src/ab*.cs"), Glob.Parse("src/a[!b]?.cs")));
    }
}
