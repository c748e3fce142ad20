using ClaimGraph.Claims;
using ClaimGraph.Globs;
using FsCheck;
using FsCheck.Fluent;

namespace ClaimGraph.Properties.Claims;

/// <summary>A generated pattern kept as structure (segment texts) so that it shrinks well.</summary>
internal sealed record PatternSpec(string Namespace, string[] Segments, bool IgnoreCase)
{
    public string Text => (Namespace.Length == 0 ? string.Empty : Namespace + ":") + string.Join("/", Segments);

    public Glob Parse() => Glob.Parse(Text, IgnoreCase ? GlobOptions.IgnoreCase : GlobOptions.None);

    public override string ToString() => IgnoreCase ? $"{Text} (ignore case)" : Text;
}

/// <summary>A generated claim entry.</summary>
internal sealed record EntrySpec(ClaimMode Mode, PatternSpec Pattern)
{
    public ClaimEntry ToEntry() => new(Mode, Pattern.Parse());

    public override string ToString() => $"{Mode.ToKeyword()} {Pattern}";
}

/// <summary>A generated claim set: entries and exclusions (no exclusions without entries).</summary>
internal sealed record SetSpec(EntrySpec[] Entries, PatternSpec[] Exclusions)
{
    public ClaimSet ToClaimSet() => ClaimSet.Create(Entries.Select(e => e.ToEntry()), Exclusions.Select(x => x.Parse()));

    public override string ToString() =>
        "{" + string.Join("; ", Entries.Select(e => e.ToString()).Concat(Exclusions.Select(x => "!" + x))) + "}";
}

/// <summary>Generators, shrinkers and the small path universe of the claim properties.</summary>
internal static class ClaimGen
{
    /// <summary>Segment texts, chosen so that random patterns overlap, nest and exclude each other often.</summary>
    private static readonly string[] SegmentTexts = ["a", "b", "ab", "A", "*", "a*", "*b", "?", "[ab]", "[!a]", "**", "{a,b}", "{a,b/a}", ".a"];

    /// <summary>Path segment names of the universe: hit by the texts above, plus names that none of them names.</summary>
    private static readonly string[] Names = ["a", "b", "ab", "A", "c", ".a"];

    /// <summary>The namespaces patterns are drawn from.</summary>
    public static readonly string[] Namespaces = [string.Empty, "db"];

    /// <summary>Every path of one to three segments over <see cref="Names"/> (258 paths).</summary>
    public static readonly string[] Universe = BuildUniverse();

    private static string[] BuildUniverse()
    {
        var paths = new List<string>();
        var level = new List<string> { string.Empty };
        for (int depth = 1; depth <= 3; depth++)
        {
            var next = new List<string>();
            foreach (string prefix in level)
            {
                foreach (string name in Names)
                {
                    next.Add(prefix.Length == 0 ? name : prefix + "/" + name);
                }
            }

            paths.AddRange(next);
            level = next;
        }

        return [.. paths];
    }

    public static Gen<PatternSpec> Pattern(bool namespaces) =>
        from ns in namespaces ? Gen.Frequency((5, Gen.Constant(string.Empty)), (1, Gen.Constant("db"))) : Gen.Constant(string.Empty)
        from n in Gen.Choose(1, 3)
        from segs in Gen.ArrayOf(Gen.Elements(SegmentTexts), n)
        from ignoreCase in Gen.Frequency((6, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new PatternSpec(ns, Normalize(segs), ignoreCase);

    /// <summary>Adjacent globstars are one globstar; keep the spec free of them so every spec parses.</summary>
    private static string[] Normalize(string[] segs)
    {
        var result = new List<string>();
        foreach (string s in segs)
        {
            if (!(s == "**" && result.Count > 0 && result[^1] == "**"))
            {
                result.Add(s);
            }
        }

        return [.. result];
    }

    public static Gen<EntrySpec> Entry(bool namespaces) =>
        from mode in Gen.Elements(ClaimMode.Read, ClaimMode.Append, ClaimMode.Write)
        from p in Pattern(namespaces)
        select new EntrySpec(mode, p);

    public static Gen<SetSpec> Set(bool namespaces) =>
        from entryCount in Gen.Frequency((1, Gen.Constant(0)), (12, Gen.Choose(1, 3)))
        from entries in Gen.ArrayOf(Entry(namespaces), entryCount)
        from exclusionCount in entryCount == 0 ? Gen.Constant(0) : Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 3)))
        from exclusions in Gen.ArrayOf(Pattern(namespaces), exclusionCount)
        select new SetSpec(entries, exclusions);

    public static IEnumerable<PatternSpec> ShrinkPattern(PatternSpec p)
    {
        if (p.Namespace.Length > 0)
        {
            yield return p with { Namespace = string.Empty };
        }

        if (p.IgnoreCase)
        {
            yield return p with { IgnoreCase = false };
        }

        for (int k = 0; k < p.Segments.Length; k++)
        {
            if (p.Segments.Length > 1)
            {
                yield return p with { Segments = Normalize([.. p.Segments[..k], .. p.Segments[(k + 1)..]]) };
            }

            if (p.Segments[k] != "a")
            {
                string[] copy = (string[])p.Segments.Clone();
                copy[k] = "a";
                yield return p with { Segments = copy };
            }
        }
    }

    public static IEnumerable<SetSpec> ShrinkSet(SetSpec s)
    {
        for (int i = 0; i < s.Exclusions.Length; i++)
        {
            yield return s with { Exclusions = [.. s.Exclusions[..i], .. s.Exclusions[(i + 1)..]] };
        }

        for (int i = 0; i < s.Entries.Length; i++)
        {
            if (s.Entries.Length > 1 || s.Exclusions.Length == 0)
            {
                yield return s with { Entries = [.. s.Entries[..i], .. s.Entries[(i + 1)..]] };
            }
        }

        for (int i = 0; i < s.Exclusions.Length; i++)
        {
            foreach (PatternSpec smaller in ShrinkPattern(s.Exclusions[i]))
            {
                PatternSpec[] copy = (PatternSpec[])s.Exclusions.Clone();
                copy[i] = smaller;
                yield return s with { Exclusions = copy };
            }
        }

        for (int i = 0; i < s.Entries.Length; i++)
        {
            if (s.Entries[i].Mode != ClaimMode.Write)
            {
                EntrySpec[] copy = (EntrySpec[])s.Entries.Clone();
                copy[i] = copy[i] with { Mode = ClaimMode.Write };
                yield return s with { Entries = copy };
            }

            foreach (PatternSpec smaller in ShrinkPattern(s.Entries[i].Pattern))
            {
                EntrySpec[] copy = (EntrySpec[])s.Entries.Clone();
                copy[i] = copy[i] with { Pattern = smaller };
                yield return s with { Entries = copy };
            }
        }
    }

    /// <summary>
    /// The plain reference: some universe path, in some namespace, covered by an entry of each side with
    /// conflicting modes and by no exclusion of either side. A barrier is <c>write **</c> in every namespace.
    /// </summary>
    public static bool BruteForceConflict(ClaimSet a, ClaimSet b)
    {
        foreach (string ns in Namespaces)
        {
            foreach (string path in Universe)
            {
                if (Reaches(a, ns, path, out bool aWrites, out bool aOther)
                    && Reaches(b, ns, path, out bool bWrites, out bool bOther)
                    && (aWrites || bWrites)
                    && (aWrites || aOther) && (bWrites || bOther))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether the set covers the path, and with which modes (write / anything else).</summary>
    private static bool Reaches(ClaimSet s, string ns, string path, out bool writes, out bool other)
    {
        writes = false;
        other = false;
        if (s.IsBarrier)
        {
            writes = true;
            return true;
        }

        foreach (Glob x in s.Exclusions)
        {
            if (x.Namespace == ns && x.Covers(path))
            {
                return false;
            }
        }

        foreach (ClaimEntry e in s.Entries)
        {
            if (e.Namespace == ns && e.Pattern.Covers(path))
            {
                writes |= e.Mode == ClaimMode.Write;
                other |= e.Mode != ClaimMode.Write;
            }
        }

        return writes || other;
    }

    /// <summary>Whether the witness proves the conflict: both entries cover it and no exclusion of its namespace does.</summary>
    public static bool Proves(ClaimConflict c, ClaimSet left, ClaimSet right)
    {
        string ns = c.Left.Namespace;
        return c.Right.Namespace == ns
            && c.Left.Mode.ConflictsWith(c.Right.Mode)
            && c.Left.Pattern.Covers(c.Witness)
            && c.Right.Pattern.Covers(c.Witness)
            && !left.Exclusions.Any(x => x.Namespace == ns && x.Covers(c.Witness))
            && !right.Exclusions.Any(x => x.Namespace == ns && x.Covers(c.Witness))
            && (c.LeftIsBarrier ? left.IsBarrier : left.Entries.Contains(c.Left))
            && (c.RightIsBarrier ? right.IsBarrier : right.Entries.Contains(c.Right));
    }
}

/// <summary>Two claim sets.</summary>
internal sealed record SetPair(SetSpec Left, SetSpec Right)
{
    public static Arbitrary<SetPair> Arbitrary(bool namespaces) => Arb.From(
        from a in ClaimGen.Set(namespaces)
        from b in ClaimGen.Set(namespaces)
        select new SetPair(a, b),
        p => ClaimGen.ShrinkSet(p.Left).Select(l => p with { Left = l })
            .Concat(ClaimGen.ShrinkSet(p.Right).Select(r => p with { Right = r })));

    public override string ToString() => $"{Left} vs {Right}";
}
