using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Index;

namespace ClaimGraph.Tests.Index;

public class TrieNodeTests
{
    private static SegmentText[] Keys(string pattern, params (int Start, int Length)[] slices) =>
        [.. slices.Select(s => new SegmentText(pattern, s.Start, s.Length))];

    private static Slot<string> SlotOf(string owner, string pattern, long sequence) =>
        new(new IndexedEntry<string>(owner, ClaimEntry.Write(pattern), ImmutableArray<Glob>.Empty, sequence), 0);

    [Fact]
    public void Remove_EntryWhoseTextKeysASharedEdge_EdgeNoLongerSharesItsText()
    {
        // Two entries under src/: the edge "src" is first keyed by a slice of a's pattern.
        string a = "src/a.py", b = "src/bbbb/x.py";
        TrieNode<string> node = TrieNode<string>.Empty
            .Insert(Keys(a, (0, 3)), 0, SlotOf("a", a, 1), isPrefix: true)
            .Insert(Keys(b, (0, 3), (4, 4)), 0, SlotOf("b", b, 2), isPrefix: true);
        Assert.True(node.Children.TryGetKey(new SegmentText("src"), out SegmentText before));
        Assert.True(before.SharesTextWith(new SegmentText(a)));

        TrieNode<string> after = node.Remove(Keys(a, (0, 3)), 0, 1, isPrefix: true)!;

        Assert.True(after.Children.TryGetKey(new SegmentText("src"), out SegmentText key));
        Assert.False(key.SharesTextWith(new SegmentText(a)));
        Assert.Equal("src", key.ToString());
        Assert.Equal(1, after.Count);
    }

    [Fact]
    public void Insert_ExistingEdge_KeepsTheEdgesKey()
    {
        string a = "src/a.py", b = "src/b.py";
        TrieNode<string> node = TrieNode<string>.Empty
            .Insert(Keys(a, (0, 3)), 0, SlotOf("a", a, 1), isPrefix: true)
            .Insert(Keys(b, (0, 3)), 0, SlotOf("b", b, 2), isPrefix: true);

        Assert.True(node.Children.TryGetKey(new SegmentText("src"), out SegmentText key));
        Assert.True(key.SharesTextWith(new SegmentText(a)));
        Assert.Equal(2, node.Children[new SegmentText("src")].Count);
    }

    [Fact]
    public void Remove_EntryNotKeyingTheEdge_EdgeKeepsItsKey()
    {
        string a = "src/a.py", b = "src/b.py";
        TrieNode<string> node = TrieNode<string>.Empty
            .Insert(Keys(a, (0, 3)), 0, SlotOf("a", a, 1), isPrefix: true)
            .Insert(Keys(b, (0, 3)), 0, SlotOf("b", b, 2), isPrefix: true)
            .Remove(Keys(b, (0, 3)), 0, 2, isPrefix: true)!;

        Assert.True(node.Children.TryGetKey(new SegmentText("src"), out SegmentText key));
        Assert.True(key.SharesTextWith(new SegmentText(a)));
    }
}
