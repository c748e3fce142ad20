using System.Text.Json;

namespace ClaimGraph.Tests.Cli;

/// <summary><c>claimgraph simulate --speculate</c>.</summary>
public class SimulateSpeculationTests
{
    private static readonly string[] Tiny = ["simulate", "--commits", "60", "--agents", "8", "--seed", "7", "--json", "-q"];

    [Theory]
    [InlineData(null, null)]
    [InlineData("all", null)]
    [InlineData("none", 0)]
    [InlineData("0", 0)]
    [InlineData("3", 3)]
    public void Simulate_Speculate_ReachesTheOptions(string? value, int? expected)
    {
        CliRun run = CliRun.Of(value is null ? Tiny : [.. Tiny, "--speculate", value]);
        JsonElement report = JsonDocument.Parse(run.Stdout).RootElement;
        JsonElement runs = report.GetProperty("options").GetProperty("speculativeRuns");

        Assert.Equal(expected, runs.ValueKind == JsonValueKind.Null ? null : runs.GetInt32());
        int starts = report.GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("policy").GetString() == "claimgraph")
            .Sum(r => r.GetProperty("speculativeStarts").GetInt32());
        Assert.Equal(expected == 0, starts == 0);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("some")]
    public void Simulate_SpeculateBadValue_IsUsageError(string value)
    {
        CliRun run = CliRun.Of("simulate", "--speculate", value);

        run.AssertUsageError();
        Assert.Contains("--speculate", run.Stderr, StringComparison.Ordinal);
    }
}
