using Microsoft.Extensions.Options;

namespace ClaimGraph.Hosting;

/// <summary>Checks <see cref="ClaimGraphOptions"/> and reports every problem at once, each naming its member.</summary>
internal sealed class ClaimGraphOptionsValidator(CoordinatorChoice choice) : IValidateOptions<ClaimGraphOptions>
{
    public ValidateOptionsResult Validate(string? name, ClaimGraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> problems = Problems(options, choice.Factory is not null);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Every problem with <paramref name="options"/>; <paramref name="customCoordinator"/> when a factory replaces the in-process coordinator.</summary>
    internal static List<string> Problems(ClaimGraphOptions options, bool customCoordinator)
    {
        var problems = new List<string>();
        if (options.Policy is null)
        {
            problems.Add($"{nameof(ClaimGraphOptions.Policy)} must not be null.");
        }
        else
        {
            foreach (ClaimGraph.Policy.PolicyOptionsProblem problem in options.Policy.Validate())
            {
                problems.Add($"{nameof(ClaimGraphOptions.Policy)}.{problem.Message}");
            }
        }

        if (options.TickPollInterval < TimeSpan.FromMilliseconds(1) || options.TickPollInterval.TotalMilliseconds > int.MaxValue)
        {
            problems.Add($"{nameof(ClaimGraphOptions.TickPollInterval)} must be between 1 ms and 24 days (was {options.TickPollInterval}).");
        }

        if (options.SnapshotPath is { } path)
        {
            if (customCoordinator)
            {
                problems.Add($"{nameof(ClaimGraphOptions.SnapshotPath)} applies to the in-process coordinator only; the registered coordinator factory keeps its own state (was '{path}').");
            }
            else if (path.Length == 0 || path.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                problems.Add($"{nameof(ClaimGraphOptions.SnapshotPath)} is not a valid file path (was '{path}').");
            }
            else
            {
                string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
                if (folder is null || !Directory.Exists(folder))
                {
                    problems.Add($"{nameof(ClaimGraphOptions.SnapshotPath)}'s folder '{folder}' does not exist.");
                }
                else if (Directory.Exists(path))
                {
                    problems.Add($"{nameof(ClaimGraphOptions.SnapshotPath)} names a folder, not a file (was '{path}').");
                }
            }
        }

        return problems;
    }
}
