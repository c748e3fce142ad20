using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Index;
using ClaimGraph.Properties.Claims;
using FsCheck;
using FsCheck.Fluent;

namespace ClaimGraph.Properties.Index;

/// <summary>One update of an index in a generated history.</summary>
internal abstract record IndexOp
{
    /// <summary>Stores one entry without exclusions.</summary>
    public sealed record AddEntry(int Owner, EntrySpec Entry) : IndexOp;

    /// <summary>Removes one entry (usually absent: the pattern is random).</summary>
    public sealed record RemoveEntry(int Owner, EntrySpec Entry) : IndexOp;

    /// <summary>Stores a claim set (possibly the barrier).</summary>
    public sealed record AddSet(int Owner, SetSpec Set) : IndexOp;

    /// <summary>Undoes the k-th earlier addition (modulo their number): present, or already gone.</summary>
    public sealed record RemoveEarlier(int K) : IndexOp;

    /// <summary>Repeats the k-th earlier addition (modulo their number): a duplicate, or a re-insertion.</summary>
    public sealed record AddEarlier(int K) : IndexOp;

    /// <summary>Removes everything of an owner.</summary>
    public sealed record RemoveOwner(int Owner) : IndexOp;
}

/// <summary>A history of updates and the queries to ask after each one.</summary>
internal sealed record IndexHistory(IndexOp[] Ops, PatternSpec[] Queries, SetSpec[] ClaimQueries)
{
    public static Arbitrary<IndexHistory> Arbitrary() => Arb.From(
        from n in Gen.Choose(1, 14)
        from ops in Gen.ArrayOf(Op(), n)
        from q in Gen.Choose(1, 3)
        from queries in Gen.ArrayOf(ClaimGen.Pattern(namespaces: true), q)
        from c in Gen.Choose(1, 2)
        from claimQueries in Gen.ArrayOf(ClaimGen.Set(namespaces: true), c)
        select new IndexHistory(ops, queries, claimQueries),
        Shrink);

    private static Gen<int> Owner() => Gen.Choose(0, 3);

    private static Gen<IndexOp> Op() =>
        Gen.Frequency(
            (6, from o in Owner() from e in ClaimGen.Entry(namespaces: true) select (IndexOp)new IndexOp.AddEntry(o, e)),
            (3, from o in Owner() from s in ClaimGen.Set(namespaces: true) select (IndexOp)new IndexOp.AddSet(o, s)),
            (1, from o in Owner() from e in ClaimGen.Entry(namespaces: true) select (IndexOp)new IndexOp.RemoveEntry(o, e)),
            (4, Gen.Choose(0, 20).Select(k => (IndexOp)new IndexOp.RemoveEarlier(k))),
            (2, Gen.Choose(0, 20).Select(k => (IndexOp)new IndexOp.AddEarlier(k))),
            (1, Owner().Select(o => (IndexOp)new IndexOp.RemoveOwner(o))));

    private static IEnumerable<IndexHistory> Shrink(IndexHistory h)
    {
        for (int i = 0; i < h.Ops.Length; i++)
        {
            if (h.Ops.Length > 1)
            {
                yield return h with { Ops = [.. h.Ops[..i], .. h.Ops[(i + 1)..]] };
            }
        }

        for (int i = 0; i < h.Queries.Length; i++)
        {
            if (h.Queries.Length > 1)
            {
                yield return h with { Queries = [.. h.Queries[..i], .. h.Queries[(i + 1)..]] };
            }

            foreach (PatternSpec smaller in ClaimGen.ShrinkPattern(h.Queries[i]))
            {
                PatternSpec[] copy = (PatternSpec[])h.Queries.Clone();
                copy[i] = smaller;
                yield return h with { Queries = copy };
            }
        }

        for (int i = 0; i < h.Ops.Length; i++)
        {
            IEnumerable<IndexOp> smaller = h.Ops[i] switch
            {
                IndexOp.AddEntry a => ClaimGen.ShrinkPattern(a.Entry.Pattern).Select(p => (IndexOp)(a with { Entry = a.Entry with { Pattern = p } })),
                IndexOp.AddSet s => ClaimGen.ShrinkSet(s.Set).Select(x => (IndexOp)(s with { Set = x })),
                _ => [],
            };
            foreach (IndexOp op in smaller)
            {
                IndexOp[] copy = (IndexOp[])h.Ops.Clone();
                copy[i] = op;
                yield return h with { Ops = copy };
            }
        }
    }

    public override string ToString() =>
        $"ops [{string.Join(", ", Ops.Select(o => o.ToString()))}] queries [{string.Join(", ", Queries.Select(q => q.ToString()))}] claim queries [{string.Join(", ", ClaimQueries.Select(c => c.ToString()))}]";
}

/// <summary>The plain model of an index: a list of stored entries and a set of barrier owners.</summary>
internal sealed record IndexModel(ImmutableList<IndexModel.Item> Items, ImmutableSortedSet<int> Barriers, long NextSequence)
{
    public static readonly IndexModel Empty = new(ImmutableList<Item>.Empty, ImmutableSortedSet<int>.Empty, 0);

    public sealed record Item(int Owner, ClaimEntry Entry, ImmutableArray<Glob> Exclusions, long Sequence)
    {
        public bool Same(int owner, ClaimEntry entry, ImmutableArray<Glob> exclusions) =>
            Owner == owner && Entry.Equals(entry) && Exclusions.SequenceEqual(exclusions);
    }

    public IEnumerable<Item> Sorted => Items.OrderBy(i => i.Owner).ThenBy(i => i.Sequence);

    public IndexModel Add(int owner, ClaimEntry entry, ImmutableArray<Glob> exclusions) =>
        Items.Any(i => i.Same(owner, entry, exclusions))
            ? this
            : this with { Items = Items.Add(new Item(owner, entry, exclusions, NextSequence)), NextSequence = NextSequence + 1 };

    public IndexModel Remove(int owner, ClaimEntry entry, ImmutableArray<Glob> exclusions) =>
        this with { Items = Items.RemoveAll(i => i.Same(owner, entry, exclusions)) };

    public IndexModel Add(int owner, ClaimSet set)
    {
        if (set.IsBarrier)
        {
            return this with { Barriers = Barriers.Add(owner) };
        }

        IndexModel m = this;
        foreach (ClaimEntry e in set.Entries)
        {
            m = m.Add(owner, e, set.Exclusions);
        }

        return m;
    }

    public IndexModel Remove(int owner, ClaimSet set)
    {
        if (set.IsBarrier)
        {
            return this with { Barriers = Barriers.Remove(owner) };
        }

        IndexModel m = this;
        foreach (ClaimEntry e in set.Entries)
        {
            m = m.Remove(owner, e, set.Exclusions);
        }

        return m;
    }

    public IndexModel RemoveOwner(int owner) =>
        this with { Items = Items.RemoveAll(i => i.Owner == owner), Barriers = Barriers.Remove(owner) };
}
