using ClaimGraph.Globs;

namespace ClaimGraph.Cli;

/// <summary>
/// The files under a directory as repository paths (<c>/</c>-separated, relative to the directory), in ordinal order.
/// <c>.git</c> (a directory, or the file a worktree or submodule has) is skipped at every level; symbolic links are
/// listed as files and never followed (git stores a link, not what it points to). Names that are not valid
/// repository paths (<see cref="GlobPath"/>, e.g. with a <c>\</c>) are counted in <see cref="Skipped"/>.
/// </summary>
internal sealed class RepositoryTree
{
    private RepositoryTree(string[] files, int skipped)
    {
        Files = files;
        Skipped = skipped;
    }

    /// <summary>The files, ordinal order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Entries left out because their path is not a valid repository path.</summary>
    public int Skipped { get; }

    /// <summary>Walks <paramref name="root"/>.</summary>
    /// <exception cref="IOException">A directory cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A directory may not be read.</exception>
    public static RepositoryTree Walk(string root)
    {
        var files = new List<string>();
        int skipped = 0;
        var pending = new Stack<(DirectoryInfo Directory, string Prefix)>();
        pending.Push((new DirectoryInfo(root), string.Empty));
        while (pending.Count > 0)
        {
            (DirectoryInfo directory, string prefix) = pending.Pop();
            foreach (FileSystemInfo entry in directory.EnumerateFileSystemInfos("*", new EnumerationOptions
            {
                RecurseSubdirectories = false,
                AttributesToSkip = 0,
                IgnoreInaccessible = false,
                MatchType = MatchType.Simple,
            }))
            {
                if (string.Equals(entry.Name, ".git", StringComparison.Ordinal))
                {
                    continue;
                }

                string path = prefix + entry.Name;
                if (!GlobPath.IsValid(path))
                {
                    skipped++;
                }
                else if (entry is DirectoryInfo subdirectory && entry.LinkTarget is null)
                {
                    pending.Push((subdirectory, path + "/"));
                }
                else
                {
                    files.Add(path);
                }
            }
        }

        string[] sorted = [.. files];
        Array.Sort(sorted, StringComparer.Ordinal);
        return new RepositoryTree(sorted, skipped);
    }
}
