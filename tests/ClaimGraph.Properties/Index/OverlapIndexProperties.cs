using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Index;
using ClaimGraph.Properties.Claims;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Index;

/// <summary><see cref="OverlapIndex{TOwner}"/> against a plain list model and a linear scan with the exact check.</summary>
public class OverlapIndexProperties
{
    [Property(MaxTest = 1000)]
    public Property Updates_RandomHistory_IndexEqualsModelAndLinearScan() =>
        Prop.ForAll(IndexHistory.Arbitrary(), h =>
        {
            var versions = new List<(OverlapIndex<int> Index, IndexModel Model)>();
            OverlapIndex<int> index = OverlapIndex.Create<int>();
            IndexModel model = IndexModel.Empty;
            var additions = new List<IndexOp>();
            versions.Add((index, model));
            foreach (IndexOp op in h.Ops)
            {
                (index, model) = Apply(op, index, model, additions);
                versions.Add((index, model));
                AssertEqual(index, model, h);
            }

            // Old versions are values: every one still answers as its model says.
            foreach ((OverlapIndex<int> old, IndexModel oldModel) in versions)
            {
                AssertEqual(old, oldModel, h);
            }
        });

    [Property(MaxTest = 1000)]
    public Property Conflicts_RandomHistory_EqualsLinearScanAndBruteForce() =>
        Prop.ForAll(IndexHistory.Arbitrary(), h =>
        {
            OverlapIndex<int> index = OverlapIndex.Create<int>();
            IndexModel model = IndexModel.Empty;
            var additions = new List<IndexOp>();
            foreach (IndexOp op in h.Ops)
            {
                (index, model) = Apply(op, index, model, additions);
            }

            foreach (SetSpec spec in h.ClaimQueries)
            {
                ClaimSet claims = spec.ToClaimSet();
                ImmutableArray<IndexConflict<int>> actual = index.Conflicts(claims);
                List<IndexConflict<int>> expected = LinearConflicts(model, claims);
                Assert.True(
                    actual.Select(Describe).SequenceEqual(expected.Select(Describe)),
                    $"{spec}: index [{string.Join("; ", actual.Select(Describe))}] linear [{string.Join("; ", expected.Select(Describe))}] in {h}");

                // Independent check per owner: the brute-force reference over the path universe.
                foreach (int owner in model.Items.Select(i => i.Owner).Concat(model.Barriers).Distinct())
                {
                    bool brute = model.Barriers.Contains(owner)
                        ? ClaimGen.BruteForceConflict(claims, ClaimSet.Barrier)
                        : model.Items.Where(i => i.Owner == owner).Any(i => ClaimGen.BruteForceConflict(claims, ClaimSet.Create([i.Entry], i.Exclusions)));
                    Assert.True(!brute || actual.Any(c => c.Owner == owner), $"missed owner {owner} for {spec} in {h}");
                }
            }
        });

    private static string Describe(IndexConflict<int> c) => $"{c.Owner}|{c.IsConservative}|{c.Conflict}|{c.Conflict.LeftIsBarrier}|{c.Conflict.RightIsBarrier}";

    private static (OverlapIndex<int>, IndexModel) Apply(IndexOp op, OverlapIndex<int> index, IndexModel model, List<IndexOp> additions)
    {
        switch (op)
        {
            case IndexOp.AddEntry a:
                additions.Add(a);
                ClaimEntry e = a.Entry.ToEntry();
                return (index.Add(a.Owner, e), model.Add(a.Owner, e, ImmutableArray<Glob>.Empty));
            case IndexOp.AddSet s:
                additions.Add(s);
                ClaimSet set = s.Set.ToClaimSet();
                return (index.Add(s.Owner, set), model.Add(s.Owner, set));
            case IndexOp.RemoveEntry r:
                ClaimEntry re = r.Entry.ToEntry();
                return (index.Remove(r.Owner, re), model.Remove(r.Owner, re, ImmutableArray<Glob>.Empty));
            case IndexOp.RemoveOwner o:
                return (index.RemoveOwner(o.Owner), model.RemoveOwner(o.Owner));
            case IndexOp.RemoveEarlier k when additions.Count > 0:
                return additions[k.K % additions.Count] switch
                {
                    IndexOp.AddEntry a => (index.Remove(a.Owner, a.Entry.ToEntry()), model.Remove(a.Owner, a.Entry.ToEntry(), ImmutableArray<Glob>.Empty)),
                    IndexOp.AddSet s => (index.Remove(s.Owner, s.Set.ToClaimSet()), model.Remove(s.Owner, s.Set.ToClaimSet())),
                    _ => (index, model),
                };
            case IndexOp.AddEarlier k when additions.Count > 0:
                return Apply(additions[k.K % additions.Count], index, model, additions);
            default:
                return (index, model);
        }
    }

    private static void AssertEqual(OverlapIndex<int> index, IndexModel model, IndexHistory h)
    {
        IndexModel.Item[] expected = model.Sorted.ToArray();
        ImmutableArray<IndexedEntry<int>> actual = index.Entries;
        Assert.Equal(expected.Length, index.Count);
        Assert.True(
            expected.Select(i => (i.Owner, i.Entry, i.Sequence)).SequenceEqual(actual.Select(i => (i.Owner, i.Entry, i.Sequence)))
            && expected.Zip(actual).All(p => p.First.Exclusions.SequenceEqual(p.Second.Exclusions)),
            $"entries differ: index [{string.Join("; ", actual)}] model [{string.Join("; ", expected.Select(i => i.ToString()))}] in {h}");
        foreach (int owner in Enumerable.Range(0, 4))
        {
            Assert.Equal(model.Barriers.Contains(owner), index.IsBarrier(owner));
        }

        // The barrier set kept apart by the updates equals the model's, and every barrier owner is listed as an owner.
        Assert.True(
            model.Barriers.SequenceEqual(index.BarrierOwners),
            $"barriers: index [{string.Join(", ", index.BarrierOwners)}] model [{string.Join(", ", model.Barriers)}] in {h}");
        Assert.True(
            model.Items.Select(i => i.Owner).Concat(model.Barriers).Distinct().Order().SequenceEqual(index.Owners),
            $"owners: index [{string.Join(", ", index.Owners)}] in {h}");

        foreach (PatternSpec spec in h.Queries)
        {
            Glob q = spec.Parse();
            ImmutableArray<IndexMatch<int>> hits = index.Query(q);
            var linear = expected.Where(i => Glob.Overlaps(i.Entry.Pattern, q)).ToArray();
            Assert.True(
                linear.Select(i => (i.Owner, i.Sequence)).SequenceEqual(hits.Select(m => (m.Owner, m.Stored.Sequence))),
                $"query {spec}: index [{string.Join("; ", hits)}] linear [{string.Join("; ", linear.Select(i => i.ToString()))}] in {h}");
            foreach (IndexMatch<int> m in hits)
            {
                Assert.True(Glob.TryGetWitness(m.Entry.Pattern, q, out string? w) && w == m.Witness);
                Assert.True(m.Entry.Pattern.Covers(m.Witness) && q.Covers(m.Witness));
            }

            Assert.Equal(linear.Length > 0, index.Overlaps(q));
        }
    }

    /// <summary>The documented rule, applied owner by owner over the model: the plain reference for <see cref="OverlapIndex{TOwner}.Conflicts"/>.</summary>
    private static List<IndexConflict<int>> LinearConflicts(IndexModel model, ClaimSet claims)
    {
        var result = new List<IndexConflict<int>>();
        foreach (int owner in model.Items.Select(i => i.Owner).Concat(model.Barriers).Distinct().Order())
        {
            IndexModel.Item[] items = model.Items.Where(i => i.Owner == owner).OrderBy(i => i.Sequence).ToArray();
            (ClaimConflictResult R, long Seq)? best = null;
            if (claims.IsBarrier)
            {
                if (model.Barriers.Contains(owner))
                {
                    best = (ClaimSet.Conflicts(ClaimSet.Barrier, ClaimSet.Barrier), -1);
                }
                else
                {
                    foreach (IndexModel.Item i in items)
                    {
                        ClaimConflictResult r = ClaimSet.Conflicts(ClaimSet.Barrier, ClaimSet.Create([i.Entry], i.Exclusions));
                        if (r.IsConflict && (best is null || (best.Value.R.IsConservative && !r.IsConservative)))
                        {
                            best = (r, i.Sequence);
                        }
                    }
                }
            }
            else
            {
                foreach (ClaimEntry e in claims.Entries)
                {
                    foreach (IndexModel.Item i in items)
                    {
                        if (!e.Mode.ConflictsWith(i.Entry.Mode))
                        {
                            continue;
                        }

                        ClaimConflictResult r = ClaimSetConflicts.CheckPair(e, claims.Exclusions, i.Entry, i.Exclusions);
                        if (r.IsConflict && (best is null || (best.Value.R.IsConservative && !r.IsConservative)))
                        {
                            best = (r, i.Sequence);
                        }
                    }
                }

                if (model.Barriers.Contains(owner) && (best is null || best.Value.R.IsConservative))
                {
                    ClaimConflictResult r = ClaimSet.Conflicts(claims, ClaimSet.Barrier);
                    if (r.IsConflict)
                    {
                        best = (r, -1);
                    }
                }
            }

            if (best is { } b)
            {
                result.Add(new IndexConflict<int>(owner, b.R.Conflict!, b.R.IsConservative, b.Seq));
            }
        }

        return result;
    }
}
