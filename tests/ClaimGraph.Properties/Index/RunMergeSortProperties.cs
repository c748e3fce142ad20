using ClaimGraph.Index;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ClaimGraph.Properties.Index;

/// <summary>The index's run-merging sort gives the same order as <see cref="Array.Sort{T}(T[], IComparer{T})"/>.</summary>
public class RunMergeSortProperties
{
    /// <summary>
    /// Distinct (key, tiebreak) pairs built as the index's hits are: a few ascending runs of tiebreaks, with keys that
    /// mostly follow them (small arrays, many runs, or one run, all reachable through shrinking).
    /// </summary>
    private static readonly Arbitrary<(int Key, int Tie)[]> Items = Arb.From(
        from runs in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, 40)))
        select Distinct(runs),
        items => ArbMap.Default.ArbFor<(int, int)[]>().Shrinker(items).Select(Distinct1));

    private static (int Key, int Tie)[] Distinct(int[][] runs) => Distinct1(runs.SelectMany((run, r) => run.Order().Select((k, i) => (k, r * 1000 + i))).ToArray());

    private static (int Key, int Tie)[] Distinct1((int Key, int Tie)[] items) => items.DistinctBy(x => x.Tie).ToArray();

    [Property(MaxTest = 2000)]
    public Property Sort_AnyRuns_EqualsArraySort() =>
        Prop.ForAll(Items, items =>
        {
            (int, int)[] expected = [.. items];
            Array.Sort(expected, Comparer<(int, int)>.Default);
            (int, int)[] actual = [.. items];
            RunMergeSort.Sort(actual.AsSpan(), Comparer<(int, int)>.Default);
            Assert.Equal(expected, actual);
        });
}
