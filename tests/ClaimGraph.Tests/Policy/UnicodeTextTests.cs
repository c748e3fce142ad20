using ClaimGraph.Policy;

namespace ClaimGraph.Tests.Policy;

/// <summary><see cref="UnicodeText"/>: the text rule of events, callable by stores before they write.</summary>
public class UnicodeTextTests
{
    /// <summary>Texts and the expected index; test cases are numbered because the runner would replace lone surrogates in their display.</summary>
    private static readonly (string Text, int Expected)[] Cases =
    [
        ("", -1),
        ("abc", -1),
        ("a\uD83D\uDE00b", -1),
        ("\0", 0),
        ("ab\0", 2),
        ("a\uD800", 1),
        ("a\uDC00b", 1),
        ("\uDE00\uD83D", 0),
        ("\uD83D\uD83D\uDE00", 0),
    ];

    public static TheoryData<int> CaseNumbers => [.. Enumerable.Range(0, Cases.Length)];

    [Theory]
    [MemberData(nameof(CaseNumbers))]
    public void IndexOfInvalid_Text_FirstNulOrLoneSurrogate(int number)
    {
        (string text, int expected) = Cases[number];

        Assert.Equal(expected, UnicodeText.IndexOfInvalid(text));
        Assert.Equal(expected < 0, UnicodeText.IsValid(text));
    }

    [Fact]
    public void FindProblem_ValidEvent_Null()
    {
        Assert.Null(UnicodeText.FindProblem(new RunRequested("e", 0, "r", "a", ["write src/**"])));
        Assert.Null(UnicodeText.FindProblem(new RunFailed("e", 0, "r", 1, true) { Message = null }));
    }

    [Fact]
    public void FindProblem_BadClaimLine_NamesFieldAndIndex()
    {
        string? problem = UnicodeText.FindProblem(new RunRequested("e", 0, "r", "a", ["write a/**", "write b\0"]));

        Assert.Equal("a claim line holds a NUL character at index 7; event text must be valid Unicode without NUL", problem);
    }

    [Fact]
    public void FindProblem_DefaultArrays_NoThrow()
    {
        Assert.Null(UnicodeText.FindProblem(new RunRequested("e", 0, "r", "a", default)));
        Assert.Null(UnicodeText.FindProblem(new ClaimsAmended("e", 0, "r", 1, default)));
    }
    [Fact]
    public void FindProblem_AssumedState_EveryFieldChecked()
    {
        Assert.Equal(
            "an assumption holds a NUL character at index 6; event text must be valid Unicode without NUL",
            UnicodeText.FindProblem(new RunRequested("e", 0, "r", "a", ["write src/**"]) { Assumes = ["schema\0@v1"] }));
        Assert.StartsWith("the base revision holds a lone UTF-16 surrogate", UnicodeText.FindProblem(
            new RunRequested("e", 0, "r", "a", ["write src/**"]) { Base = "main", BaseRevision = "c\ud800" }), StringComparison.Ordinal);
        Assert.StartsWith("a changed path holds", UnicodeText.FindProblem(
            new NamedBaseAdvanced("e", 0, "main", "c2") { ChangedPaths = ["src/\udc00"] }), StringComparison.Ordinal);
        Assert.StartsWith("the version holds", UnicodeText.FindProblem(new ResourceChanged("e", 0, "schema:billing", "v\0")), StringComparison.Ordinal);
        Assert.Null(UnicodeText.FindProblem(new ResourceChanged("e", 0, "schema:billing", "v43")));
    }
}
