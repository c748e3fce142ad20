using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Globs;

public class CaseFoldingTests
{
    [Theory]
    [InlineData('a', "Aa")]
    [InlineData('A', "Aa")]
    [InlineData('1', "1")]
    [InlineData('s', "Ssſ")]
    [InlineData('é', "Éé")]
    public void Relatives_Character_AllCodeUnitsWithTheSameUpperInvariantAscending(char c, string expected) =>
        Assert.Equal(expected, CaseFolding.Relatives(c).ToString());

    [Fact]
    public void Relatives_EveryCodeUnit_ContainsItselfAndAgreesWithEqualsIgnoreCase()
    {
        for (int i = 0; i < 65536; i += 7)
        {
            char c = (char)i;
            ReadOnlySpan<char> relatives = CaseFolding.Relatives(c);
            Assert.True(relatives.Contains(c));
            foreach (char r in relatives)
            {
                Assert.True(CaseFolding.EqualsIgnoreCase(c, r));
                Assert.Equal(char.ToUpperInvariant(c), char.ToUpperInvariant(r));
            }
        }
    }

    [Theory]
    [InlineData('k', '\u212A', false)]
    [InlineData('ı', 'I', false)]
    [InlineData('a', 'A', true)]
    [InlineData('/', '/', true)]
    public void EqualsIgnoreCase_Pair_UsesToUpperInvariant(char a, char b, bool expected) =>
        Assert.Equal(expected, CaseFolding.EqualsIgnoreCase(a, b));
}
