using ClaimGraph.Simulation;

namespace ClaimGraph.Tests.Simulation;

public class DurationModelTests
{
    [Theory]
    [InlineData(1, 0.5, 22 * 60_000)]       // factor 1
    [InlineData(1, 0.0, 11 * 60_000)]       // factor 0.5
    [InlineData(100, 0.5, 80 * 60_000)]     // capped at 30 files
    public void DurationMilliseconds_BasePlusPerFileTimesFactor(int files, double unit, long expected)
    {
        Assert.Equal(expected, new DurationModel().DurationMilliseconds(files, unit));
    }

    [Fact]
    public void Validate_BadValues_ListsEach()
    {
        var problems = new DurationModel { BaseMinutes = -1, Variation = 1, MaxCountedFiles = 0 }.Validate();

        Assert.Equal(3, problems.Length);
    }
}
