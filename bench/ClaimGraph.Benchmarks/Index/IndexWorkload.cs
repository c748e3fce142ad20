using System.IO.Compression;
using ClaimGraph.Claims;
using ClaimGraph.Globs;

namespace ClaimGraph.Benchmarks.Index;

/// <summary>
/// Deterministic claim workloads for the overlap-index benchmarks, drawn from real repository shapes.
/// </summary>
/// <remarks>
/// <para>
/// <b>Source.</b> With <c>CLAIMGRAPH_CORPUS</c> set, the file lists of <c>trees/*.txt.gz</c> (each repository under
/// its own top-level folder, as in a monorepo) and the CODEOWNERS files of <c>patterns/</c> (translated with
/// gitignore anchoring: a leading <c>/</c> or a <c>/</c> inside anchors, otherwise <c>**/</c> is prepended; each file
/// under the folder of a repository, in turn). Without it, a built-in tree: 6 top-level folders, nested
/// <c>m{n}</c> folders up to depth 6, about 40,000 files with 8 extensions, and CODEOWNERS-like lines for every
/// second-level folder (fixed seed 20261127).
/// </para>
/// <para>
/// <b>Stored entries</b> (fixed seed 42), by share: 43 % single files, 30 % directory prefixes (<c>dir/**</c>),
/// 8 % anchored CODEOWNERS patterns, 8 % mid-segment wildcards (<c>dir/*Tests.cs</c>, <c>dir/Foo*</c>), 6 % a
/// wildcard directory (<c>dir/*/name</c>), 5 % extension claims under the grandparent folder of a file (<c>a/b/**/*.ext</c>);
/// and, at every N, exactly <see cref="GlobalClaims"/> repository-wide claims (unanchored CODEOWNERS lines or
/// <c>**/*.ext</c>), which overlap every query. Modes: 60 % write, 10 % append, 30 % read; eight entries per owner.
/// </para>
/// <para>
/// <b>Queries.</b> Selective: 64 single files not used for entries (they hit the file's ancestors' prefix claims,
/// the wildcards that match it and the <c>**/*.ext</c> claims). Sparse: 64 files under a new top-level folder
/// (only the repository-wide claims hit). Broad: 16 second-level folder prefixes (<c>repo/dir/**</c>), which hit
/// every entry below them.
/// </para>
/// </remarks>
internal sealed class IndexWorkload
{
    private IndexWorkload(string source, string[] files, string[] directories, string[] codeowners)
    {
        Source = source;
        Files = files;
        Directories = directories;
        Codeowners = codeowners;
    }

    public string Source { get; }

    public string[] Files { get; }

    public string[] Directories { get; }

    public string[] Codeowners { get; }

    private static IndexWorkload? _cached;

    public static IndexWorkload Load()
    {
        if (_cached is not null)
        {
            return _cached;
        }

        string? corpus = Environment.GetEnvironmentVariable("CLAIMGRAPH_CORPUS");
        _cached = corpus is not null && Directory.Exists(Path.Combine(corpus, "trees")) ? FromCorpus(corpus) : BuiltIn();
        return _cached;
    }

    private static IndexWorkload FromCorpus(string corpus)
    {
        var files = new List<string>();
        var repos = new List<string>();
        foreach (string tree in Directory.GetFiles(Path.Combine(corpus, "trees"), "*.txt.gz").Order(StringComparer.Ordinal))
        {
            string repo = Path.GetFileName(tree).Split("__")[1].Replace(".txt.gz", string.Empty, StringComparison.Ordinal);
            repos.Add(repo);
            using var reader = new StreamReader(new GZipStream(File.OpenRead(tree), CompressionMode.Decompress));
            while (reader.ReadLine() is { } line)
            {
                string path = repo + "/" + line;
                if (GlobPath.IsValid(path))
                {
                    files.Add(path);
                }
            }
        }

        var owners = new List<string>();
        int r = 0;
        foreach (string file in Directory.GetFiles(Path.Combine(corpus, "patterns"), "*CODEOWNERS").Order(StringComparer.Ordinal))
        {
            string repo = repos[r++ % repos.Count];
            foreach (string line in File.ReadLines(file))
            {
                string? pattern = TranslateCodeowners(line);
                if (pattern is not null && Glob.TryParse(repo + "/" + pattern, out _))
                {
                    owners.Add(repo + "/" + pattern);
                }
            }
        }

        return new IndexWorkload("corpus " + corpus, [.. files], DirectoriesOf(files), [.. owners]);
    }

    /// <summary>The pattern of a CODEOWNERS line in the dialect (gitignore anchoring), or null for comments and blank lines.</summary>
    public static string? TranslateCodeowners(string line)
    {
        string trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed[0] == '#')
        {
            return null;
        }

        string pattern = trimmed.Split([' ', '\t'], 2)[0];
        bool anchored = pattern.StartsWith('/') || pattern.TrimEnd('/').Contains('/', StringComparison.Ordinal);
        pattern = pattern.TrimStart('/');
        if (pattern.Length == 0)
        {
            return null;
        }

        return anchored ? pattern : "**/" + pattern;
    }

    private static IndexWorkload BuiltIn()
    {
        var random = new Random(20261127);
        string[] tops = ["src", "lib", "docs", "tests", "tools", "eng"];
        string[] exts = ["cs", "go", "md", "json", "yaml", "ts", "py", "sql"];
        var files = new List<string>();
        var owners = new List<string>();
        foreach (string top in tops)
        {
            for (int d = 0; d < 30; d++)
            {
                string dir = $"{top}/m{d}";
                owners.Add($"/{dir}/");
                Fill(dir, 2);
            }
        }

        void Fill(string dir, int depth)
        {
            int count = random.Next(3, 25);
            for (int f = 0; f < count; f++)
            {
                files.Add($"{dir}/File{random.Next(1000)}{(random.Next(4) == 0 ? "Tests" : string.Empty)}.{exts[random.Next(exts.Length)]}");
            }

            if (depth < 6)
            {
                int subdirs = random.Next(0, depth < 3 ? 4 : 3);
                for (int s = 0; s < subdirs; s++)
                {
                    Fill($"{dir}/m{random.Next(100)}", depth + 1);
                }
            }
        }

        owners.AddRange(["*.md", "/docs/**/*.md", "*.sql", "/eng/**"]);
        string[] translated = owners.Select(TranslateCodeowners).OfType<string>().ToArray();
        string[] distinct = files.Distinct(StringComparer.Ordinal).ToArray();
        return new IndexWorkload("built-in generator (seed 20261127)", distinct, DirectoriesOf(distinct), translated);
    }

    private static string[] DirectoriesOf(IEnumerable<string> files)
    {
        var dirs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string f in files)
        {
            for (int i = f.IndexOf('/', StringComparison.Ordinal); i > 0; i = f.IndexOf('/', i + 1))
            {
                dirs.Add(f[..i]);
            }
        }

        return [.. dirs];
    }

    /// <summary><paramref name="n"/> entries with their owners (eight per owner), drawn with a fixed seed.</summary>
    public (int Owner, ClaimEntry Entry)[] Entries(int n)
    {
        var random = new Random(42);
        var result = new (int, ClaimEntry)[n];
        int globalEvery = Math.Max(1, n / GlobalClaims);
        for (int i = 0; i < n; i++)
        {
            int roll = random.Next(100);
            ClaimMode mode = roll < 60 ? ClaimMode.Write : roll < 70 ? ClaimMode.Append : ClaimMode.Read;
            string pattern = i % globalEvery == globalEvery / 2 ? GlobalPattern(random) : EntryPattern(random);
            result[i] = (i / 8, new ClaimEntry(mode, Glob.Parse(pattern)));
        }

        return result;
    }

    /// <summary>How many entries overlap every query (at every N): repository-wide claims are rare in practice.</summary>
    public const int GlobalClaims = 8;

    /// <summary>An unanchored CODEOWNERS pattern (<c>**/...</c>) or <c>**/*.ext</c>: it overlaps every pattern.</summary>
    private string GlobalPattern(Random random)
    {
        string[] unanchored = Codeowners.Where(p => p.Contains("/**/", StringComparison.Ordinal) && p.Split('/')[1] == "**").ToArray();
        if (unanchored.Length > 0 && random.Next(2) == 0)
        {
            string p = unanchored[random.Next(unanchored.Length)];
            return p[(p.IndexOf('/', StringComparison.Ordinal) + 1)..];
        }

        string file = Files[random.Next(Files.Length)];
        return "**/*" + ClaimEntry.EscapePath(Path.GetExtension(file).Length > 0 ? Path.GetExtension(file) : ".txt");
    }

    private string EntryPattern(Random random)
    {
        int shape = random.Next(100);
        string file = Files[random.Next(Files.Length)];
        string dir = Directories[random.Next(Directories.Length)];
        string name = file[(file.LastIndexOf('/') + 1)..];
        string parent = file.Contains('/', StringComparison.Ordinal) ? file[..file.LastIndexOf('/')] : file;
        string ext = name.Contains('.', StringComparison.Ordinal) ? name[(name.LastIndexOf('.') + 1)..] : "txt";
        string pattern = shape switch
        {
            < 43 => ClaimEntry.EscapePath(file),
            < 73 => ClaimEntry.EscapePath(dir) + "/**",
            < 81 => AnchoredCodeowners(random) ?? ClaimEntry.EscapePath(dir) + "/**",
            < 89 => random.Next(2) == 0
                ? ClaimEntry.EscapePath(parent) + "/*" + Fragment(name[(name.Length / 2)..])
                : ClaimEntry.EscapePath(parent) + "/" + Fragment(name[..Math.Max(1, name.Length / 2)]) + "*",
            < 95 => parent.Contains('/', StringComparison.Ordinal)
                ? ClaimEntry.EscapePath(parent[..parent.LastIndexOf('/')]) + "/*/" + ClaimEntry.EscapePath(name)
                : "*/" + ClaimEntry.EscapePath(name),
            _ => ClaimEntry.EscapePath(parent.Contains('/', StringComparison.Ordinal) ? parent[..parent.LastIndexOf('/')] : parent) + "/**/*." + Fragment(ext),
        };
        return Glob.TryParse(pattern, out _) ? pattern : ClaimEntry.EscapePath(file);
    }

    /// <summary>A CODEOWNERS pattern anchored below its repository folder (unanchored ones are global claims).</summary>
    private string? AnchoredCodeowners(Random random)
    {
        for (int attempt = 0; attempt < 4 && Codeowners.Length > 0; attempt++)
        {
            string p = Codeowners[random.Next(Codeowners.Length)];
            if (p.Split('/')[1] != "**")
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>Part of a name, escaped (it may be '.', which is no valid path on its own).</summary>
    private static string Fragment(string part) => ClaimEntry.EscapePath("x" + part)[1..];

    /// <summary>64 single-file queries (fixed seed 7).</summary>
    public Glob[] SelectiveQueries()
    {
        var random = new Random(7);
        return Enumerable.Range(0, 64).Select(_ => Glob.Parse(ClaimEntry.EscapePath(Files[random.Next(Files.Length)]))).ToArray();
    }

    /// <summary>
    /// 64 files in folders that no claim names (<c>new-N/</c> plus the folders of a real file): they hit only the
    /// repository-wide claims (fixed seed 5).
    /// </summary>
    public Glob[] SparseQueries()
    {
        var random = new Random(5);
        return Enumerable.Range(0, 64).Select(i => Glob.Parse(ClaimEntry.EscapePath($"new-{i}/" + Files[random.Next(Files.Length)]))).ToArray();
    }

    /// <summary>
    /// Claim sets shaped like a run's declaration (fixed seed 13): two single files and a folder prefix at depth 3 or
    /// more written, one more file read; with <paramref name="readOnly"/>, four files and a folder prefix read (a
    /// read-only run, which conflicts only with Write entries).
    /// </summary>
    public ClaimSet[] ClaimQueries(int count, bool readOnly)
    {
        var random = new Random(readOnly ? 17 : 13);
        string[] deep = Directories.Where(d => d.Count(c => c == '/') >= 2).ToArray();
        string[] dirs = deep.Length > 0 ? deep : Directories;
        var sets = new ClaimSet[count];
        for (int i = 0; i < count; i++)
        {
            ClaimMode files = readOnly ? ClaimMode.Read : ClaimMode.Write;
            sets[i] = ClaimSet.Create(
            [
                ClaimEntry.ForPath(files, Files[random.Next(Files.Length)]),
                ClaimEntry.ForPath(files, Files[random.Next(Files.Length)]),
                new ClaimEntry(files, Glob.Parse(ClaimEntry.EscapePath(dirs[random.Next(dirs.Length)]) + "/**")),
                ClaimEntry.ForPath(ClaimMode.Read, Files[random.Next(Files.Length)]),
                ClaimEntry.ForPath(ClaimMode.Read, Files[random.Next(Files.Length)]),
            ]);
        }

        return sets;
    }

    /// <summary>16 second-level folder prefixes (fixed seed 11).</summary>
    public Glob[] BroadQueries()
    {
        var random = new Random(11);
        string[] second = Directories.Where(d => d.Count(c => c == '/') == 1).ToArray();
        return Enumerable.Range(0, 16).Select(_ => Glob.Parse(ClaimEntry.EscapePath(second[random.Next(second.Length)]) + "/**")).ToArray();
    }
}
