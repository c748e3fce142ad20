using System.Text;
using ClaimGraph.Globs;
using ClaimGraph.Oracles.Globs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Globs;

/// <summary>Parsing: normalised text round-trips, and no input makes the API throw anything but its typed exceptions.</summary>
public class GlobParseProperties
{
    /// <summary>Characters that stress the parser: every special one, separators, NUL, a surrogate pair, letters.</summary>
    private const string Soup = "ab/*?[]{},\\!:.-^ \0éÉ\uD834\uDD1E";

    private static readonly Arbitrary<string> Strings = Arb.From(
        from length in Gen.Choose(0, 14)
        from chars in Gen.ArrayOf(Gen.Frequency((12, Gen.Elements(Soup.ToCharArray())), (1, Gen.Choose(1, 0xFFFF).Select(i => (char)i))), length)
        select new string(chars),
        ShrinkString);

    private static IEnumerable<string> ShrinkString(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            yield return s.Remove(i, 1);
        }

        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] != 'a')
            {
                yield return new StringBuilder(s) { [i] = 'a' }.ToString();
            }
        }
    }

    /// <summary>Valid paths made of the pattern's own characters, chosen deterministically from its text.</summary>
    private static IEnumerable<string> PathsLike(string pattern)
    {
        string letters = new(pattern.Where(ch => !"/*?[]{},\\!:^".Contains(ch)).ToArray());
        var random = new Random(pattern.Sum(ch => ch));
        yield return GlobGen.Clean(pattern);
        yield return GlobGen.Clean(new string(pattern.Where(ch => !"*?[]{},\\!:^".Contains(ch)).ToArray()));
        for (int i = 0; i < 6; i++)
        {
            yield return GlobGen.RandomPath(random, "xa." + letters);
        }
    }

    [Property(MaxTest = 1500)]
    public Property Parse_ToStringOfAnyValidPattern_RoundTripsToEqualGlob() =>
        Prop.ForAll(MatchCase.Arbitrary(Dialect.RoundTrip), c =>
        {
            Glob glob = c.Spec.Parse();
            string text = glob.ToString();
            Glob again = Glob.Parse(text, c.Spec.Options);
            Assert.Equal(glob, again);
            Assert.Equal(glob.GetHashCode(), again.GetHashCode());
            Assert.Equal(text, again.ToString());
            Assert.Equal(c.Spec.Namespace, glob.Namespace);
            foreach (string path in c.Paths)
            {
                Assert.Equal(glob.IsMatch(path), again.IsMatch(path));
            }
        });

    [Property(MaxTest = 3000)]
    public Property Parse_ArbitraryString_ThrowsOnlyGlobParseExceptionAndAgreesWithTryParse() =>
        Prop.ForAll(Strings, Arb.From(Gen.Choose(0, 1000)), (s, options) =>
        {
            var opts = (GlobOptions)(options % 2);
            bool ok = Glob.TryParse(s, opts, out Glob? glob, out GlobError? error);
            try
            {
                Glob parsed = Glob.Parse(s, opts);
                Assert.True(ok, $"Parse accepted '{s}' but TryParse did not");
                Assert.Equal(glob, parsed);
            }
            catch (GlobParseException e)
            {
                Assert.False(ok, $"Parse threw for '{s}' but TryParse accepted it");
                Assert.Equal(error!.Code, e.Code);
                Assert.Equal(error.Position, e.Position);
                Assert.Equal(s, e.Pattern);
                Assert.InRange(e.Position, 0, s.Length);
                Assert.True((int)e.Code is > 0 and < 100, $"pattern error code {e.Code}");
            }

            if (ok)
            {
                // Whatever was accepted behaves: it round-trips, matches like the oracle, and overlaps itself consistently.
                Assert.Equal(glob, Glob.Parse(glob!.ToString(), opts));
                RegexGlobOracle oracle = RegexGlobOracle.Compile(s, glob.IgnoreCase);
                foreach (string path in PathsLike(s))
                {
                    Assert.True(glob.IsMatch(path) == oracle.IsMatch(path), $"'{s}' on '{path}': ours {glob.IsMatch(path)}, oracle {oracle.IsMatch(path)}");
                }

                bool self = Glob.TryGetWitness(glob, glob, out string? witness);
                Assert.Equal(self, Glob.Overlaps(glob, glob));
                Assert.True(!self || (glob.Covers(witness!) && oracle.Covers(witness!)), $"'{s}': self-witness '{witness}'");
            }
        });

    [Property(MaxTest = 3000)]
    public Property IsMatch_ArbitraryPath_ThrowsOnlyInvalidPathException() =>
        Prop.ForAll(Strings, path =>
        {
            bool valid = GlobPath.IsValid(path);
            Assert.Equal(valid, GlobPath.TryValidate(path, out GlobError? error));
            Glob glob = Glob.Parse("**/*");
            try
            {
                Assert.True(glob.IsMatch(path));
                Assert.True(glob.Covers(path));
                Assert.True(valid, $"'{path}' was accepted but IsValid says no");
            }
            catch (InvalidPathException e)
            {
                Assert.False(valid, $"'{path}' was rejected but IsValid says yes");
                Assert.Equal(error!.Code, e.Code);
                Assert.True((int)e.Code > 100, $"path error code {e.Code}");
                Assert.InRange(e.Position, 0, path.Length);
            }
        });
}
