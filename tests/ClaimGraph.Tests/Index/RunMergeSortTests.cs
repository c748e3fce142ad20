using ClaimGraph.Index;

namespace ClaimGraph.Tests.Index;

public class RunMergeSortTests
{
    private static int[] Sorted(params int[] items)
    {
        int[] copy = [.. items];
        RunMergeSort.Sort(copy.AsSpan(), Comparer<int>.Default);
        return copy;
    }

    [Fact]
    public void Sort_EmptyAndSingle_Unchanged()
    {
        Assert.Empty(Sorted());
        Assert.Equal([7], Sorted(7));
    }

    [Fact]
    public void Sort_OneRun_Unchanged() => Assert.Equal([1, 2, 3, 9], Sorted(1, 2, 3, 9));

    [Fact]
    public void Sort_Descending_EveryItemItsOwnRun_Sorted() => Assert.Equal([1, 2, 3, 4, 5], Sorted(5, 4, 3, 2, 1));

    [Fact]
    public void Sort_OddNumberOfRuns_LastRunMergedToo() => Assert.Equal([1, 2, 3, 4, 5, 6, 7], Sorted(4, 7, 2, 5, 1, 3, 6));

    [Fact]
    public void Sort_RunsOfNodes_MergedInOrder() =>
        Assert.Equal(Enumerable.Range(0, 300), Sorted([.. Enumerable.Range(0, 300).Chunk(37).Reverse().SelectMany(c => c)]));

    [Fact]
    public void Sort_ReferenceItems_Sorted()
    {
        string[] items = ["d", "a", "c", "b"];
        RunMergeSort.Sort(items.AsSpan(), StringComparer.Ordinal);
        Assert.Equal(["a", "b", "c", "d"], items);
    }
}
