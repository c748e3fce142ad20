using System.Text.Json;
using ClaimGraph.Cli;
using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Cli;

public class OverlapCommandTests
{
    [Theory]
    [InlineData("src/billing/**", "src/*/schema.sql", "src/billing/schema.sql")]
    [InlineData("src/*.py", "src/foo*", "src/foo.py")]
    [InlineData("src/**", "src/app.py", "src/app.py")]
    public void Overlap_OverlappingPatterns_PrintsWitness(string a, string b, string witness)
    {
        CliRun run = CliRun.Of("overlap", a, b);

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(["overlaps: yes", $"witness: {witness}"], run.Lines);
        Assert.Equal(string.Empty, run.Stderr);
    }

    [Theory]
    [InlineData("docs/**", "*.md")]
    [InlineData("a*b", "c*b")]
    [InlineData("db:billing/**", "billing/**")]
    public void Overlap_DisjointPatterns_PrintsNo(string a, string b)
    {
        CliRun run = CliRun.Of("overlap", a, b);

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(["overlaps: no"], run.Lines);
    }

    [Fact]
    public void Overlap_Json_PrintsOneCompactObject()
    {
        CliRun run = CliRun.Of("overlap", "src/billing/**", "src/*/schema.sql", "--json");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(["""{"overlaps":true,"witness":"src/billing/schema.sql"}"""], run.Lines);
    }

    [Fact]
    public void Overlap_JsonDisjoint_WitnessIsNull()
    {
        CliRun run = CliRun.Of("overlap", "--json", "docs/**", "*.md");

        Assert.Equal(["""{"overlaps":false,"witness":null}"""], run.Lines);
    }

    [Fact]
    public void Overlap_IgnoreCase_ComparesWithoutCase()
    {
        Assert.Equal(["overlaps: no"], CliRun.Of("overlap", "SRC/**", "src/a").Lines);
        string[] expected = ["overlaps: yes", "witness: " + Witness("SRC/**", "src/a", GlobOptions.IgnoreCase)];
        Assert.Equal(expected, CliRun.Of("overlap", "SRC/**", "src/a", "--ignore-case").Lines);
        Assert.Equal(expected, CliRun.Of("overlap", "-i", "SRC/**", "src/a").Lines);
        Assert.Equal("src/a", expected[1]["witness: ".Length..], StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void Overlap_JsonWitnessWithSpecialCharacters_IsValidJsonWithoutNeedlessEscapes()
    {
        CliRun run = CliRun.Of("overlap", "--json", "a+b/é\"q", "a+b/**");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal("a+b/é\"q", run.JsonLines[0].GetProperty("witness").GetString());
        Assert.Contains("a+b/é", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlap_InvalidFirstPattern_ExitTwoWithCodePositionAndHint()
    {
        CliRun run = CliRun.Of("overlap", "src/**.md", "src/a.md");

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains("pattern A is invalid", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("GlobstarNotAlone at position 4", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("  src/**.md\n      ^", run.Stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("hint: ", run.Stderr, StringComparison.Ordinal);
        run.AssertNoStackTrace();
    }

    [Fact]
    public void Overlap_InvalidSecondPattern_NamesB()
    {
        CliRun run = CliRun.Of("overlap", "src/**", "a//b");

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        Assert.Contains("pattern B is invalid", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(nameof(GlobErrorCode.EmptySegment), run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlap_InvalidPatternWithJson_AlsoWritesTheErrorObject()
    {
        CliRun run = CliRun.Of("overlap", "--json", "src/**", "x[");

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        JsonElement error = run.JsonLines.Single().GetProperty("error");
        Assert.Equal("UnclosedSet", error.GetProperty("code").GetString());
        Assert.Equal("b", error.GetProperty("field").GetString());
        Assert.Equal(1, error.GetProperty("position").GetInt32());
        Assert.StartsWith("b: ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(run.Stderr);
    }

    [Fact]
    public void Overlap_OverlongPattern_ReportedWithoutEcho()
    {
        string pattern = new string('a', 200) + "**";

        CliRun run = CliRun.Of("overlap", pattern, "a");

        Assert.Equal(CliApp.ExitBadInput, run.ExitCode);
        Assert.DoesNotContain(pattern, run.Stderr, StringComparison.Ordinal);
        Assert.Contains("GlobstarNotAlone at position 200", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlapBatch_MixedLines_OneAnswerPerLineInOrder()
    {
        (string A, string B)[] pairs =
        [
            ("src/billing/**", "src/*/schema.sql"),
            ("docs/**", "*.md"),
            ("**/*.md", "src/detectors/**"),
            ("a*b", "c*b"),
            ("src/*.py", "src/foo*"),
            ("{a,b}/**", "b/c"),
            ("db:x/**", "db:x/y"),
            ("x", "db:x"),
        ];
        string input = CliRun.Batch(pairs.Select(p => JsonSerializer.Serialize(new { a = p.A, b = p.B })).ToArray());

        CliRun run = CliRun.WithInput(input, "overlap", "--batch", "-");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        JsonElement[] lines = run.JsonLines;
        Assert.Equal(pairs.Length, lines.Length);
        for (int i = 0; i < pairs.Length; i++)
        {
            bool expected = Glob.TryGetWitness(Glob.Parse(pairs[i].A), Glob.Parse(pairs[i].B), out string? witness);
            Assert.Equal(expected, lines[i].GetProperty("overlaps").GetBoolean());
            Assert.Equal(witness, lines[i].GetProperty("witness").GetString());
        }
    }

    [Fact]
    public void OverlapBatch_Answers_HaveStablePropertyOrder()
    {
        CliRun run = CliRun.WithInput(
            CliRun.Batch("""{"b":"src/x.md","a":"src/**"}""", """{"a":"a","b":"b"}"""),
            "overlap", "--batch", "-");

        Assert.Equal(["""{"overlaps":true,"witness":"src/x.md"}""", """{"overlaps":false,"witness":null}"""], run.Lines);
    }

    [Fact]
    public void OverlapBatch_InvalidPatterns_ErrorLinesSayWhichSide()
    {
        CliRun run = CliRun.WithInput(
            CliRun.Batch("""{"a":"x**","b":"y"}""", """{"a":"y","b":"a/../b"}""", """{"a":"y","b":"y"}"""),
            "overlap", "--batch", "-");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        JsonElement[] lines = run.JsonLines;
        Assert.Equal(3, lines.Length);
        AssertError(lines[0], "GlobstarNotAlone", "a", 1);
        AssertError(lines[1], "DotSegment", "b", 2);
        Assert.True(lines[2].GetProperty("overlaps").GetBoolean());
    }

    [Fact]
    public void OverlapBatch_ErrorLine_HasCodeMessagePositionFieldHintInOrder()
    {
        CliRun run = CliRun.WithInput(CliRun.Batch("""{"a":"}","b":"y"}"""), "overlap", "--batch", "-");

        Assert.Equal(
            """{"error":{"code":"UnmatchedBrace","message":"a: '}' has no matching '{'","position":0,"field":"a","hint":"write '\\}' for a literal '}'"}}""",
            run.Lines.Single());
    }

    [Fact]
    public void OverlapBatch_MalformedLines_ErrorLinesAndTheBatchGoesOn()
    {
        string[] input =
        [
            """{"a":"src/**","b":"src/a"}""",
            "not json",
            "",
            """{"a":"x","b":"y","c":1}""",
            """{"a":1,"b":"y"}""",
            """{"a":"x"}""",
            """{"a":"x","b":"y","ignoreCase":"yes"}""",
            """["x","y"]""",
            """{"a":"src/**","b":"src/b"}""",
        ];

        CliRun run = CliRun.WithInput(CliRun.Batch(input), "overlap", "--batch", "-");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        JsonElement[] lines = run.JsonLines;
        Assert.Equal(input.Length, lines.Length);
        Assert.Equal("src/a", lines[0].GetProperty("witness").GetString());
        for (int i = 1; i < input.Length - 1; i++)
        {
            Assert.Equal(CliError.InvalidInput, lines[i].GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal("src/b", lines[^1].GetProperty("witness").GetString());
    }

    [Fact]
    public void OverlapBatch_IgnoreCasePerLine_OverridesTheDefault()
    {
        string input = CliRun.Batch(
            """{"a":"SRC/**","b":"src/a"}""",
            """{"a":"SRC/**","b":"src/a","ignoreCase":true}""",
            """{"a":"SRC/**","b":"src/a","ignoreCase":false}""");

        bool[] plain = CliRun.WithInput(input, "overlap", "--batch", "-").JsonLines.Select(l => l.GetProperty("overlaps").GetBoolean()).ToArray();
        bool[] folded = CliRun.WithInput(input, "overlap", "--batch", "-", "--ignore-case").JsonLines.Select(l => l.GetProperty("overlaps").GetBoolean()).ToArray();

        Assert.Equal([false, true, false], plain);
        Assert.Equal([true, true, false], folded);
    }

    [Fact]
    public void OverlapBatch_FileWithByteOrderMarkAndCrLf_ReadLikeStdin()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\"a\":\"src/**\",\"b\":\"src/a\"}\r\n{\"a\":\"a\",\"b\":\"b\"}\r\n", new System.Text.UTF8Encoding(true));

            CliRun run = CliRun.Of("overlap", "--batch", path);

            Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
            Assert.Equal(["""{"overlaps":true,"witness":"src/a"}""", """{"overlaps":false,"witness":null}"""], run.Lines);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OverlapBatch_EmptyInput_NoOutputExitZero()
    {
        CliRun run = CliRun.WithInput(string.Empty, "overlap", "--batch", "-");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public void OverlapBatch_MissingFile_ExitTwo()
    {
        CliRun run = CliRun.Of("overlap", "--batch", Path.Combine(Path.GetTempPath(), "claimgraph-no-such-file.jsonl"));

        run.AssertUsageError();
        Assert.Contains("cannot read the batch file", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlapBatch_Stdin_FlushesAfterEveryAnswer()
    {
        using var input = new StringReader(CliRun.Batch("""{"a":"a","b":"a"}""", """{"a":"a","b":"b"}""", """{"a":"*","b":"b"}"""));
        using var output = new FlushCountingWriter();

        int code = CliApp.Run(["overlap", "--batch", "-"], input, output, TextWriter.Null);

        Assert.Equal(CliApp.ExitSuccess, code);
        Assert.Equal([1, 2, 3], output.LinesAtFlush.Take(3));
    }

    private static string? Witness(string a, string b, GlobOptions options) =>
        Glob.TryGetWitness(Glob.Parse(a, options), Glob.Parse(b, options), out string? witness) ? witness : null;

    internal static void AssertError(JsonElement line, string code, string field, int position)
    {
        JsonElement error = line.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Equal(position, error.GetProperty("position").GetInt32());
        Assert.StartsWith(field + ": ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private sealed class FlushCountingWriter : StringWriter
    {
        public List<int> LinesAtFlush { get; } = [];

        public override void Flush()
        {
            LinesAtFlush.Add(ToString().Count(c => c == '\n'));
            base.Flush();
        }
    }

    [Fact]
    public void Overlap_WitnessWithALineBreak_EscapedInTheText()
    {
        CliRun run = CliRun.Of("overlap", "src/[\u000b\n]", "src/*");

        Assert.Equal(["overlaps: yes", "witness: src/\\n"], run.Lines);
        Assert.Equal("src/\n", Assert.Single(CliRun.Of("overlap", "--json", "src/[\u000b\n]", "src/*").JsonLines).GetProperty("witness").GetString());
    }

    [Theory]
    [InlineData("nope", "The line is not JSON; expected one JSON object with ")]
    [InlineData("{\"a\": \"x\"", "The line ends before its JSON object does; expected one JSON object with ")]
    [InlineData("{\"a\": \"x\" \"b\": \"y\"}", "The line is not well-formed JSON at column 10; expected one JSON object with ")]
    [InlineData("{\"a\": \"\\ud800\", \"b\": \"y\"}", "A string holds an escape that is not a character")]
    public void OverlapBatch_NotJson_OurWords(string line, string message)
    {
        CliRun run = CliRun.WithInput(CliRun.Batch(line), "overlap", "--batch", "-");

        string text = Assert.Single(run.JsonLines).GetProperty("error").GetProperty("message").GetString()!;
        Assert.StartsWith(message, text, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid start", text, StringComparison.Ordinal);
        Assert.DoesNotContain("'0x", text, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlapBatch_LineNotUtf8_ErrorLineForItAndTheBatchGoesOn()
    {
        byte[] bytes = [.. "{\"a\": \"src/**\", \"b\": \"src/a\"}\n{\"a\": \"caf"u8, 0xE9, .. "\", \"b\": \"x\"}\n{\"a\": \"x\", \"b\": \"x\"}\n"u8];
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = CliApp.RunWithStdinBytes(["overlap", "--batch", "-"], new MemoryStream(bytes), output, error);

        Assert.Equal(CliApp.ExitSuccess, code);
        Assert.Equal(
            [
                """{"overlaps":true,"witness":"src/a"}""",
                """{"error":{"code":"InvalidInput","message":"The line is not valid UTF-8: every line must be UTF-8 text","position":10,"field":null,"hint":null}}""",
                """{"overlaps":true,"witness":"x"}""",
            ],
            output.ToString().TrimEnd().Split('\n'));
    }
}
