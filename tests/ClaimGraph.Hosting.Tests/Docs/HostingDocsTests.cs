namespace ClaimGraph.Hosting.Tests.Docs;

/// <summary>docs/hosting.md quotes the compiled PostgreSQL example exactly, so it keeps up with ClaimGraph.Postgres's API.</summary>
public sealed class HostingDocsTests
{
    [Theory]
    [InlineData("doc-registration")]
    public void HostingDoc_PostgresExample_IsTheCompiledCode(string region)
    {
        string root = TestPaths.RepositoryRoot();
        string source = File.ReadAllText(Path.Combine(root, "tests", "ClaimGraph.Hosting.Tests", "Docs", "PostgresHostingExample.cs"));
        string doc = File.ReadAllText(Path.Combine(root, "docs", "hosting.md")).ReplaceLineEndings("\n");
        Assert.Contains(TestPaths.Region(source, region), doc, StringComparison.Ordinal);
    }
}
