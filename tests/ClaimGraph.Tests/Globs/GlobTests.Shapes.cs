using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Globs;

/// <summary>Examples for the matching routines chosen at parse time for common pattern shapes, with case folding and braces.</summary>
public partial class GlobTests
{
    [Theory]
    [InlineData("src/billing/**", "src/billing/a/b.cs", GlobOptions.None, true)]
    [InlineData("src/billing/**", "src/billing", GlobOptions.None, false)]
    [InlineData("src/billing/**", "src/billingx/a", GlobOptions.None, false)]
    [InlineData("src/billing/**", "SRC/Billing/a", GlobOptions.None, false)]
    [InlineData("src/billing/**", "SRC/Billing/a", GlobOptions.IgnoreCase, true)]
    [InlineData("**", "a", GlobOptions.None, true)]
    [InlineData("**/*.md", "README.md", GlobOptions.None, true)]
    [InlineData("**/*.md", "docs/a/b.md", GlobOptions.None, true)]
    [InlineData("**/*.md", "docs/a.md/b", GlobOptions.None, false)]
    [InlineData("**/*.md", "docs/A.MD", GlobOptions.IgnoreCase, true)]
    [InlineData("**/Makefile", "a/Makefile", GlobOptions.None, true)]
    [InlineData("**/Makefile", "a/xMakefile", GlobOptions.None, false)]
    [InlineData("src/**/handlers/*.cs", "src/handlers/a.cs", GlobOptions.None, true)]
    [InlineData("src/**/handlers/*.cs", "src/x/y/handlers/a.cs", GlobOptions.None, true)]
    [InlineData("src/**/handlers/*.cs", "handlers/a.cs", GlobOptions.None, false)]
    [InlineData("src/**/handlers/*.cs", "src/a.cs", GlobOptions.None, false)]
    [InlineData("src/*/schema.sql", "src/billing/schema.sql", GlobOptions.None, true)]
    [InlineData("src/*/schema.sql", "src/schema.sql", GlobOptions.None, false)]
    [InlineData("src/*/schema.sql", "src/a/b/schema.sql", GlobOptions.None, false)]
    [InlineData("src/*/schema.sql", "Src/A/Schema.SQL", GlobOptions.IgnoreCase, true)]
    [InlineData("src/app.py", "SRC/APP.PY", GlobOptions.IgnoreCase, true)]
    [InlineData("src/app.py", "src/app.py/x", GlobOptions.None, false)]
    [InlineData("{src,lib}/**", "lib/a", GlobOptions.None, true)]
    [InlineData("{src/a.py,**/*.md}", "x/y.md", GlobOptions.None, true)]
    [InlineData("{src/a.py,**/*.md}", "src/a.py", GlobOptions.None, true)]
    [InlineData("{src/a.py,**/*.md}", "src/b.py", GlobOptions.None, false)]
    public void IsMatch_CompiledShapes_MatchAsTheDialectSays(string pattern, string path, GlobOptions options, bool expected) =>
        Assert.Equal(expected, Glob.Parse(pattern, options).IsMatch(path));

    [Theory]
    [InlineData("src/app.py", "src/app.py/x", true)]
    [InlineData("src/app.py", "src/app.pyx", false)]
    [InlineData("src/app.py", "src", false)]
    [InlineData("**/*.md", "a.md/b/c", true)]
    [InlineData("src/*/schema.sql", "src/a/schema.sql/x", true)]
    public void Covers_CompiledShapes_CoverDescendants(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Glob.Parse(pattern).Covers(path));

    [Theory]
    [InlineData("src/billing/**", "")]
    [InlineData("src/billing/**", "src/billing/")]
    [InlineData("**/*.md", "docs//a.md")]
    [InlineData("**/*.md", "docs/../a.md")]
    [InlineData("src/app.py", "src\\app.py")]
    [InlineData("src/app.py", "/src/app.py")]
    [InlineData("src/*/schema.sql", "src/./schema.sql")]
    public void IsMatch_InvalidPathOnCompiledShape_ThrowsInvalidPathException(string pattern, string path)
    {
        Glob glob = Glob.Parse(pattern);
        Assert.Throws<InvalidPathException>(() => glob.IsMatch(path));
        Assert.Throws<InvalidPathException>(() => glob.Covers(path));
    }
}
