using ClaimGraph.Globs;
using ClaimGraph.Oracles.Globs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Globs;

/// <summary>
/// The refusals that close the dialect's traps, checked against their rules written plainly over the generated
/// structure, and the escaping that must never fall into them.
/// </summary>
public class GlobTrapProperties
{
    private static readonly Arbitrary<PatternSpec> RawPatterns = Arb.From(
        GlobGen.RawPatternGen(Dialect.RoundTrip),
        spec => GlobGen.ShrinkSpec(spec, Dialect.RoundTrip));

    /// <summary>
    /// Where the README's rule refuses a <c>\</c> as a Windows separator: an escaped <c>*</c> directly followed by
    /// <c>*</c>, or, in a glob without <c>/</c>, an escape of <c>* ? [ { \</c> that is not the first atom of the glob or
    /// of its brace alternative. The text position of the first such escape, or null.
    /// </summary>
    private static int? SeparatorLikeEscape(PatternSpec spec)
    {
        string text = spec.Text;
        int p = (spec.Namespace.Length == 0 ? 0 : spec.Namespace.Length + 1) + spec.Prefix.Length;

        // "A glob with no '/'" is read from the text after the namespace and one leading '/' or './', as the README
        // says: a generated first segment '.' spells the same text as the prefix './' and is dropped with it.
        int globStart = spec.Namespace.Length == 0 ? 0 : spec.Namespace.Length + 1;
        globStart += string.CompareOrdinal(text, globStart, "./", 0, 2) == 0 ? 2 : text.Length > globStart && text[globStart] == '/' ? 1 : 0;
        bool hasSlash = text.IndexOf('/', globStart) >= 0;
        for (int k = 0; k < spec.Segments.Length; k++)
        {
            p += k > 0 ? 1 : 0;
            if (spec.Segments[k].Globstar)
            {
                p += 2;
                continue;
            }

            int? found = Walk(spec.Segments[k].Atoms, text, hasSlash, ref p);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private static int? Walk(Atom[] atoms, string text, bool hasSlash, ref int p)
    {
        for (int i = 0; i < atoms.Length; i++)
        {
            Atom a = atoms[i];
            if (a.Kind == AtomKind.Brace)
            {
                p++;
                for (int j = 0; j < a.Alternatives.Length; j++)
                {
                    p += j > 0 ? 1 : 0;
                    int? inner = Walk(a.Alternatives[j], text, hasSlash, ref p);
                    if (inner is not null)
                    {
                        return inner;
                    }
                }

                p++;
                continue;
            }

            if (a.Kind == AtomKind.Literal && a.Text.Length == 2 && a.Text[0] == '\\')
            {
                char c = a.Text[1];
                bool starThenStar = c == '*' && p + 2 < text.Length && text[p + 2] == '*';
                if (starThenStar || (!hasSlash && i > 0 && "*?[{\\".Contains(c)))
                {
                    return p;
                }
            }

            p += a.Text.Length;
        }

        return null;
    }

    [Property(MaxTest = 3000)]
    public Property Parse_EscapeWhereASeparatorWouldBe_RefusedExactlyThere() =>
        Prop.ForAll(RawPatterns, spec =>
        {
            int? expected = SeparatorLikeEscape(spec);
            bool ok = Glob.TryParse(spec.Text, spec.Options, out _, out GlobError? error);
            if (expected is not null)
            {
                Assert.False(ok, $"{spec} was accepted; the rule refuses the escape at {expected}");
                Assert.Equal(GlobErrorCode.BackslashSeparator, error!.Code);
                Assert.Equal(expected.Value, error.Position);
            }
            else
            {
                Assert.True(ok || error!.Code != GlobErrorCode.BackslashSeparator, $"{spec} was refused at {error?.Position}; the rule does not refuse it");
            }
        });

    [Fact]
    public void SeparatorLikeEscape_FirstSegmentDotSpellingThePrefix_ReadFromTheTextAsTheParserDoes()
    {
        // Found by the property above: './**\*' generated as the segments '.' and '**\*' (no prefix). The parser drops
        // the leading './', so the glob '**\*' has no '/' and its '\*' after the start is refused at 4.
        var spec = new PatternSpec(
            string.Empty,
            string.Empty,
            [new PatternSegment(false, [Atom.Lit('.', inBrace: false)]), new PatternSegment(false, [Atom.Star, Atom.Star, Atom.Lit('*', inBrace: false)])],
            TrailingSlash: false,
            IgnoreCase: false);

        Assert.Equal("./**\\*", spec.Text);
        Assert.Equal(4, SeparatorLikeEscape(spec));
        Assert.False(Glob.TryParse(spec.Text, GlobOptions.None, out _, out GlobError? error));
        Assert.Equal(GlobErrorCode.BackslashSeparator, error.Code);
        Assert.Equal(4, error.Position);
    }

    /// <summary>Valid paths over the characters the dialect treats specially, one or two segments.</summary>
    private static readonly Arbitrary<string> SpecialPaths = Arb.From(
        from segments in Gen.Choose(1, 2)
        from names in Gen.ArrayOf(Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(Gen.Elements("a.*?[]{},!:^-".ToCharArray()), n)).Select(cs => new string(cs)), segments)
        select string.Join('/', names.Select(n => n is "." or ".." ? "a" : n)),
        path => Enumerable.Range(0, path.Length).Select(i => path.Remove(i, 1)).Where(p => GlobPath.IsValid(p)));

    [Property(MaxTest = 2000)]
    public Property EscapeLiteral_AnyValidPath_ParsesAndMatchesExactlyThatPath() =>
        Prop.ForAll(SpecialPaths, path =>
        {
            string escaped = Glob.EscapeLiteral(path);
            Assert.True(Glob.TryParse(escaped, GlobOptions.None, out Glob? glob, out GlobError? error), $"'{path}' escaped as '{escaped}': {error}");
            Assert.True(glob.IsMatch(path));
            Assert.False(glob.IsMatch(path + "a"));
            Assert.Equal(glob, Glob.Parse(glob.ToString()));
            RegexGlobOracle oracle = RegexGlobOracle.Compile(escaped, ignoreCase: false);
            foreach (string other in new[] { "a", "a*", "*", path.Replace('*', 'a'), path.Replace('?', 'a') }.Where(p => GlobPath.IsValid(p)))
            {
                Assert.True(glob.IsMatch(other) == (other == path), $"'{escaped}' on '{other}'");
                Assert.True(oracle.IsMatch(other) == (other == path), $"oracle '{escaped}' on '{other}'");
            }
        });
}
