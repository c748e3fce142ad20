using System.Reflection;
using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Cli;

public class CliAppTests
{
    [Fact]
    public void Run_NoArguments_UsageErrorNamesTheCommands()
    {
        CliRun run = CliRun.Of();

        run.AssertUsageError();
        Assert.Contains("overlap", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("match", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("overlap", "a", "b", "c")]
    [InlineData("overlap", "a", "b", "--bogus")]
    [InlineData("match", "a", "b", "--batch")]
    [InlineData("overlap", "a")]
    [InlineData("overlap")]
    [InlineData("match", "src/**")]
    [InlineData("overlap", "--batch", "-", "a")]
    [InlineData("match", "--batch", "-", "a", "b")]
    public void Run_BadUsage_ExitTwoWithOneMessageAndTheCommandsHelp(params string[] args)
    {
        CliRun run = CliRun.Of(args);

        run.AssertUsageError();
        string help = args[0] == "nope" ? "claimgraph --help" : $"claimgraph {args[0]} --help";
        Assert.Equal($"Run '{help}' for usage.", run.Stderr.TrimEnd().Split('\n')[^1]);
        Assert.Equal(2, run.Stderr.TrimEnd().Split('\n').Length);
    }

    [Fact]
    public void Run_Help_ListsCommandsUnderTheToolName()
    {
        CliRun run = CliRun.Of("--help");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Contains("claimgraph [command] [options]", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("overlap <A> <B>", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("match <PATTERN> <PATH>", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stderr);
    }

    [Theory]
    [InlineData("overlap", "--batch <FILE|->")]
    [InlineData("match", "--ignore-case")]
    public void Run_CommandHelp_DescribesOptions(string command, string expected)
    {
        CliRun run = CliRun.Of(command, "--help");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Contains($"claimgraph {command}", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(expected, run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Version_PrintsThePackageVersion()
    {
        string expected = typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!
            .InformationalVersion.Split('+')[0];

        CliRun run = CliRun.Of("--version");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(expected, run.Stdout.Trim());
    }

    [Fact]
    public void Run_ArgumentStartingWithAt_IsAPatternNotAResponseFile()
    {
        CliRun run = CliRun.Of("overlap", "@scope/**", "@scope/a");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(["overlaps: yes", "witness: @scope/a"], run.Lines);
    }

    [Fact]
    public void Run_PatternStartingWithDashAfterSeparator_IsAPattern()
    {
        CliRun run = CliRun.Of("overlap", "--", "-x/*", "-x/a");

        Assert.Equal(CliApp.ExitSuccess, run.ExitCode);
        Assert.Equal(["overlaps: yes", "witness: -x/a"], run.Lines);
    }

    [Fact]
    public void Run_StdoutFails_ExitOneWithOneLineAndNoStackTrace()
    {
        using var input = new StringReader(string.Empty);
        using var output = new FailingWriter();
        using var error = new StringWriter();

        int code = CliApp.Run(["overlap", "a", "a"], input, output, error);

        Assert.Equal(CliApp.ExitFailure, code);
        Assert.Equal("claimgraph: I/O error: the pipe is closed", error.ToString().TrimEnd());
    }

    [Fact]
    public void Run_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => CliApp.Run(null!, TextReader.Null, TextWriter.Null, TextWriter.Null));
        Assert.Throws<ArgumentNullException>(() => CliApp.Run([], null!, TextWriter.Null, TextWriter.Null));
        Assert.Throws<ArgumentNullException>(() => CliApp.Run([], TextReader.Null, null!, TextWriter.Null));
        Assert.Throws<ArgumentNullException>(() => CliApp.Run([], TextReader.Null, TextWriter.Null, null!));
    }

    private sealed class FailingWriter : StringWriter
    {
        public override void Write(char value) => throw new IOException("the pipe is closed");

        public override void Write(string? value) => throw new IOException("the pipe is closed");

        public override void WriteLine(string? value) => throw new IOException("the pipe is closed");
    }
}
