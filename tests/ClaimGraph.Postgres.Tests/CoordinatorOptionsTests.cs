using ClaimGraph.Policy;

namespace ClaimGraph.Postgres.Tests;

public class CoordinatorOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoProblem()
    {
        Assert.Empty(CoordinatorOptions.Default.Validate());
        Assert.Equal(CoordinatorConcurrency.Optimistic, CoordinatorOptions.Default.Concurrency);
    }

    [Fact]
    public void Validate_EverySettingWrong_ListsEveryProblemIncludingThePolicys()
    {
        var options = new CoordinatorOptions
        {
            Policy = new PolicyOptions { MaxAttempts = 0 },
            Concurrency = (CoordinatorConcurrency)9,
            SnapshotInterval = -1,
            SnapshotsToKeep = 0,
            MaxConflictRetries = -1,
            NotificationPollInterval = TimeSpan.Zero,
            CommandTimeout = TimeSpan.FromMilliseconds(999),
            LeaderTimeout = TimeSpan.FromMilliseconds(9),
        };

        string[] problems = [.. options.Validate()];

        Assert.Equal(8, problems.Length);
        Assert.Contains(problems, p => p.Contains(nameof(CoordinatorOptions.LeaderTimeout), StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("MaxAttempts", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(nameof(CoordinatorOptions.SnapshotsToKeep), StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(nameof(CoordinatorOptions.CommandTimeout), StringComparison.Ordinal));
        ArgumentException ex = Assert.Throws<ArgumentException>(options.EnsureValid);
        Assert.Contains(nameof(CoordinatorOptions.NotificationPollInterval), ex.Message, StringComparison.Ordinal);
    }
}
