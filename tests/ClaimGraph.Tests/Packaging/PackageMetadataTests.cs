using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ClaimGraph.Policy;
using static ClaimGraph.Tests.Packaging.PackagingProcess;

namespace ClaimGraph.Tests.Packaging;

/// <summary>
/// What nuget.org shows for each package: every package is packed (<c>dotnet pack --no-build</c>, from the builds this
/// test project was built against) and its <c>.nuspec</c> must name a readme, an icon, the MIT license expression,
/// the project URL, tags and release notes taken from CHANGELOG.md; the packed readme must hold only absolute links
/// (nuget.org resolves neither relative links nor relative images).
/// </summary>
[Collection(PackagingProcess.Collection)]
public sealed class PackageMetadataTests : IClassFixture<PackageMetadataTests.PackedPackages>
{
    private const string ProjectUrl = "https://github.com/claimgraph/claimgraph";

    private readonly PackedPackages _packed;

    public PackageMetadataTests(PackedPackages packed) => _packed = packed;

    private static readonly string[] Ids = ["ClaimGraph", "ClaimGraph.Postgres", "ClaimGraph.Cli", "ClaimGraph.Hosting"];

    public static TheoryData<string> Packages => new(Ids);

    [Theory]
    [MemberData(nameof(Packages))]
    public void Nuspec_Package_HasReadmeIconLicenseProjectUrlTagsAndReleaseNotes(string id)
    {
        using ZipArchive package = _packed.Open(id);
        XElement metadata = Metadata(package, id);

        Assert.Equal(id, Value(metadata, "id"));
        Assert.Equal(PropsVersion(), Value(metadata, "version"));
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Equal("icon.png", Value(metadata, "icon"));
        Assert.Equal(ProjectUrl, Value(metadata, "projectUrl"));
        XElement license = Element(metadata, "license");
        Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "tags")), $"{id} has no tags");
        Assert.Equal(ExpectedReleaseNotes(Value(metadata, "version")), Value(metadata, "releaseNotes"));

        byte[] icon = ReadBytes(package, "icon.png");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, icon[..4]);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void PackedReadme_Package_IsTheProjectsOwnAndHasOnlyAbsoluteLinks(string id)
    {
        using ZipArchive package = _packed.Open(id);
        string readme = ReadText(package, "README.md");

        string own = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", id, "README.md"));
        Assert.Equal(own, readme);
        Assert.StartsWith("# " + id + "\n", readme.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Empty(RelativeLinks(readme));
    }

    [Fact]
    public void ToolPackage_Tags_NameTheDotnetTool()
    {
        using ZipArchive package = _packed.Open("ClaimGraph.Cli");
        Assert.Contains("dotnet-tool", Value(Metadata(package, "ClaimGraph.Cli"), "tags").Split(' '));
    }

    [Fact]
    public void License_RepositoryRoot_IsMitLikeTheExpression()
    {
        string license = File.ReadAllText(Path.Combine(RepositoryRoot(), "LICENSE"));
        Assert.StartsWith("MIT License", license, StringComparison.Ordinal);
        Assert.Contains("Permission is hereby granted, free of charge", license, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeLinks_RootReadme_AreFound()
    {
        // The check can fail: the repository's own README links to docs/ and examples/ relatively (fine on GitHub).
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        Assert.Contains("docs/policy.md", RelativeLinks(readme));
    }

    [Theory]
    [InlineData("see [policy](docs/policy.md).", "docs/policy.md")]
    [InlineData("![chart](docs/simulation/chart.svg)", "docs/simulation/chart.svg")]
    [InlineData("[top](#the-glob-dialect)", "#the-glob-dialect")]
    [InlineData("<img src=\"icon.png\" alt=\"\">", "icon.png")]
    [InlineData("<a href='../LICENSE'>license</a>", "../LICENSE")]
    [InlineData("[policy]: docs/policy.md", "docs/policy.md")]
    [InlineData("[ok](https://example.org/a) and [bad](http://example.org/b)", "http://example.org/b")]
    public void RelativeLinks_Markdown_FindsEveryTargetThatIsNotHttps(string markdown, string expected) =>
        Assert.Equal([expected], RelativeLinks(markdown));

    [Theory]
    [InlineData("[readme](https://github.com/claimgraph/claimgraph/blob/main/README.md#the-simulator)")]
    [InlineData("`[x](y)` in code is text: not `a`, ``[x](y)``")]
    [InlineData("```csharp\nvar a = b[0](1);\n```")]
    [InlineData("plain text with (parentheses) and [brackets]")]
    public void RelativeLinks_AbsoluteOrCode_FindsNone(string markdown) => Assert.Empty(RelativeLinks(markdown));

    /// <summary>
    /// Every link or image target in <paramref name="markdown"/> that is not an absolute https URL: inline links and
    /// images, reference definitions, and HTML <c>src</c>/<c>href</c> attributes. Code spans and fenced code are skipped.
    /// </summary>
    internal static List<string> RelativeLinks(string markdown)
    {
        string text = Regex.Replace(markdown.ReplaceLineEndings("\n"), @"(?ms)^```.*?^```[^\n]*$", string.Empty);
        text = Regex.Replace(text, @"(`+)(?:(?!\1).)+?\1", string.Empty);
        var targets = new List<string>();
        foreach (Match m in Regex.Matches(text, @"\]\(\s*<?([^)\s>]+)"))
        {
            targets.Add(m.Groups[1].Value);
        }

        foreach (Match m in Regex.Matches(text, @"(?m)^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)"))
        {
            targets.Add(m.Groups[1].Value);
        }

        foreach (Match m in Regex.Matches(text, @"(?i)\b(?:src|href)\s*=\s*[""']([^""']*)[""']"))
        {
            targets.Add(m.Groups[1].Value);
        }

        return targets.Where(t => !t.StartsWith("https://", StringComparison.Ordinal)).ToList();
    }

    /// <summary>The CHANGELOG section of <paramref name="version"/> (or of Unreleased when it has none), then a link to it all.</summary>
    private static string ExpectedReleaseNotes(string version)
    {
        string[] lines = File.ReadAllText(Path.Combine(RepositoryRoot(), "CHANGELOG.md")).ReplaceLineEndings("\n").Split('\n');
        int start = Array.FindIndex(lines, l => l.StartsWith($"## [{version}]", StringComparison.Ordinal));
        if (start < 0)
        {
            start = Array.FindIndex(lines, l => l.StartsWith("## [Unreleased]", StringComparison.Ordinal));
        }

        Assert.True(start >= 0, $"CHANGELOG.md has neither a {version} nor an Unreleased section");
        int end = Array.FindIndex(lines, start + 1, l => l.StartsWith("## [", StringComparison.Ordinal));
        string section = string.Join('\n', lines[(start + 1)..(end < 0 ? lines.Length : end)]).Trim();
        Assert.NotEmpty(section);
        return section + "\n\nFull changelog: " + ProjectUrl + "/blob/main/CHANGELOG.md";
    }

    private static string PropsVersion()
    {
        XDocument props = XDocument.Load(Path.Combine(RepositoryRoot(), "Directory.Build.props"));
        return Assert.Single(props.Descendants("Version")).Value;
    }

    private static XElement Metadata(ZipArchive package, string id)
    {
        using Stream stream = Assert.Single(package.Entries, e => e.FullName == id + ".nuspec").Open();
        XElement root = XDocument.Load(stream).Root!;
        return Element(root, "metadata");
    }

    private static XElement Element(XElement parent, string name) =>
        Assert.Single(parent.Elements(), e => e.Name.LocalName == name);

    private static string Value(XElement metadata, string name) => Element(metadata, name).Value.ReplaceLineEndings("\n");

    private static byte[] ReadBytes(ZipArchive package, string name)
    {
        using Stream stream = Assert.Single(package.Entries, e => e.FullName == name).Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ReadText(ZipArchive package, string name) => System.Text.Encoding.UTF8.GetString(ReadBytes(package, name));

    /// <summary>Every package, packed once for the class into a temporary folder.</summary>
    public sealed class PackedPackages : IDisposable
    {
        private readonly string _feed = Path.Combine(Path.GetTempPath(), "claimgraph-pack-" + Guid.NewGuid().ToString("N"));

        public PackedPackages()
        {
            string root = RepositoryRoot();
            string configuration = typeof(ClaimPolicy).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            foreach (string id in Ids)
            {
                string project = Path.Combine(root, "src", id, id + ".csproj");
                Result pack = Run(Dotnet, root, "pack", project, "-c", configuration, "--no-build", "-o", _feed, "-nodeReuse:false");
                Assert.True(pack.ExitCode == 0, $"dotnet pack {id} failed:\n{pack.Output}");
            }
        }

        public ZipArchive Open(string id) =>
            ZipFile.OpenRead(Assert.Single(Directory.GetFiles(_feed, id + ".*.nupkg"), f => Path.GetFileName(f) == $"{id}.{PropsVersion()}.nupkg"));

        public void Dispose()
        {
            if (Directory.Exists(_feed))
            {
                Directory.Delete(_feed, recursive: true);
            }
        }
    }
}
