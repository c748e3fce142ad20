using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;
using FsCheck;
using FsCheck.Fluent;

namespace ClaimGraph.Properties.Graph;

/// <summary>One update of a work graph in a generated history. Indexes pick from small pools so ids collide.</summary>
internal abstract record GraphOp
{
    public sealed record AddItem(int Item, int Priority, int Labels) : GraphOp;

    public sealed record SetItem(int Item, WorkItemStatus Status, int Labels, long Revision) : GraphOp;

    public sealed record AddDependency(int From, int To) : GraphOp;

    public sealed record RemoveDependency(int From, int To) : GraphOp;

    public sealed record AddRun(int Run, int Item, RunStatus Status, int Claims, int Priority, long RequestedAt, bool Reserves, long? Base, long Token, int Extras) : GraphOp;

    public sealed record SetRun(int Run, RunStatus Status, bool Reserves, int Claims, long? Base, int History) : GraphOp;

    public sealed record MarkEvent(int Event) : GraphOp;

    public sealed record AdvanceBase(int Step, int Paths, int Run) : GraphOp;

    public sealed record Prune(long Version) : GraphOp;

    public sealed record IssueToken : GraphOp;

    /// <summary>Sets the graph's clock (<see cref="WorkGraph.WithNow(long)"/>); every later update must keep it.</summary>
    public sealed record SetNow(long Time) : GraphOp;
}

/// <summary>A generated history of graph updates; shrinks by dropping updates.</summary>
internal sealed record GraphHistory(GraphOp[] Ops)
{
    /// <summary>Ids with characters that need care in JSON, pictures and ordinal order.</summary>
    public static readonly string[] ItemIds = ["a", "B", "b", "é", "q\"x", "back\\slash", "line\nbreak", "\U0001F600"];

    public static readonly string[] RunIds = ["r0", "r1", "R2", "r 3", "r/4", "r5"];

    public static readonly string[] Labels = ["x", "y", "z"];

    public static readonly string[] Paths = ["src/a.cs", "docs/b.md", "CHANGELOG.md", "src/gen/x.cs"];

    public static readonly ClaimSet[] Claims =
    [
        ClaimSet.Parse("write src/**"),
        ClaimSet.Parse("read src/a/**"),
        ClaimSet.Parse("append CHANGELOG.md"),
        ClaimSet.Parse("write docs/*.md\nread src/**"),
        ClaimSet.Barrier,
        ClaimSet.Parse("write src/**\n!src/gen/**"),
        ClaimSet.Parse("write Docs/**", GlobOptions.IgnoreCase),
        ClaimSet.CreateBuilder().Add(ClaimMode.Write, "Src/**", GlobOptions.IgnoreCase).Read("docs/**").ToClaimSet(),
    ];

    public static Arbitrary<GraphHistory> Arbitrary() => Arb.From(
        from n in Gen.Choose(1, 30)
        from ops in Gen.ArrayOf(Op(), n)
        select new GraphHistory(ops),
        Shrink);

    public static ImmutableSortedSet<string> LabelSet(int mask) =>
        ImmutableSortedSet.CreateRange(StringComparer.Ordinal, Labels.Where((_, i) => (mask & (1 << i)) != 0));

    public override string ToString() => string.Join("; ", Ops.Select(o => o.ToString()));

    private static Gen<int> Item() => Gen.Choose(0, ItemIds.Length - 1);

    private static Gen<int> RunId() => Gen.Choose(0, RunIds.Length - 1);

    private static Gen<RunStatus> RunState() => Gen.Elements(Enum.GetValues<RunStatus>());

    private static Gen<long?> Base() => Gen.Frequency((1, Gen.Constant((long?)null)), (2, Gen.Choose(0, 5).Select(b => (long?)b)));

    private static Gen<GraphOp> Op() =>
        Gen.Frequency(
            (5, from i in Item() from p in Gen.Choose(-1, 2) from l in Gen.Choose(0, 7) select (GraphOp)new GraphOp.AddItem(i, p, l)),
            (4, from i in Item() from s in Gen.Elements(Enum.GetValues<WorkItemStatus>()) from l in Gen.Choose(0, 7) from r in Gen.Choose(0, 3)
                select (GraphOp)new GraphOp.SetItem(i, s, l, r)),
            (5, from a in Item() from b in Item() select (GraphOp)new GraphOp.AddDependency(a, b)),
            (2, from a in Item() from b in Item() select (GraphOp)new GraphOp.RemoveDependency(a, b)),
            (5, from r in RunId() from i in Item() from s in RunState() from c in Gen.Choose(0, Claims.Length - 1) from p in Gen.Choose(0, 2)
                from t in Gen.Choose(0, 3) from res in Gen.Elements(false, true) from b in Base() from tok in Gen.Choose(0, 6) from x in Gen.Choose(0, 15)
                select (GraphOp)new GraphOp.AddRun(r, i, s, c, p, t, res, b, tok, x)),
            (5, from r in RunId() from s in RunState() from res in Gen.Elements(false, true) from c in Gen.Choose(0, Claims.Length - 1) from b in Base()
                from h in Gen.Choose(0, 3)
                select (GraphOp)new GraphOp.SetRun(r, s, res, c, b, h)),
            (2, Gen.Choose(0, 4).Select(e => (GraphOp)new GraphOp.MarkEvent(e))),
            (2, from s in Gen.Choose(-1, 3) from p in Gen.Choose(0, 15) from r in Gen.Choose(-1, RunIds.Length - 1) select (GraphOp)new GraphOp.AdvanceBase(s, p, r)),
            (1, Gen.Choose(0, 8).Select(v => (GraphOp)new GraphOp.Prune(v))),
            (1, Gen.Constant((GraphOp)new GraphOp.IssueToken())),
            (2, Gen.Choose(-2, 1000).Select(t => (GraphOp)new GraphOp.SetNow(t))));

    private static IEnumerable<GraphHistory> Shrink(GraphHistory h)
    {
        if (h.Ops.Length > 1)
        {
            yield return new GraphHistory(h.Ops[..(h.Ops.Length / 2)]);
            yield return new GraphHistory(h.Ops[(h.Ops.Length / 2)..]);
        }

        for (int i = 0; i < h.Ops.Length; i++)
        {
            if (h.Ops.Length > 1)
            {
                yield return new GraphHistory([.. h.Ops[..i], .. h.Ops[(i + 1)..]]);
            }
        }
    }
}
