namespace ClaimGraph.Hosting.Tests;

internal static class TestPaths
{
    /// <summary>The folder holding <c>ClaimGraph.sln</c>, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "ClaimGraph.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException($"No ClaimGraph.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The lines between <c>// NAME:start</c> and <c>// NAME:end</c> in a source file, without their common indentation.</summary>
    public static string Region(string source, string name)
    {
        string text = source.ReplaceLineEndings("\n");
        string start = "// " + name + ":start\n", end = "// " + name + ":end";
        int s = text.IndexOf(start, StringComparison.Ordinal);
        int e = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(s >= 0 && e > s, $"region {name} not found");
        string[] lines = text[(s + start.Length)..e].TrimEnd(' ').Split('\n');
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd();
    }
}
