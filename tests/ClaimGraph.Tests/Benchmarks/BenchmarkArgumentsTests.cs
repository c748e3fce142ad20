using ClaimGraph.Benchmarks;

namespace ClaimGraph.Tests.Benchmarks;

public class BenchmarkArgumentsTests
{
    [Fact]
    public void WithDefaultBuildTimeout_NoTimeout_AddsIt() =>
        Assert.Equal(["--filter", "*Index*", "--buildTimeout", "900"], BenchmarkArguments.WithDefaultBuildTimeout(["--filter", "*Index*"], 900));

    [Fact]
    public void WithDefaultBuildTimeout_NoArguments_AddsIt() =>
        Assert.Equal(["--buildTimeout", "60"], BenchmarkArguments.WithDefaultBuildTimeout([], 60));

    [Theory]
    [InlineData("--buildTimeout", "600")]
    [InlineData("--BUILDTIMEOUT", "600")]
    [InlineData("--buildtimeout=300", null)]
    public void WithDefaultBuildTimeout_UserGivesOne_KeepsTheirs(string option, string? value)
    {
        string[] args = value is null ? ["--job", "short", option] : ["--job", "short", option, value];
        Assert.Equal(args, BenchmarkArguments.WithDefaultBuildTimeout(args, 900));
    }

    [Fact]
    public void WithDefaultBuildTimeout_DoubleDash_InsertsBeforeIt() =>
        Assert.Equal(
            ["--filter", "*", "--buildTimeout", "900", "--", "--buildTimeout"],
            BenchmarkArguments.WithDefaultBuildTimeout(["--filter", "*", "--", "--buildTimeout"], 900));

    [Fact]
    public void WithDefaultBuildTimeout_ZeroSeconds_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchmarkArguments.WithDefaultBuildTimeout([], 0));
}
