using System.Collections.Immutable;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Tests.Policy;

/// <summary><see cref="PolicyOptions.ToCanonicalJson"/> and <see cref="PolicyOptions.Fingerprint"/>: stable, documented, sensitive to every option (#13).</summary>
public class PolicyOptionsFingerprintTests
{
    private const string DefaultJson =
        """{"maxActiveRuns":null,"maxActivePerLabel":{},"backoffBase":10000,"backoffCap":300000,"jitterFraction":0.1,"maxAttempts":3,"leaseDuration":60000,"reservation":"backfill","bypassBudget":64}""";

    [Fact]
    public void ToCanonicalJson_Default_AsDocumented()
    {
        Assert.Equal(DefaultJson, PolicyOptions.Default.ToCanonicalJson());
    }

    [Fact]
    public void Fingerprint_Default_PinnedValue()
    {
        // Pinned: a change of the canonical form changes every recorded fingerprint, which refuses every snapshot.
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(DefaultJson))), PolicyOptions.Default.Fingerprint);
        Assert.Equal(DefaultFingerprint, PolicyOptions.Default.Fingerprint);
    }

    private const string DefaultFingerprint = "sha256:9b14fcec6a3702953f55b2e66d126bc94b7fe199bc9e2a163b96020469910aa8";

    public static TheoryData<string> Changes => ["MaxActiveRuns", "MaxActivePerLabel", "BackoffBase", "BackoffCap", "JitterFraction", "MaxAttempts", "LeaseDuration", "Reservation", "BypassBudget"];

    [Theory]
    [MemberData(nameof(Changes))]
    public void Fingerprint_AnyOptionChanged_Differs(string member)
    {
        PolicyOptions d = PolicyOptions.Default;
        PolicyOptions changed = member switch
        {
            "MaxActiveRuns" => d with { MaxActiveRuns = 4 },
            "MaxActivePerLabel" => d with { MaxActivePerLabel = d.MaxActivePerLabel.Add("ui", 1) },
            "BackoffBase" => d with { BackoffBase = 10_001 },
            "BackoffCap" => d with { BackoffCap = 300_001 },
            "JitterFraction" => d with { JitterFraction = 0.2 },
            "MaxAttempts" => d with { MaxAttempts = 4 },
            "LeaseDuration" => d with { LeaseDuration = null },
            "Reservation" => d with { Reservation = ReservationMode.Strict },
            _ => d with { BypassBudget = 63 },
        };

        Assert.NotEqual(d.Fingerprint, changed.Fingerprint);
        Assert.Matches("^sha256:[0-9a-f]{64}$", changed.Fingerprint);
    }

    [Fact]
    public void Fingerprint_LabelsInAnyOrderOrComparer_Same()
    {
        PolicyOptions a = PolicyOptions.Default with { MaxActivePerLabel = ImmutableSortedDictionary.CreateRange<string, int>(StringComparer.Ordinal, [new("b", 1), new("B", 2), new("a", 3)]) };
        PolicyOptions b = PolicyOptions.Default with { MaxActivePerLabel = ImmutableSortedDictionary.CreateRange<string, int>(StringComparer.OrdinalIgnoreCase, [new("a", 3), new("b", 1)]).Add("c", 9).Remove("c") };
        PolicyOptions c = PolicyOptions.Default with { MaxActivePerLabel = ImmutableSortedDictionary.CreateRange<string, int>(StringComparer.InvariantCulture, [new("a", 3), new("B", 2), new("b", 1)]) };

        Assert.Equal(a.Fingerprint, c.Fingerprint);
        Assert.Equal("""{"B":2,"a":3,"b":1}""", a.ToCanonicalJson().Split("\"maxActivePerLabel\":")[1].Split('}')[0] + "}");
        Assert.NotEqual(a.Fingerprint, b.Fingerprint);
    }

    [Fact]
    public void ToCanonicalJson_ReadBack_SameFingerprint()
    {
        PolicyOptions options = PolicyOptions.Default with
        {
            MaxActiveRuns = 2,
            MaxActivePerLabel = PolicyOptions.Default.MaxActivePerLabel.Add("ui \"quoted\" é", 1),
            JitterFraction = 1.0 / 3,
            LeaseDuration = PolicyOptions.MaxDuration,
            Reservation = ReservationMode.Strict,
        };

        PolicyOptions read = PolicyOptionsJson.Read(options.ToCanonicalJson());

        Assert.Equal(options.Fingerprint, read.Fingerprint);
        Assert.Equal(options.ToCanonicalJson(), read.ToCanonicalJson());
    }
}
