using ClaimGraph.Globs;

namespace ClaimGraph.Index;

/// <summary>The two tries of one namespace.</summary>
internal sealed class IndexPartition<TOwner>
    where TOwner : notnull
{
    public IndexPartition(TrieNode<TOwner> exact, TrieNode<TOwner> folded)
    {
        Exact = exact;
        Folded = folded;
    }

    public static IndexPartition<TOwner> Empty { get; } = new(TrieNode<TOwner>.Empty, TrieNode<TOwner>.Empty);

    public TrieNode<TOwner> Exact { get; }

    public TrieNode<TOwner> Folded { get; }

    public bool IsEmpty => Exact.Count == 0 && Folded.Count == 0;

    /// <summary>This partition with <paramref name="item"/> stored in the trie of its case.</summary>
    public IndexPartition<TOwner> With(IndexedEntry<TOwner> item)
    {
        Glob pattern = item.Entry.Pattern;
        SegmentText[] keys = Keys(pattern, out bool isPrefix);
        var slot = new Slot<TOwner>(item, isPrefix ? 0 : TrieSearch<TOwner>.Filter(pattern, keys.Length));
        return pattern.IgnoreCase
            ? new IndexPartition<TOwner>(Exact, Folded.Insert(keys, 0, slot, isPrefix))
            : new IndexPartition<TOwner>(Exact.Insert(keys, 0, slot, isPrefix), Folded);
    }

    /// <summary>This partition without <paramref name="item"/>.</summary>
    public IndexPartition<TOwner> Without(IndexedEntry<TOwner> item)
    {
        Glob pattern = item.Entry.Pattern;
        SegmentText[] keys = Keys(pattern, out bool isPrefix);
        return pattern.IgnoreCase
            ? new IndexPartition<TOwner>(Exact, Folded.Remove(keys, 0, item.Sequence, isPrefix) ?? TrieNode<TOwner>.Empty)
            : new IndexPartition<TOwner>(Exact.Remove(keys, 0, item.Sequence, isPrefix) ?? TrieNode<TOwner>.Empty, Folded);
    }

    /// <summary>
    /// The trie keys of a pattern: its shared leading literal segments (folded when it ignores case); and whether the
    /// walk alone decides its overlap (see <see cref="TrieNode{TOwner}.Prefix"/>): one case-sensitive alternative whose
    /// (valid) literal segments <c>K</c> are followed by nothing (<c>src/app.py</c>), by <c>/**</c>
    /// (<c>src/billing/**</c>) or by a globstar and a rest that can match some path (<c>src/**/*.md</c>, <c>**/*.md</c>).
    /// Such an entry overlaps exactly the queries that cover <c>K</c> or a path below it: at the first globstar the
    /// other side's path can always be extended (see <see cref="GlobOverlap.CoversIntersect"/>).
    /// </summary>
    private static SegmentText[] Keys(Glob pattern, out bool isPrefix)
    {
        ReadOnlySpan<Segment> first = pattern.Alternatives[0].Match;
        var keys = new SegmentText[pattern.LeadingLiteralCount()];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = pattern.IgnoreCase ? KeyFolding.Fold(first[i].LiteralText) : first[i].LiteralText;
        }

        isPrefix = false;
        if (!pattern.IgnoreCase && pattern.Alternatives.Length == 1)
        {
            ReadOnlySpan<Segment> match = pattern.Alternatives[0].Match;
            int k = keys.Length;
            bool valid = true;
            for (int i = 0; i < k; i++)
            {
                valid &= match[i].LiteralIsValidName;
            }

            isPrefix = valid
                && (match.Length == k
                    || (match.Length == k + 2 && match[k].Kind == SegmentKind.AnyName && match[k + 1].Kind == SegmentKind.Globstar)
                    || (match[k].Kind == SegmentKind.Globstar && CoverWalker.CanMatchAll(match, k)));
        }

        return keys;
    }
}
