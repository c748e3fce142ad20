using System.Text;
using ClaimGraph.Globs;
using FsCheck;
using FsCheck.Fluent;

namespace ClaimGraph.Properties.Globs;

internal enum AtomKind
{
    Literal,
    Star,
    Any,
    Set,
    Brace,
    Slash,
}

/// <summary>One piece of a generated pattern: its text and the characters that it can stand for in a path.</summary>
internal sealed record Atom(AtomKind Kind, string Text, string Samples, Atom[][] Alternatives)
{
    public static readonly Atom Star = new(AtomKind.Star, "*", string.Empty, []);
    public static readonly Atom Any = new(AtomKind.Any, "?", string.Empty, []);
    public static readonly Atom Slash = new(AtomKind.Slash, "/", string.Empty, []);
    public static readonly Atom A = Lit('a', inBrace: false);

    /// <summary>A literal character, escaped where the dialect needs it (',' only inside braces).</summary>
    public static Atom Lit(char c, bool inBrace) =>
        new(AtomKind.Literal, (inBrace ? "*?[]{},\\!:" : "*?[]{}\\!:").Contains(c) ? "\\" + c : c.ToString(), c.ToString(), []);

    public static Atom Brace(Atom[][] alternatives) =>
        new(AtomKind.Brace, "{" + string.Join(",", alternatives.Select(Concat)) + "}", string.Empty, alternatives);

    public static string Concat(Atom[] atoms) => string.Concat(atoms.Select(a => a.Text));
}

/// <summary>A pattern segment: <c>**</c> or a run of atoms.</summary>
internal sealed record PatternSegment(bool Globstar, Atom[] Atoms)
{
    public static readonly PatternSegment Star2 = new(true, []);

    public string Text => Globstar ? "**" : Atom.Concat(Atoms);
}

/// <summary>A generated pattern, kept as structure so that it shrinks well.</summary>
internal sealed record PatternSpec(string Namespace, string Prefix, PatternSegment[] Segments, bool TrailingSlash, bool IgnoreCase)
{
    public string Text =>
        (Namespace.Length == 0 ? string.Empty : Namespace + ":") + Prefix + string.Join("/", Segments.Select(s => s.Text)) + (TrailingSlash ? "/" : string.Empty);

    public GlobOptions Options => IgnoreCase ? GlobOptions.IgnoreCase : GlobOptions.None;

    public bool IsValid => Glob.TryParse(Text, Options, out _, out _);

    public Glob Parse() => Glob.Parse(Text, Options);

    public override string ToString() => $"'{Text}'{(IgnoreCase ? " IgnoreCase" : string.Empty)}";
}

/// <summary>What a generator may use.</summary>
internal sealed record Dialect(string Literals, bool Any, bool Sets, bool Braces, bool Escapes, bool Affixes, bool AllowNamespace, int MaxSegments, int MaxAtoms)
{
    /// <summary>The FileSystemGlobbing subset of the glob dialect (README, "The glob dialect"): no <c>? [ ] { } \ !</c>.</summary>
    public static readonly Dialect Fsg = new("abAB.-é É,sſ", Any: false, Sets: false, Braces: false, Escapes: false, Affixes: true, AllowNamespace: false, MaxSegments: 4, MaxAtoms: 3);

    /// <summary>The whole dialect.</summary>
    public static readonly Dialect Full = new("abB.-éÉsſ", Any: true, Sets: true, Braces: true, Escapes: true, Affixes: true, AllowNamespace: false, MaxSegments: 4, MaxAtoms: 3);

    /// <summary>A small alphabet so that random pairs overlap often.</summary>
    public static readonly Dialect Overlap = new("abA.", Any: true, Sets: true, Braces: true, Escapes: false, Affixes: false, AllowNamespace: false, MaxSegments: 3, MaxAtoms: 3);

    /// <summary>The whole dialect with namespaces, for round trips.</summary>
    public static readonly Dialect RoundTrip = Full with { AllowNamespace = true };

    /// <summary>Whether FileSystemGlobbing reads the pattern as we do (README, "The glob dialect"): no <c>*.*</c> segment.</summary>
    public bool Accepts(PatternSpec spec) =>
        this != Fsg || spec.Segments.All(s => s.Text != "*.*");
}

internal static class GlobGen
{
    private const string SetSpecials = "*?[]{},\\!:-^";

    public static Arbitrary<PatternSpec> Patterns(Dialect d) =>
        Arb.From(PatternGen(d), spec => ShrinkSpec(spec, d));

    /// <summary>Valid patterns only: refused forms (such as an escape where a Windows separator would be) are not produced.</summary>
    public static Gen<PatternSpec> PatternGen(Dialect d) =>
        RawPatternGen(d).Where(s => s.IsValid && d.Accepts(s));

    /// <summary>Patterns before the validity filter: some are refused (see <c>GlobTrapProperties</c>).</summary>
    public static Gen<PatternSpec> RawPatternGen(Dialect d) =>
        from ns in d.AllowNamespace ? Gen.Frequency((3, Gen.Constant(string.Empty)), (1, Gen.Elements("db", "ns-1"))) : Gen.Constant(string.Empty)
         from prefix in d.Affixes ? Gen.Frequency((6, Gen.Constant(string.Empty)), (1, Gen.Constant("/")), (1, Gen.Constant("./"))) : Gen.Constant(string.Empty)
         from count in Gen.Choose(1, d.MaxSegments)
         from segments in Gen.ArrayOf(SegmentGen(d), count)
         from trailing in d.Affixes ? Gen.Frequency((6, Gen.Constant(false)), (1, Gen.Constant(true))) : Gen.Constant(false)
         from ignoreCase in Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true)))
         select new PatternSpec(ns, prefix, segments, trailing, ignoreCase);

    private static Gen<PatternSegment> SegmentGen(Dialect d) =>
        Gen.Frequency(
            (1, Gen.Constant(PatternSegment.Star2)),
            (5, Gen.Choose(1, d.MaxAtoms).SelectMany(n => Gen.ArrayOf(AtomGen(d, 0), n)).Select(a => new PatternSegment(false, a))));

    private static Gen<Atom> AtomGen(Dialect d, int depth)
    {
        var choices = new List<(int, Gen<Atom>)>
        {
            (6, Gen.Elements(d.Literals.ToCharArray()).Select(c => Atom.Lit(c, depth > 0))),
            (3, Gen.Constant(Atom.Star)),
        };
        if (d.Any)
        {
            choices.Add((1, Gen.Constant(Atom.Any)));
        }

        if (d.Escapes)
        {
            choices.Add((1, Gen.Elements("*?[]{},!:\\".ToCharArray()).Select(c => Atom.Lit(c, inBrace: true))));

            // The spelling that is never read as a separator: a one-character set.
            choices.Add((1, Gen.Elements("*?[{".ToCharArray()).Select(c => new Atom(AtomKind.Set, "[" + c + "]", c.ToString(), []))));
        }

        if (d.Sets)
        {
            choices.Add((2, SetGen(d)));
        }

        if (d.Braces && depth < 2)
        {
            choices.Add((depth == 0 ? 2 : 1, BraceGen(d, depth + 1)));
        }

        return Gen.Frequency(choices.ToArray());
    }

    private static Gen<Atom> BraceGen(Dialect d, int depth)
    {
        Gen<Atom> inner = Gen.Frequency((5, AtomGen(d, depth)), (1, Gen.Constant(Atom.Slash)));
        Gen<Atom[]> alternative = Gen.Choose(0, 2).SelectMany(n => Gen.ArrayOf(inner, n));
        return Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(alternative, n)).Select(Atom.Brace);
    }

    private static Gen<Atom> SetGen(Dialect d)
    {
        Gen<(string Text, string Samples)> single = Gen.Elements((d.Literals + "]-!^").ToCharArray())
            .Select(c => (SetSpecials.Contains(c) ? "\\" + c : c.ToString(), c.ToString()));
        Gen<(string Text, string Samples)> range = Gen.Elements(("a-c", "abc"), ("A-Z", "AZQ"), ("0-9", "05"), ("a-b", "ab"), ("\\!-\\-", "!-,"), ("à-ÿ", "éÉ"));
        Gen<(string Text, string Samples)> item = Gen.Frequency((3, single), (1, range));
        return from negated in Gen.Frequency((3, Gen.Constant(string.Empty)), (1, Gen.Elements("!", "^")))
               from bracketFirst in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
               from n in Gen.Choose(1, 3)
               from items in Gen.ArrayOf(item, n)
               let text = "[" + negated + (bracketFirst ? "]" : string.Empty) + string.Concat(items.Select(i => i.Text)) + "]"
               let samples = negated.Length > 0 ? "xé" + d.Literals : (bracketFirst ? "]" : string.Empty) + string.Concat(items.Select(i => i.Samples))
               select new Atom(AtomKind.Set, text, samples, []);
    }

    /// <summary>Smaller specs: fewer options, segments and atoms, atoms replaced by 'a' or by one brace alternative.</summary>
    public static IEnumerable<PatternSpec> ShrinkSpec(PatternSpec spec, Dialect d)
    {
        var candidates = new List<PatternSpec>();
        if (spec.Namespace.Length > 0)
        {
            candidates.Add(spec with { Namespace = string.Empty });
        }

        if (spec.IgnoreCase)
        {
            candidates.Add(spec with { IgnoreCase = false });
        }

        if (spec.Prefix.Length > 0)
        {
            candidates.Add(spec with { Prefix = string.Empty });
        }

        if (spec.TrailingSlash)
        {
            candidates.Add(spec with { TrailingSlash = false });
        }

        PatternSegment[] segs = spec.Segments;
        for (int k = 0; k < segs.Length; k++)
        {
            if (segs.Length > 1)
            {
                candidates.Add(spec with { Segments = [.. segs[..k], .. segs[(k + 1)..]] });
            }

            if (segs[k].Globstar)
            {
                candidates.Add(spec with { Segments = Replace(segs, k, new PatternSegment(false, [Atom.A])) });
                continue;
            }

            Atom[] atoms = segs[k].Atoms;
            for (int i = 0; i < atoms.Length; i++)
            {
                if (atoms.Length > 1)
                {
                    candidates.Add(spec with { Segments = Replace(segs, k, new PatternSegment(false, [.. atoms[..i], .. atoms[(i + 1)..]])) });
                }

                if (atoms[i] != Atom.A)
                {
                    candidates.Add(spec with { Segments = Replace(segs, k, new PatternSegment(false, Replace(atoms, i, Atom.A))) });
                }

                foreach (Atom[] alt in atoms[i].Alternatives)
                {
                    candidates.Add(spec with { Segments = Replace(segs, k, new PatternSegment(false, [.. atoms[..i], .. alt, .. atoms[(i + 1)..]])) });
                }
            }
        }

        return candidates.Where(c => c.Segments.All(s => s.Globstar || s.Atoms.Length > 0) && c.IsValid && d.Accepts(c));
    }

    private static T[] Replace<T>(T[] items, int index, T value)
    {
        var copy = (T[])items.Clone();
        copy[index] = value;
        return copy;
    }

    /// <summary>Paths for a pattern: most built by walking the pattern with random choices, the rest random.</summary>
    public static string[] PathsFor(PatternSpec spec, int seed, int count)
    {
        var random = new Random(seed);
        string alphabet = "xa." + string.Concat(spec.Segments.SelectMany(s => s.Atoms).Select(a => a.Samples));
        var paths = new string[count];
        for (int n = 0; n < count; n++)
        {
            paths[n] = (n % 3) switch
            {
                0 => Instantiate(spec, random, alphabet),
                1 => Mutate(Instantiate(spec, random, alphabet), random, alphabet),
                _ => RandomPath(random, alphabet),
            };
        }

        return paths;
    }

    /// <summary>A near miss: one character changed (case flipped or replaced), removed or doubled.</summary>
    private static string Mutate(string path, Random random, string alphabet)
    {
        int i = random.Next(path.Length);
        char c = path[i];
        string changed = random.Next(4) switch
        {
            0 => path[..i] + (char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)) + path[(i + 1)..],
            1 => path[..i] + alphabet[random.Next(alphabet.Length)] + path[(i + 1)..],
            2 => path[..i] + path[(i + 1)..],
            _ => path[..i] + c + path[i..],
        };
        return Clean(changed);
    }

    public static string RandomPath(Random random, string alphabet)
    {
        int segments = random.Next(1, 4);
        var sb = new StringBuilder();
        for (int k = 0; k < segments; k++)
        {
            sb.Append(k > 0 ? "/" : string.Empty).Append(RandomName(random, alphabet));
        }

        return Clean(sb.ToString());
    }

    private static string RandomName(Random random, string alphabet)
    {
        int length = random.Next(1, 4);
        var sb = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            sb.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return sb.ToString();
    }

    private static string Instantiate(PatternSpec spec, Random random, string alphabet)
    {
        var sb = new StringBuilder();
        for (int k = 0; k < spec.Segments.Length; k++)
        {
            sb.Append(k > 0 ? "/" : string.Empty);
            PatternSegment seg = spec.Segments[k];
            if (seg.Globstar)
            {
                bool last = k == spec.Segments.Length - 1 && !spec.TrailingSlash;
                int n = random.Next(last ? 1 : 0, 3);
                for (int i = 0; i < n; i++)
                {
                    sb.Append(i > 0 ? "/" : string.Empty).Append(RandomName(random, alphabet));
                }

                continue;
            }

            foreach (Atom atom in seg.Atoms)
            {
                Emit(sb, atom, random, alphabet, spec.IgnoreCase);
            }
        }

        if (spec.TrailingSlash)
        {
            sb.Append('/').Append(RandomName(random, alphabet));
        }

        return Clean(sb.ToString());
    }

    private static void Emit(StringBuilder sb, Atom atom, Random random, string alphabet, bool ignoreCase)
    {
        switch (atom.Kind)
        {
            case AtomKind.Literal:
            case AtomKind.Set:
                string samples = atom.Samples.Length > 0 ? atom.Samples : alphabet;
                char c = samples[random.Next(samples.Length)];
                if (ignoreCase && random.Next(3) == 0)
                {
                    c = char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c);
                }

                sb.Append(c);
                break;
            case AtomKind.Star:
                int n = random.Next(0, 3);
                for (int i = 0; i < n; i++)
                {
                    sb.Append(alphabet[random.Next(alphabet.Length)]);
                }

                break;
            case AtomKind.Any:
                sb.Append(alphabet[random.Next(alphabet.Length)]);
                break;
            case AtomKind.Slash:
                sb.Append('/');
                break;
            case AtomKind.Brace:
                foreach (Atom inner in atom.Alternatives[random.Next(atom.Alternatives.Length)])
                {
                    Emit(sb, inner, random, alphabet, ignoreCase);
                }

                break;
        }
    }

    /// <summary>Makes a valid path: no '\', no empty, '.' or '..' segments.</summary>
    public static string Clean(string raw)
    {
        string[] names = raw.Replace('\\', 'x').Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s is "." or ".." ? "x" : s)
            .ToArray();
        return names.Length == 0 ? "a" : string.Join("/", names);
    }

    /// <summary>Shrinks a list by dropping one element at a time (keeping at least <paramref name="min"/>).</summary>
    public static IEnumerable<T[]> DropOne<T>(T[] items, int min = 0)
    {
        for (int i = 0; items.Length > min && i < items.Length; i++)
        {
            yield return [.. items[..i], .. items[(i + 1)..]];
        }
    }
}
