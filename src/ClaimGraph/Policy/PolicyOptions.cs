using System.Collections.Immutable;

namespace ClaimGraph.Policy;

/// <summary>
/// Settings of the policy. Immutable; validate once with <see cref="Validate"/> (the policy does it on every step and
/// throws <see cref="PolicyOptionsException"/> listing every problem). Times are in milliseconds.
/// </summary>
public sealed record PolicyOptions
{
    /// <summary>
    /// The defaults: no concurrency limit, backoff 10 s doubling to 300 s with 10% jitter, 3 attempts, 60 s leases,
    /// backfill reservation with a bypass budget of 64.
    /// </summary>
    public static PolicyOptions Default { get; } = new();

    /// <summary>The most active runs at once, or <see langword="null"/> for no limit. Default none.</summary>
    public int? MaxActiveRuns { get; init; }

    /// <summary>The most active runs per work-item label. Default empty.</summary>
    public ImmutableSortedDictionary<string, int> MaxActivePerLabel { get; init; } = ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal);

    /// <summary>Backoff base: the first retry waits this long (plus jitter). Default 10,000 ms (OpenAI Symphony's default).</summary>
    public long BackoffBase { get; init; } = 10_000;

    /// <summary>Backoff cap: no retry waits longer (before jitter). Default 300,000 ms.</summary>
    public long BackoffCap { get; init; } = 300_000;

    /// <summary>Jitter as a fraction of the delay, in [0, 1]: the delay grows by up to this fraction, derived from a stable hash of run id and attempt. Default 0.1.</summary>
    public double JitterFraction { get; init; } = 0.1;

    /// <summary>The most attempts per work item (the first run included). Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>How long an admitted run lives without a heartbeat, or <see langword="null"/> for no leases. Default 60,000 ms.</summary>
    public long? LeaseDuration { get; init; } = 60_000;

    /// <summary>
    /// How held runs keep their place: <see cref="ReservationMode.Strict"/> (every run that waits only on claims or
    /// limits reserves its place at once) or <see cref="ReservationMode.Backfill"/> (a run reserves its place once it
    /// has been overtaken <see cref="BypassBudget"/> times). Default <see cref="ReservationMode.Backfill"/>.
    /// </summary>
    public ReservationMode Reservation { get; init; } = ReservationMode.Backfill;

    /// <summary>
    /// With <see cref="ReservationMode.Backfill"/>: how many times a ready waiting run may be overtaken by conflicting runs
    /// before it reserves its place (K). 0 makes backfill strict. Ignored in <see cref="ReservationMode.Strict"/>.
    /// Default 64 (measured: see docs/policy.md).
    /// </summary>
    public int BypassBudget { get; init; } = 64;

    /// <summary>The budget in force: <see cref="BypassBudget"/> with backfill, 0 (reserve at once) when strict.</summary>
    internal int EffectiveBypassBudget => Reservation == ReservationMode.Backfill ? BypassBudget : 0;

    /// <summary>Every problem with these options (empty when valid).</summary>
    public ImmutableArray<string> Validate()
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        if (MaxActiveRuns is < 1)
        {
            problems.Add($"{nameof(MaxActiveRuns)} must be at least 1 or null (was {MaxActiveRuns}).");
        }

        if (MaxActivePerLabel is null)
        {
            problems.Add($"{nameof(MaxActivePerLabel)} must not be null.");
        }
        else
        {
            foreach (KeyValuePair<string, int> kv in MaxActivePerLabel)
            {
                if (kv.Value < 1)
                {
                    problems.Add($"{nameof(MaxActivePerLabel)}['{kv.Key}'] must be at least 1 (was {kv.Value}).");
                }
            }
        }

        if (BackoffBase < 0)
        {
            problems.Add($"{nameof(BackoffBase)} must not be negative (was {BackoffBase}).");
        }

        if (BackoffCap < BackoffBase)
        {
            problems.Add($"{nameof(BackoffCap)} must be at least {nameof(BackoffBase)} (was {BackoffCap} < {BackoffBase}).");
        }

        if (double.IsNaN(JitterFraction) || JitterFraction < 0 || JitterFraction > 1)
        {
            problems.Add($"{nameof(JitterFraction)} must be between 0 and 1 (was {JitterFraction}).");
        }

        if (MaxAttempts < 1)
        {
            problems.Add($"{nameof(MaxAttempts)} must be at least 1 (was {MaxAttempts}).");
        }

        if (LeaseDuration is < 1)
        {
            problems.Add($"{nameof(LeaseDuration)} must be at least 1 ms or null (was {LeaseDuration}).");
        }

        if (Reservation is not (ReservationMode.Strict or ReservationMode.Backfill))
        {
            problems.Add($"{nameof(Reservation)} must be {nameof(ReservationMode.Strict)} or {nameof(ReservationMode.Backfill)} (was {(int)Reservation}).");
        }

        if (BypassBudget < 0)
        {
            problems.Add($"{nameof(BypassBudget)} must not be negative (was {BypassBudget}).");
        }

        return problems.ToImmutable();
    }

    /// <summary>Throws <see cref="PolicyOptionsException"/> listing every problem, if there is any.</summary>
    public void EnsureValid()
    {
        ImmutableArray<string> problems = Validate();
        if (!problems.IsEmpty)
        {
            throw new PolicyOptionsException(problems);
        }
    }

    /// <summary>
    /// The delay before attempt <paramref name="attempt"/> (2 or more) of <paramref name="workItemId"/>:
    /// <c>min(base·2^(attempt−2), cap)</c> — so the first retry waits <see cref="BackoffBase"/> — plus deterministic jitter.
    /// </summary>
    public long BackoffDelay(string workItemId, int attempt)
    {
        ArgumentNullException.ThrowIfNull(workItemId);
        int failures = Math.Max(1, attempt - 1);
        long delay = BackoffBase;
        for (int i = 1; i < failures && delay < BackoffCap; i++)
        {
            delay *= 2;
        }

        delay = Math.Min(delay, BackoffCap);
        ulong hash = StableHash.Fnv1a(workItemId, attempt);
        double unit = (hash >> 11) * (1.0 / (1UL << 53));
        return delay + (long)(delay * JitterFraction * unit);
    }
}

/// <summary>Thrown when <see cref="PolicyOptions"/> are invalid; lists every problem at once.</summary>
public sealed class PolicyOptionsException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public PolicyOptionsException(ImmutableArray<string> problems)
        : base("Invalid policy options: " + string.Join(" ", problems)) => Problems = problems;

    /// <summary>Every problem found.</summary>
    public ImmutableArray<string> Problems { get; }
}

/// <summary>FNV-1a over UTF-16 code units: stable across processes and platforms, unlike <see cref="string.GetHashCode()"/>.</summary>
internal static class StableHash
{
    public static ulong Fnv1a(string text, int salt)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in text)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        h = (h ^ (uint)salt) * 1099511628211UL;

        // Final avalanche (splitmix64) so that nearby inputs spread over the whole range.
        h ^= h >> 30;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 27;
        h *= 0x94D049BB133111EBUL;
        h ^= h >> 31;
        return h;
    }
}
