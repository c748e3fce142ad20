using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

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

    /// <summary>Backoff base: the first retry waits this long (plus jitter, within the cap). At most <see cref="MaxDuration"/>. Default 10,000 ms (OpenAI Symphony's default).</summary>
    public long BackoffBase { get; init; } = 10_000;

    /// <summary>Backoff cap: no retry waits longer, jitter included (see <see cref="BackoffDelay"/>). At most <see cref="MaxDuration"/>. Default 300,000 ms.</summary>
    public long BackoffCap { get; init; } = 300_000;

    /// <summary>Jitter as a fraction of the delay, in [0, 1]: the delay grows by up to this fraction (never past <see cref="BackoffCap"/>), derived from a stable hash of work item and attempt. Default 0.1.</summary>
    public double JitterFraction { get; init; } = 0.1;

    /// <summary>The most attempts per work item (the first run included). Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>How long an admitted run lives without a heartbeat, or <see langword="null"/> for no leases. From 1 to <see cref="MaxDuration"/>. Default 60,000 ms.</summary>
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

    /// <summary>
    /// The longest duration an option may hold, in milliseconds: 2^53 − 1 (about 285,000 years; also the largest
    /// whole number a JSON reader that uses doubles keeps exactly). With event times within
    /// <see cref="PolicyEvent.MinTime"/> and <see cref="PolicyEvent.MaxTime"/>, a lease or a backoff end
    /// (<c>now + LeaseDuration</c>, <c>now + BackoffDelay(…)</c>) can never overflow.
    /// </summary>
    public const long MaxDuration = 9_007_199_254_740_991;

    /// <summary>
    /// The options as canonical JSON: one object, no white space, every field present in this order —
    /// <c>maxActiveRuns</c> (number or <c>null</c>), <c>maxActivePerLabel</c> (object, labels in ordinal order),
    /// <c>backoffBase</c>, <c>backoffCap</c>, <c>jitterFraction</c> (shortest round-trip form), <c>maxAttempts</c>,
    /// <c>leaseDuration</c> (number or <c>null</c>), <c>reservation</c> (<c>"strict"</c> or <c>"backfill"</c>),
    /// <c>bypassBudget</c> — strings escaped as System.Text.Json's default encoder does. Equal options give identical
    /// text; it reads back with <c>ClaimGraph.Serialization.PolicyOptionsJson.Read</c>. For valid options (an invalid
    /// <see cref="JitterFraction"/> such as NaN has no JSON form and throws <see cref="ArgumentException"/>).
    /// </summary>
    public string ToCanonicalJson() => System.Text.Encoding.UTF8.GetString(CanonicalUtf8());

    /// <summary>
    /// A stable fingerprint of these options: <c>"sha256:"</c> and the lower-case hex SHA-256 of the UTF-8 bytes of
    /// <see cref="ToCanonicalJson"/> (71 characters). Equal options give equal fingerprints on every platform and
    /// process; any change of any option changes it. Snapshots and event logs record it so that a graph is not
    /// silently continued under other options (<c>SnapshotLoadOptions.ExpectedOptionsFingerprint</c>).
    /// </summary>
    public string Fingerprint => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(CanonicalUtf8()));

    private byte[] CanonicalUtf8()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (MaxActiveRuns is int max)
            {
                json.WriteNumber("maxActiveRuns", max);
            }
            else
            {
                json.WriteNull("maxActiveRuns");
            }

            json.WriteStartObject("maxActivePerLabel");
            // Ordinal order whatever comparer the dictionary was given.
            foreach (KeyValuePair<string, int> limit in ((IEnumerable<KeyValuePair<string, int>>?)MaxActivePerLabel ?? []).OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(limit.Key, limit.Value);
            }

            json.WriteEndObject();
            json.WriteNumber("backoffBase", BackoffBase);
            json.WriteNumber("backoffCap", BackoffCap);
            json.WriteNumber("jitterFraction", JitterFraction);
            json.WriteNumber("maxAttempts", MaxAttempts);
            if (LeaseDuration is long lease)
            {
                json.WriteNumber("leaseDuration", lease);
            }
            else
            {
                json.WriteNull("leaseDuration");
            }

            json.WriteString("reservation", Reservation switch
            {
                ReservationMode.Strict => "strict",
                ReservationMode.Backfill => "backfill",
                _ => ((int)Reservation).ToString(CultureInfo.InvariantCulture),
            });
            json.WriteNumber("bypassBudget", BypassBudget);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Every problem with these options, each naming the member at fault (empty when valid).</summary>
    public ImmutableArray<PolicyOptionsProblem> Validate()
    {
        var problems = ImmutableArray.CreateBuilder<PolicyOptionsProblem>();
        void Add(string member, FormattableString message) => problems.Add(new PolicyOptionsProblem(member, Invariant(message)));
        if (MaxActiveRuns is < 1)
        {
            Add(nameof(MaxActiveRuns), $"{nameof(MaxActiveRuns)} must be at least 1 or null (was {MaxActiveRuns}).");
        }

        if (MaxActivePerLabel is null)
        {
            Add(nameof(MaxActivePerLabel), $"{nameof(MaxActivePerLabel)} must not be null.");
        }
        else
        {
            foreach (KeyValuePair<string, int> kv in MaxActivePerLabel)
            {
                if (kv.Value < 1)
                {
                    problems.Add(new PolicyOptionsProblem(
                        nameof(MaxActivePerLabel), Invariant($"{nameof(MaxActivePerLabel)}['{kv.Key}'] must be at least 1 (was {kv.Value})."), kv.Key));
                }
            }
        }

        if (BackoffBase is < 0 or > MaxDuration)
        {
            Add(nameof(BackoffBase), $"{nameof(BackoffBase)} must be between 0 and {MaxDuration} ms (was {BackoffBase}).");
        }

        if (BackoffCap < BackoffBase)
        {
            Add(nameof(BackoffCap), $"{nameof(BackoffCap)} must be at least {nameof(BackoffBase)} (was {BackoffCap} < {BackoffBase}).");
        }
        else if (BackoffCap > MaxDuration)
        {
            Add(nameof(BackoffCap), $"{nameof(BackoffCap)} must be at most {MaxDuration} ms (was {BackoffCap}).");
        }

        if (double.IsNaN(JitterFraction) || JitterFraction < 0 || JitterFraction > 1)
        {
            Add(nameof(JitterFraction), $"{nameof(JitterFraction)} must be between 0 and 1 (was {JitterFraction}).");
        }

        if (MaxAttempts < 1)
        {
            Add(nameof(MaxAttempts), $"{nameof(MaxAttempts)} must be at least 1 (was {MaxAttempts}).");
        }

        if (LeaseDuration is < 1 or > MaxDuration)
        {
            Add(nameof(LeaseDuration), $"{nameof(LeaseDuration)} must be between 1 and {MaxDuration} ms, or null (was {LeaseDuration}).");
        }

        if (Reservation is not (ReservationMode.Strict or ReservationMode.Backfill))
        {
            Add(nameof(Reservation), $"{nameof(Reservation)} must be {nameof(ReservationMode.Strict)} or {nameof(ReservationMode.Backfill)} (was {(int)Reservation}).");
        }

        if (BypassBudget < 0)
        {
            Add(nameof(BypassBudget), $"{nameof(BypassBudget)} must not be negative (was {BypassBudget}).");
        }

        return problems.ToImmutable();
    }

    /// <summary>Throws <see cref="PolicyOptionsException"/> listing every problem, if there is any.</summary>
    public void EnsureValid()
    {
        ImmutableArray<PolicyOptionsProblem> problems = Validate();
        if (!problems.IsEmpty)
        {
            throw new PolicyOptionsException(problems);
        }
    }

    /// <summary>
    /// The delay before attempt <paramref name="attempt"/> of <paramref name="workItemId"/> may start, in milliseconds:
    /// 0 for the first attempt (or any number below 2); for a retry, <c>d = min(BackoffBase · 2^(attempt−2),
    /// BackoffCap)</c> plus jitter, the total capped: <c>min(d + ⌊d · JitterFraction · u⌋, BackoffCap)</c>, where
    /// <c>u ∈ [0, 1)</c> comes from a stable hash of the work item and the attempt. So the first retry (attempt 2) waits
    /// from <see cref="BackoffBase"/> up to <c>BackoffBase · (1 + JitterFraction)</c>, each later one twice as long, and
    /// none longer than <see cref="BackoffCap"/>. Deterministic; never negative, never above the cap, whatever the
    /// options (the arithmetic saturates instead of overflowing).
    /// </summary>
    public long BackoffDelay(string workItemId, int attempt)
    {
        ArgumentNullException.ThrowIfNull(workItemId);
        long cap = Math.Max(BackoffCap, 0);
        if (attempt < 2 || cap == 0)
        {
            return 0;
        }

        long delay = Math.Clamp(BackoffBase, 0, cap);
        for (int doublings = attempt - 2; doublings > 0 && delay > 0 && delay < cap; doublings--)
        {
            delay = delay > cap / 2 ? cap : delay * 2;
        }

        ulong hash = StableHash.Fnv1a(workItemId, attempt);
        double unit = (hash >> 11) * (1.0 / (1UL << 53));
        double jitter = Math.Floor(delay * Math.Clamp(JitterFraction, 0, 1) * unit);
        long room = cap - delay;

        // Compared as doubles before converting: a value of 2^63 or more has no long form.
        return jitter >= room ? cap : delay + (long)jitter;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A problem with <see cref="PolicyOptions"/>: which member, for which key, and a sentence that says why.</summary>
public sealed class PolicyOptionsProblem
{
    /// <summary>Creates a problem.</summary>
    /// <param name="member">The property at fault, by its name (e.g. <c>nameof(PolicyOptions.MaxAttempts)</c>).</param>
    /// <param name="message">A sentence for people; it starts with the member's name.</param>
    /// <param name="key">For a dictionary member (<see cref="PolicyOptions.MaxActivePerLabel"/>), the key at fault; otherwise <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="member"/> or <paramref name="message"/> is null.</exception>
    public PolicyOptionsProblem(string member, string message, string? key = null)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(message);
        Member = member;
        Message = message;
        Key = key;
    }

    /// <summary>The name of the <see cref="PolicyOptions"/> property at fault, e.g. <c>MaxAttempts</c>.</summary>
    public string Member { get; }

    /// <summary>For <see cref="PolicyOptions.MaxActivePerLabel"/>, the label whose limit is at fault; otherwise <see langword="null"/>.</summary>
    public string? Key { get; }

    /// <summary>Why, for people, e.g. <c>MaxAttempts must be at least 1 (was 0).</c>; never parse it.</summary>
    public string Message { get; }

    /// <summary>The <see cref="Message"/>.</summary>
    public override string ToString() => Message;
}

/// <summary>Thrown when <see cref="PolicyOptions"/> are invalid; lists every problem at once.</summary>
public sealed class PolicyOptionsException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public PolicyOptionsException(ImmutableArray<PolicyOptionsProblem> problems)
        : base("Invalid policy options: " + string.Join(" ", problems.Select(p => p.Message))) => Problems = problems;

    /// <summary>Every problem found, each naming its member.</summary>
    public ImmutableArray<PolicyOptionsProblem> Problems { get; }
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
