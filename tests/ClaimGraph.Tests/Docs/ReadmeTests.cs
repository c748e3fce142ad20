using System.Text;

namespace ClaimGraph.Tests.Docs;

/// <summary>The README's example compiles (it is this project's code), runs, and is quoted exactly; its reason-code table matches the enum.</summary>
public class ReadmeTests
{
    internal static string RepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "ClaimGraph.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("ClaimGraph.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Region(string text, string name)
    {
        string start = "// " + name + ":start\n", end = "// " + name + ":end";
        int s = text.IndexOf(start, StringComparison.Ordinal);
        int e = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(s >= 0 && e > s, $"region {name} not found");
        string body = text[(s + start.Length)..e];
        string[] lines = body.Split('\n');
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd();
    }

    [Fact]
    public void ReadmeExample_Runs_AdmitsDisjointRunsAndHoldsTheConflictingOne()
    {
        IReadOnlyList<string> lines = ReadmeExample.Run();
        Assert.Equal("witness: src/billing/schema.sql", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Admit r1 (Admitted)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Admit r2 (Admitted)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Hold r3 (ClaimConflict)", StringComparison.Ordinal));
        Assert.Contains("segment 1: 'docs' vs 'src'", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_QuotesTheCompiledExampleExactly()
    {
        string root = RepoRoot();
        string source = File.ReadAllText(Path.Combine(root, "tests/ClaimGraph.Tests/Docs/ReadmeExample.cs")).Replace("\r\n", "\n", StringComparison.Ordinal);
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains(Region(source, "readme-usings"), readme, StringComparison.Ordinal);
        Assert.Contains(Region(source, "readme-example"), readme, StringComparison.Ordinal);
    }

    /// <summary>The table the README must contain between its reason-code markers.</summary>
    internal static string ReasonCodeTable()
    {
        var sb = new StringBuilder();
        sb.Append("| code | name | decision |\n|---:|---|---|\n");
        foreach (ReasonCode code in Enum.GetValues<ReasonCode>().Where(c => c != ReasonCode.None).OrderBy(c => (int)c))
        {
            int n = (int)code;
            string kind = n switch
            {
                < 10 => "Admit",
                < 20 => "Hold",
                < 30 => "Cancel",
                < 40 => "Retry",
                < 50 => "AmendmentDenied",
                < 60 => "ClaimViolation",
                _ => "Reject",
            };
            sb.Append("| ").Append(n).Append(" | `").Append(code).Append("` | ").Append(kind).Append(" |\n");
        }

        return sb.ToString().TrimEnd();
    }

    [Fact]
    public void Readme_ReasonCodeTable_MatchesTheEnum()
    {
        string readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        const string start = "<!-- reason-codes:start -->\n", end = "\n<!-- reason-codes:end -->";
        int s = readme.IndexOf(start, StringComparison.Ordinal);
        int e = readme.IndexOf(end, StringComparison.Ordinal);
        Assert.True(s >= 0 && e > s, "README has no reason-code markers");
        Assert.Equal(ReasonCodeTable(), readme[(s + start.Length)..e].Trim());
    }
}
