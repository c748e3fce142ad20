using System.Text.Json;
using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Cli;

/// <summary>One in-process run of the CLI: its exit code and what it wrote.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static CliRun Of(params string[] args) => WithInput(string.Empty, args);

    public static CliRun WithInput(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = CliApp.Run(args, input, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Standard output split into lines (without the final empty one).</summary>
    public string[] Lines => Stdout.Split('\n').SkipLast(1).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>Each output line parsed as JSON.</summary>
    public JsonElement[] JsonLines => Lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();

    /// <summary>Checks the promise that no failure ever prints a stack trace.</summary>
    public void AssertNoStackTrace()
    {
        Assert.DoesNotContain("   at ", Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Stdout, StringComparison.Ordinal);
    }

    public void AssertUsageError()
    {
        Assert.Equal(CliApp.ExitBadInput, ExitCode);
        Assert.Equal(string.Empty, Stdout);
        Assert.StartsWith("claimgraph: ", Stderr, StringComparison.Ordinal);
        AssertNoStackTrace();
    }

    /// <summary>Writes lines as a batch input (each followed by a newline).</summary>
    public static string Batch(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));
}
