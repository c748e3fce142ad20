using System.Collections.Immutable;
using System.IO.Compression;
using System.Text.Json;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Index;
using ClaimGraph.Serialization;
using ClaimGraph.Tests.Globs;

namespace ClaimGraph.Tests.Index;

/// <summary>
/// The index on real data (the corpus): claims from CODEOWNERS files (read with <see cref="GitignoreReader"/>),
/// directories and files of the corpus trees, and the files of corpus commits give the same answers as a linear
/// scan with the exact check.
/// </summary>
public class OverlapIndexCorpusTests
{
    /// <summary>The repositories with both a tree and a CODEOWNERS file.</summary>
    public static TheoryData<string> Trees => new()
    {
        "dotnet__aspire",
        "open-telemetry__opentelemetry-collector",
        "prometheus__prometheus",
        "grafana__loki",
        "hashicorp__terraform",
    };

    /// <summary>The repositories with a commit history.</summary>
    public static TheoryData<string> Histories => new()
    {
        "dotnet__aspire",
        "open-telemetry__opentelemetry-collector",
        "prometheus__prometheus",
    };

    /// <summary>The large CODEOWNERS files that have no tree in the corpus.</summary>
    public static TheoryData<string> LargeCodeowners => new()
    {
        "grafana__grafana__CODEOWNERS",
        "home-assistant__core__CODEOWNERS",
        "nodejs__node__CODEOWNERS",
        "dotnet__runtime__CODEOWNERS",
        "open-telemetry__opentelemetry-collector-contrib__CODEOWNERS",
    };

    [SkippableTheory]
    [MemberData(nameof(Trees))]
    public void Query_CodeownersDirectoriesAndFiles_SameAsLinearScan(string repo)
    {
        string? root = CorpusFiles.Root;
        Skip.If(root is null, CorpusFiles.SkipReason);
        List<string> files = CorpusFiles.Tree(root, repo)!;
        string[] directories = Directories(files);
        var entries = new List<(int Owner, ClaimEntry Entry)>();
        foreach (Glob g in Codeowners(root, repo + "__CODEOWNERS"))
        {
            entries.Add((entries.Count % 50, new ClaimEntry(ClaimMode.Write, g)));
        }

        // Every directory as a prefix claim and every seventh file, read or write by turns.
        foreach (string dir in directories)
        {
            entries.Add((entries.Count % 50, new ClaimEntry(entries.Count % 2 == 0 ? ClaimMode.Write : ClaimMode.Read, Glob.Parse(ClaimEntry.EscapePath(dir) + "/**"))));
        }

        for (int i = 0; i < files.Count; i += 7)
        {
            entries.Add((entries.Count % 50, new ClaimEntry(ClaimMode.Read, Glob.Parse(ClaimEntry.EscapePath(files[i])))));
        }

        OverlapIndex<int> index = Build(entries);
        IEnumerable<Glob> queries = Every(files, 150).Select(f => Glob.Parse(ClaimEntry.EscapePath(f)))
            .Concat(Every(directories, 60).Select(d => Glob.Parse(ClaimEntry.EscapePath(d) + "/**")))
            .Concat(Codeowners(root, repo + "__CODEOWNERS"))
            .Append(Glob.Parse("**/*.md"))
            .Append(Glob.Parse("*/*/*_test.go"));
        int checkedQueries = AssertQueriesMatchLinearScan(index, queries);

        Assert.True(checkedQueries > 200, $"only {checkedQueries} queries");
    }

    [SkippableTheory]
    [MemberData(nameof(LargeCodeowners))]
    public void Query_LargeCodeownersPatternsAgainstEachOther_SameAsLinearScan(string file)
    {
        string? root = CorpusFiles.Root;
        Skip.If(root is null, CorpusFiles.SkipReason);
        Glob[] patterns = Codeowners(root, file).ToArray();
        OverlapIndex<int> index = Build(patterns.Select((g, i) => (i % 40, new ClaimEntry(ClaimMode.Write, g))).ToList());

        // Every pattern is stored; a third of them (all for small files) are asked, to keep the test fast.
        int checkedQueries = AssertQueriesMatchLinearScan(index, Every(patterns, 600));

        Assert.True(checkedQueries >= Math.Min(patterns.Length, 600), $"{checkedQueries} of {patterns.Length}");
        Assert.True(patterns.Length > 20);
    }

    [SkippableTheory]
    [MemberData(nameof(Histories))]
    public void Conflicts_CommitFiles_SameAsLinearScanAndSharedPaths(string repo)
    {
        string? root = CorpusFiles.Root;
        Skip.If(root is null, CorpusFiles.SkipReason);
        List<string[]> commits = Commits(root, repo, 500);
        ClaimSet[] sets = commits.Select(files => ClaimSet.Create(files.Select(f => ClaimEntry.Write(ClaimEntry.EscapePath(f))))).ToArray();
        OverlapIndex<int> index = OverlapIndex.Create<int>();
        for (int i = 0; i < 400; i++)
        {
            index = index.Add(i, sets[i]);
        }

        int conflicting = 0;
        for (int q = 400; q < sets.Length; q++)
        {
            ImmutableArray<IndexConflict<int>> actual = index.Conflicts(sets[q]);
            var linear = Enumerable.Range(0, 400).Where(i => ClaimSet.Conflicts(sets[q], sets[i]).IsConflict).ToArray();
            var shared = Enumerable.Range(0, 400).Where(i => SharePath(commits[q], commits[i])).ToArray();

            Assert.Equal(linear, actual.Select(c => c.Owner));
            Assert.Equal(shared, linear);
            foreach (IndexConflict<int> c in actual)
            {
                Assert.False(c.IsConservative);
                Assert.True(c.Conflict.Left.Pattern.Covers(c.Conflict.Witness) && c.Conflict.Right.Pattern.Covers(c.Conflict.Witness));
            }

            conflicting += actual.Length;
        }

        Assert.True(conflicting > 0, "no commit shared a file with an earlier one: the test would prove nothing");
    }

    private static OverlapIndex<int> Build(List<(int Owner, ClaimEntry Entry)> entries)
    {
        OverlapIndex<int> index = OverlapIndex.Create<int>();
        foreach ((int owner, ClaimEntry entry) in entries)
        {
            index = index.Add(owner, entry);
        }

        return index;
    }

    /// <summary>Checks every query against the linear scan (same entries, same order, valid witnesses); returns how many.</summary>
    private static int AssertQueriesMatchLinearScan(OverlapIndex<int> index, IEnumerable<Glob> queries)
    {
        IndexedEntry<int>[] stored = [.. index.Entries];
        int count = 0;
        foreach (Glob q in queries)
        {
            ImmutableArray<IndexMatch<int>> hits = index.Query(q);
            IndexedEntry<int>[] linear = stored.Where(e => Glob.Overlaps(e.Entry.Pattern, q)).ToArray();
            Assert.True(
                linear.Select(e => (e.Owner, e.Sequence)).SequenceEqual(hits.Select(h => (h.Owner, h.Stored.Sequence))),
                $"query {q}: index {hits.Length} hits, linear scan {linear.Length}");

            // Witnesses are lazy; check a few per query.
            foreach (IndexMatch<int> h in hits.Take(3))
            {
                Assert.True(h.Entry.Pattern.Covers(h.Witness) && q.Covers(h.Witness), $"{h} for {q}");
            }

            count++;
        }

        return count;
    }

    private static IEnumerable<Glob> Codeowners(string root, string file)
    {
        string path = Path.Combine(root, "patterns", file);
        foreach (GitignoreLine line in GitignoreReader.ReadAll(File.ReadAllText(path), PatternFileFormat.Codeowners))
        {
            if (line.Glob is not null)
            {
                yield return line.Glob;
            }
        }
    }

    private static List<string[]> Commits(string root, string repo, int max)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(Path.Combine(root, "history", repo + ".jsonl.gz")), CompressionMode.Decompress));
        var commits = new List<string[]>();
        while (commits.Count < max && reader.ReadLine() is { } line)
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            commits.Add(doc.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToArray());
        }

        return commits;
    }

    /// <summary>Whether two commits touch a common path, or one touches a path below one the other touches.</summary>
    private static bool SharePath(string[] a, string[] b)
    {
        var set = new HashSet<string>(b, StringComparer.Ordinal);
        var bPrefixes = new HashSet<string>(b.SelectMany(Ancestors), StringComparer.Ordinal);
        return a.Any(p => set.Contains(p) || bPrefixes.Contains(p) || Ancestors(p).Any(set.Contains));
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (int i = path.IndexOf('/', StringComparison.Ordinal); i > 0; i = path.IndexOf('/', i + 1))
        {
            yield return path[..i];
        }
    }

    private static string[] Directories(IEnumerable<string> files) =>
        files.SelectMany(Ancestors).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    private static IEnumerable<T> Every<T>(IReadOnlyList<T> items, int count)
    {
        int step = Math.Max(1, items.Count / count);
        for (int i = 0; i < items.Count; i += step)
        {
            yield return items[i];
        }
    }
}
