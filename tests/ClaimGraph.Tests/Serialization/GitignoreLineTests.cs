using ClaimGraph.Globs;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Serialization;

public class GitignoreLineTests
{
    [Theory]
    [InlineData("*.md @docs @web", PatternFileFormat.Codeowners, "1: **/*.md @docs @web")]
    [InlineData("!keep/", PatternFileFormat.Gitignore, "1: !**/keep/**")]
    [InlineData("# x", PatternFileFormat.Gitignore, "1: Comment")]
    [InlineData("", PatternFileFormat.Gitignore, "1: Blank")]
    [InlineData("!a @o", PatternFileFormat.Codeowners, "1: unsupported (NegationInCodeowners): CODEOWNERS does not support '!' negation")]
    public void ToString_Line_DescribesIt(string line, PatternFileFormat format, string expected) =>
        Assert.Equal(expected, GitignoreReader.ReadLine(line, format).ToString());

    [Fact]
    public void Properties_GitignoreLine_HaveNoOwnersAndKeepTheText()
    {
        GitignoreLine line = GitignoreReader.ReadLine("bin/  \r", PatternFileFormat.Gitignore, 3);
        Assert.Equal("bin/  ", line.Text);
        Assert.Equal(3, line.LineNumber);
        Assert.False(line.HasOwners);
        Assert.True(line.Owners.IsEmpty);
        Assert.Null(line.Message);
        Assert.Null(line.Error);
    }
}
