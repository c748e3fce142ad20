using System.Collections.Immutable;

namespace ClaimGraph.Simulation;

/// <summary>
/// How long an agent works on a replayed commit: <c>(BaseMinutes + PerFileMinutes · min(files, MaxCountedFiles)) · v</c>,
/// where <c>v</c> is a per-task factor uniform in <c>[1 − Variation, 1 + Variation]</c> drawn from a stable hash of the
/// simulation seed and the commit id (so a task takes as long under every policy and agent count, and the same
/// seed gives the same durations everywhere). Rounded to whole milliseconds, at least 1 ms. Immutable.
/// </summary>
public sealed record DurationModel
{
    /// <summary>Minutes every task takes whatever its size. Default 20.</summary>
    public double BaseMinutes { get; init; } = 20;

    /// <summary>Extra minutes per touched file. Default 2.</summary>
    public double PerFileMinutes { get; init; } = 2;

    /// <summary>Files beyond this many add no time (mass renames and formatting sweeps are not 100× the work). Default 30.</summary>
    public int MaxCountedFiles { get; init; } = 30;

    /// <summary>Relative spread of the per-task factor, in [0, 1). Default 0.5 (durations vary from half to one and a half times the mean).</summary>
    public double Variation { get; init; } = 0.5;

    /// <summary>The duration in milliseconds of a task touching <paramref name="fileCount"/> files, with the factor drawn from <paramref name="unit"/> in [0, 1).</summary>
    public long DurationMilliseconds(int fileCount, double unit)
    {
        double minutes = BaseMinutes + (PerFileMinutes * Math.Min(fileCount, MaxCountedFiles));
        double factor = 1 + (Variation * ((2 * unit) - 1));
        return Math.Max(1, (long)Math.Round(minutes * factor * 60_000, MidpointRounding.AwayFromZero));
    }

    /// <summary>Every problem with this model (empty when valid).</summary>
    public ImmutableArray<string> Validate()
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        Validation.Check(problems, BaseMinutes >= 0 && double.IsFinite(BaseMinutes), $"{nameof(BaseMinutes)} must be finite and not negative (was {BaseMinutes}).");
        Validation.Check(problems, PerFileMinutes >= 0 && double.IsFinite(PerFileMinutes), $"{nameof(PerFileMinutes)} must be finite and not negative (was {PerFileMinutes}).");
        Validation.Check(problems, BaseMinutes + PerFileMinutes > 0, $"{nameof(BaseMinutes)} + {nameof(PerFileMinutes)} must be above 0.");
        Validation.Check(problems, MaxCountedFiles >= 1, $"{nameof(MaxCountedFiles)} must be at least 1 (was {MaxCountedFiles}).");
        Validation.Check(problems, Variation is >= 0 and < 1, $"{nameof(Variation)} must be in [0, 1) (was {Variation}).");
        return problems.ToImmutable();
    }
}
