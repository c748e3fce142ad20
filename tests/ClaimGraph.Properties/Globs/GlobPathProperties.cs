using ClaimGraph.Globs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Globs;

/// <summary><see cref="GlobPath.IsValid"/> (vectorised scans) against the plain one-character-at-a-time check.</summary>
public class GlobPathProperties
{
    /// <summary>Separators and dots dominate so that empty, '.' and '..' segments come up often; NUL and '\' now and then.</summary>
    private static readonly Gen<string> RandomChars =
        from length in Gen.Choose(0, 70)
        from chars in Gen.ArrayOf(Gen.Frequency((6, Gen.Elements('a', 'b')), (4, Gen.Constant('/')), (4, Gen.Constant('.')), (1, Gen.Elements('\0', '\\', 'é'))), length)
        select new string(chars);

    /// <summary>Mostly valid: names joined by '/', a few of them '.', '..' or empty.</summary>
    private static readonly Gen<string> JoinedNames =
        from count in Gen.Choose(1, 12)
        from names in Gen.ArrayOf(Gen.Frequency((12, Gen.Elements("a", "b.c", ".a", "a.", "...", "abcdefghijklmnop")), (1, Gen.Elements(".", "..", string.Empty, "a\\b"))), count)
        select string.Join("/", names);

    private static readonly Arbitrary<string> Paths = Arb.From(
        Gen.OneOf(RandomChars, JoinedNames),
        s => Enumerable.Range(0, s.Length).Select(i => s.Remove(i, 1)));

    [Property(MaxTest = 3000)]
    public Property IsValid_RandomStrings_AgreesWithScalarCheck() =>
        Prop.ForAll(Paths, path =>
        {
            bool valid = GlobPath.IsValid(path);
            Assert.True(valid == GlobPath.IsValidScalar(path), $"'{path}': vectorised {valid}");
            Assert.Equal(valid, GlobPath.TryValidate(path, out _));
        });
}
