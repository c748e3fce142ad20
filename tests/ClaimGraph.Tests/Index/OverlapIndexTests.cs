using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Index;

namespace ClaimGraph.Tests.Index;

public class OverlapIndexTests
{
    private static OverlapIndex<string> Build(params (string Owner, string Claims)[] runs)
    {
        OverlapIndex<string> index = OverlapIndex.Create<string>(StringComparer.Ordinal);
        foreach ((string owner, string claims) in runs)
        {
            index = index.Add(owner, ClaimSet.Parse(claims));
        }

        return index;
    }

    [Fact]
    public void Add_ClaimSetWithRepeatsAndKnownEntries_SameAsOneEntryAtATime()
    {
        ClaimSet set = ClaimSet.Parse("write a/x.cs\nwrite b/**\nwrite a/x.cs\nread docs/**\nwrite c/y.cs");
        OverlapIndex<string> start = OverlapIndex.Create<string>(StringComparer.Ordinal).Add("o", ClaimEntry.Write("b/**")).Add("p", ClaimEntry.Write("a/**"));

        OverlapIndex<string> bulk = start.Add("o", set);
        OverlapIndex<string> single = start;
        foreach (ClaimEntry e in set.Entries)
        {
            single = single.Add("o", e);
        }

        Assert.Equal(single.Count, bulk.Count);
        Assert.Equal(5, bulk.Count);
        Assert.Equal(
            single.EntriesOf("o").Select(e => (e.Entry.ToString(), e.Sequence)),
            bulk.EntriesOf("o").Select(e => (e.Entry.ToString(), e.Sequence)));
        Assert.Equal(
            single.Query(Glob.Parse("**")).Select(m => (m.Owner, m.Stored.Sequence)),
            bulk.Query(Glob.Parse("**")).Select(m => (m.Owner, m.Stored.Sequence)));
        Assert.Same(bulk, bulk.Add("o", set));

        OverlapIndex<string> removed = bulk.RemoveOwner("o");
        Assert.Equal(1, removed.Count);
        Assert.Equal(new[] { "p" }, removed.Owners.ToArray());
        Assert.Equal(new[] { "p" }, removed.Query(Glob.Parse("a/x.cs")).Select(m => m.Owner).ToArray());
    }

    [Fact]
    public void Query_DesignExamples_EntriesWithWitnesses()
    {
        OverlapIndex<string> index = Build(
            ("r1", "write src/billing/**"),
            ("r2", "write docs/**"),
            ("r3", "read **/*.md"),
            ("r4", "write src/app.py"));

        ImmutableArray<IndexMatch<string>> hits = index.Query(Glob.Parse("src/*/schema.sql"));

        // A claim on a file covers what is below it, so src/app.py overlaps src/*/schema.sql too.
        Assert.Equal(["r1", "r3", "r4"], hits.Select(h => h.Owner));
        Assert.Equal("src/billing/schema.sql", hits[0].Witness);
        Assert.True(hits[1].Entry.Pattern.Covers(hits[1].Witness));
        Assert.Equal("src/app.py/schema.sql", hits[2].Witness);
        Assert.Empty(index.Query(Glob.Parse("*.py")).Where(h => h.Owner != "r3"));
    }

    [Fact]
    public void Query_ResultsOrderedByOwnerThenInsertion()
    {
        OverlapIndex<string> index = OverlapIndex.Create<string>(StringComparer.Ordinal)
            .Add("b", ClaimEntry.Write("src/**"))
            .Add("a", ClaimEntry.Read("src/x/**"))
            .Add("b", ClaimEntry.Read("src/*.cs"))
            .Add("a", ClaimEntry.Write("src/**"));

        ImmutableArray<IndexMatch<string>> hits = index.Query(Glob.Parse("src/x/y.cs"));

        Assert.Equal(["a:read src/x/**", "a:write src/**", "b:write src/**"], hits.Select(h => $"{h.Owner}:{h.Entry}"));
        Assert.True(hits[0].Stored.Sequence < hits[1].Stored.Sequence);
    }

    [Fact]
    public void Add_Duplicate_ReturnsSameInstance()
    {
        OverlapIndex<string> index = Build(("r1", "write src/**"));

        Assert.Same(index, index.Add("r1", ClaimEntry.Write("src/**")));
        Assert.Same(index, index.Remove("r1", ClaimEntry.Write("docs/**")));
        Assert.Same(index, index.Remove("r2", ClaimEntry.Write("src/**")));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Remove_OldVersionUnchanged()
    {
        OverlapIndex<string> before = Build(("r1", "write src/**"), ("r2", "read src/a.cs"));

        OverlapIndex<string> after = before.Remove("r1", ClaimEntry.Write("src/**")).RemoveOwner("r2");

        Assert.Equal(0, after.Count);
        Assert.Empty(after.Query(Glob.Parse("src/a.cs")));
        Assert.Equal(2, before.Count);
        Assert.Equal(["r1", "r2"], before.Query(Glob.Parse("src/a.cs")).Select(h => h.Owner));
    }

    [Fact]
    public void Remove_ClaimSetWithExclusions_RemovesWhatItAdded()
    {
        ClaimSet claims = ClaimSet.Parse("write src/**\nread docs/**\n!src/gen/**");
        OverlapIndex<string> index = OverlapIndex.Create<string>(StringComparer.Ordinal).Add("r1", claims).Add("r1", ClaimEntry.Write("src/**"));

        OverlapIndex<string> removed = index.Remove("r1", claims);

        Assert.Equal(3, index.Count);
        Assert.Equal(["write src/**"], removed.Entries.Select(e => e.Entry.ToString()));
        Assert.True(removed.Entries[0].Exclusions.IsEmpty);
    }

    [Fact]
    public void Conflicts_ModesExclusionsAndBarrier_PerOwnerWithEvidence()
    {
        OverlapIndex<string> index = Build(
            ("reader", "read src/**"),
            ("appender", "append CHANGELOG.md"),
            ("writer", "write src/**\n!src/gen/**"),
            ("barrier", string.Empty));

        ImmutableArray<IndexConflict<string>> conflicts = index.Conflicts(ClaimSet.Parse("append CHANGELOG.md\nwrite src/gen/x.cs"));

        Assert.Equal(["barrier", "reader"], conflicts.Select(c => c.Owner));
        Assert.True(conflicts[0].Conflict.RightIsBarrier);
        Assert.Equal("write src/gen/x.cs", conflicts[1].Conflict.Left.ToString());
        Assert.Equal("read src/**", conflicts[1].Conflict.Right.ToString());
        Assert.Equal("src/gen/x.cs", conflicts[1].Conflict.Witness);
        Assert.False(conflicts[1].IsConservative);
    }

    [Fact]
    public void Conflicts_BarrierQuery_ConflictsWithEveryOwnerThatCoversSomething()
    {
        OverlapIndex<string> index = Build(("reader", "read docs/**"), ("empty", "read a/**\n!a/**"), ("barrier", string.Empty));

        ImmutableArray<IndexConflict<string>> conflicts = index.Conflicts(ClaimSet.Barrier);

        Assert.Equal(["barrier", "reader"], conflicts.Select(c => c.Owner));
        Assert.All(conflicts, c => Assert.True(c.Conflict.LeftIsBarrier));
    }

    [Fact]
    public void BarrierOwners_AddsAndRemoves_TracksBarrierMarksOnly()
    {
        OverlapIndex<string> index = Build(("b2", string.Empty), ("r1", "write src/**"), ("b1", string.Empty));

        OverlapIndex<string> withoutB2 = index.Remove("b2", ClaimSet.Barrier);
        OverlapIndex<string> b1AlsoWrites = index.Add("b1", ClaimEntry.Write("docs/**")).Remove("b1", ClaimSet.Barrier);

        Assert.Equal(["b1", "b2"], index.BarrierOwners.AsEnumerable());
        Assert.Equal(["b1"], withoutB2.BarrierOwners.AsEnumerable());
        Assert.Equal(["b1", "r1"], withoutB2.Owners.AsEnumerable());
        Assert.Equal(["b2"], b1AlsoWrites.BarrierOwners.AsEnumerable());
        Assert.Equal(["b1", "b2", "r1"], b1AlsoWrites.Owners.AsEnumerable());
        Assert.Empty(index.RemoveOwner("b1").RemoveOwner("b2").BarrierOwners);
        Assert.Same(index, index.Add("b1", ClaimSet.Barrier));
        Assert.Same(index, index.Remove("r1", ClaimSet.Barrier));
    }

    [Fact]
    public void Conflicts_RemovedBarrier_NoLongerConflicts()
    {
        OverlapIndex<string> index = Build(("barrier", string.Empty), ("writer", "write docs/**"));

        ImmutableArray<IndexConflict<string>> before = index.Conflicts(ClaimSet.Parse("read src/**"));
        ImmutableArray<IndexConflict<string>> after = index.Remove("barrier", ClaimSet.Barrier).Conflicts(ClaimSet.Parse("read src/**"));

        Assert.Equal(["barrier"], before.Select(c => c.Owner));
        Assert.Empty(after);
    }

    [Fact]
    public void Conflicts_ReadAndAppendQueries_OnlyWriteEntriesConflict()
    {
        OverlapIndex<string> index = Build(
            ("reader", "read src/**"),
            ("appender", "append src/CHANGELOG.md"),
            ("writer", "write src/*.cs"),
            ("both", "read src/**\nwrite src/a.cs"));

        ImmutableArray<IndexConflict<string>> forRead = index.Conflicts(ClaimSet.Parse("read src/a.cs\nread src/CHANGELOG.md"));
        ImmutableArray<IndexConflict<string>> forAppend = index.Conflicts(ClaimSet.Parse("append src/CHANGELOG.md"));
        ImmutableArray<IndexConflict<string>> forWrite = index.Conflicts(ClaimSet.Parse("write src/CHANGELOG.md"));

        Assert.Equal(["both", "writer"], forRead.Select(c => c.Owner));
        Assert.Equal("write src/a.cs", forRead[0].Conflict.Right.ToString());
        Assert.Empty(forAppend);
        Assert.Equal(["appender", "both", "reader"], forWrite.Select(c => c.Owner));
    }

    [Fact]
    public void Query_ManyEntriesAtOneNode_SameAsLinearScanAcrossListForms()
    {
        // More than 64 entries on one trie node switch its list to the tree form; removals switch it back.
        OverlapIndex<int> index = OverlapIndex.Create<int>();
        var model = new List<(int Owner, ClaimEntry Entry)>();
        for (int i = 0; i < 200; i++)
        {
            ClaimEntry e = (i % 3) switch
            {
                0 => ClaimEntry.Write("src/**"),
                1 => ClaimEntry.Read($"src/*{i % 7}.cs"),
                _ => ClaimEntry.Write($"src/f{i}.cs"),
            };
            index = index.Add(i, e);
            model.Add((i, e));
        }

        for (int i = 0; i < 200; i += 2)
        {
            index = index.Remove(i, model[i].Entry);
        }

        model = model.Where(m => m.Owner % 2 == 1).ToList();
        foreach (string q in new[] { "src/f3.cs", "src/a5.cs", "src/x/y", "src", "docs/a", "src/*.cs", "**/f1*" })
        {
            Glob query = Glob.Parse(q);
            Assert.Equal(
                model.Where(m => Glob.Overlaps(m.Entry.Pattern, query)).Select(m => m.Owner),
                index.Query(query).Select(h => h.Owner));
        }
    }

    [Fact]
    public void Query_IgnoreCaseEntriesAndQueries_SameAsLinearScan()
    {
        OverlapIndex<int> index = OverlapIndex.Create<int>()
            .Add(1, new ClaimEntry(ClaimMode.Write, Glob.Parse("Src/Billing/**", GlobOptions.IgnoreCase)))
            .Add(2, ClaimEntry.Write("src/billing/a.cs"))
            .Add(3, ClaimEntry.Write("SRC/x"));

        Assert.Equal([1, 2], index.Query(Glob.Parse("src/billing/a.cs")).Select(h => h.Owner));
        Assert.Equal([1, 2, 3], index.Query(Glob.Parse("src/**", GlobOptions.IgnoreCase)).Select(h => h.Owner));
        Assert.Equal([1], index.Query(Glob.Parse("SRC/BILLING/b")).Select(h => h.Owner));
    }

    [Fact]
    public void Query_OtherNamespace_NoHits()
    {
        OverlapIndex<int> index = OverlapIndex.Create<int>().Add(1, ClaimEntry.Write("db:billing/**")).Add(2, ClaimEntry.Write("billing/**"));

        Assert.Equal([1], index.Query(Glob.Parse("db:billing/schema")).Select(h => h.Owner));
        Assert.Empty(index.Query(Glob.Parse("service:billing")));
    }

    [Fact]
    public void Query_ManyPositions_FallsBackToScanWithSameAnswer()
    {
        // 70 segments exceed the walker's 64 positions.
        string deep = string.Join('/', Enumerable.Range(0, 70).Select(i => "d" + i));
        OverlapIndex<int> index = OverlapIndex.Create<int>().Add(1, ClaimEntry.Write("d0/**")).Add(2, ClaimEntry.Write("e/**"));

        Assert.Equal([1], index.Query(Glob.Parse(deep)).Select(h => h.Owner));
    }

    [Fact]
    public void Index_ConcurrentReaders_SameAnswers()
    {
        OverlapIndex<int> index = OverlapIndex.Create<int>();
        for (int i = 0; i < 500; i++)
        {
            index = index.Add(i, ClaimEntry.Write($"src/m{i % 20}/**"));
        }

        Glob q = Glob.Parse("src/m3/a.cs");
        int expected = index.Query(q).Length;
        int[] counts = new int[8];
        Parallel.For(0, 8, t => counts[t] = Enumerable.Range(0, 50).Select(_ => index.Query(q).Length).Distinct().Single());

        Assert.All(counts, c => Assert.Equal(expected, c));
        Assert.Equal(25, expected);
    }
}
