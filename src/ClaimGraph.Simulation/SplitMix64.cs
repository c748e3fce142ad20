namespace ClaimGraph.Simulation;

/// <summary>
/// A tiny deterministic generator (splitmix64) and a stable string hash (FNV-1a + splitmix64 finaliser). Unlike
/// <see cref="Random"/> and <see cref="string.GetHashCode()"/>, both give the same numbers on every runtime,
/// platform and process, which keeps simulations byte-for-byte reproducible.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A double uniform in [0, 1).</summary>
    public double NextUnit() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer uniform in [0, <paramref name="bound"/>).</summary>
    public int NextInt(int bound) => (int)(NextUnit() * bound);

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A stable hash of <paramref name="text"/> salted with <paramref name="seed"/>.</summary>
    public static ulong Hash(ulong seed, string text)
    {
        ulong h = 14695981039346656037UL ^ Mix(seed);
        foreach (char c in text)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return Mix(h);
    }

    /// <summary>A stable double in [0, 1) from <paramref name="text"/> and <paramref name="seed"/>.</summary>
    public static double HashUnit(ulong seed, string text) => (Hash(seed, text) >> 11) * (1.0 / (1UL << 53));
}
