namespace ClaimGraph.Tests.Cli;

/// <summary>A directory tree made for one test under the temporary folder, deleted on dispose.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Root = Path.Combine(Path.GetTempPath(), "claimgraph-tree-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Writes files given as <c>/</c>-separated paths relative to the root, each containing <c>x</c>.</summary>
    public TempTree Files(params string[] paths)
    {
        foreach (string path in paths)
        {
            Write(path, "x");
        }

        return this;
    }

    /// <summary>Writes one file; returns its full path.</summary>
    public string Write(string path, string content)
    {
        string full = Path.Combine(Root, path.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
