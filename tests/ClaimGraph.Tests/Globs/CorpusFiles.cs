using System.IO.Compression;
using ClaimGraph.Globs;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Globs;

/// <summary>The real-world corpus (CODEOWNERS, .gitignore files, repository trees, histories), read through <c>CLAIMGRAPH_CORPUS</c> (null when unset).</summary>
internal static class CorpusFiles
{
    public const string SkipReason = "CLAIMGRAPH_CORPUS is not set";

    public static string? Root => Environment.GetEnvironmentVariable("CLAIMGRAPH_CORPUS");

    /// <summary>Every file of <c>patterns/</c> with its format, sorted by name.</summary>
    public static IEnumerable<(string Name, PatternFileFormat Format, string Text)> PatternFiles(string root) =>
        Directory.GetFiles(Path.Combine(root, "patterns"))
            .Order(StringComparer.Ordinal)
            .Select(path => (
                Path.GetFileName(path),
                path.EndsWith("CODEOWNERS", StringComparison.Ordinal) ? PatternFileFormat.Codeowners : PatternFileFormat.Gitignore,
                File.ReadAllText(path)));

    /// <summary>The file paths of <c>trees/&lt;owner&gt;__&lt;repo&gt;.txt.gz</c>, or null when there is no such tree.</summary>
    public static List<string>? Tree(string root, string ownerRepo)
    {
        string path = Path.Combine(root, "trees", ownerRepo + ".txt.gz");
        if (!File.Exists(path))
        {
            return null;
        }

        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var paths = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                paths.Add(line);
            }
        }

        return paths;
    }
}
