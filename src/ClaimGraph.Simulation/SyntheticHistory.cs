using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace ClaimGraph.Simulation;

/// <summary>
/// A deterministic generator of commit histories, for when no real history is at hand. Same options, same history.
/// </summary>
/// <remarks>
/// <para><b>Tree.</b> <see cref="SyntheticHistoryOptions.TopLevelDirectories"/> top-level directories <c>t0 … tN</c>;
/// each directory above level <see cref="SyntheticHistoryOptions.Depth"/> has
/// <see cref="SyntheticHistoryOptions.SubdirectoriesPerDirectory"/> children <c>d0 … dM</c>; every directory holds
/// <see cref="SyntheticHistoryOptions.FilesPerDirectory"/> files <c>f0.cs … fK.cs</c>
/// (so <c>t2/d0/d1/f3.cs</c>), plus the <see cref="SyntheticHistoryOptions.HotSpots"/> files.</para>
/// <para><b>Commits.</b> Each commit picks a home directory by Zipf popularity
/// (<see cref="SyntheticHistoryOptions.DirectorySkew"/>, ranks in a seeded shuffled order), draws its size
/// <c>1 + Geometric</c> with mean <see cref="SyntheticHistoryOptions.MeanFilesPerCommit"/> (capped), and picks each file
/// in the home directory with probability <see cref="SyntheticHistoryOptions.Locality"/>, otherwise in a directory drawn
/// by popularity again. With probability <see cref="SyntheticHistoryOptions.HotSpotShare"/> it also touches one hot
/// spot. Files are distinct and sorted ordinally, as git prints them.</para>
/// <para><b>Times.</b> Exponential intervals with mean <see cref="SyntheticHistoryOptions.MeanIntervalSeconds"/> from
/// <see cref="SyntheticHistoryOptions.StartTime"/>; the author time is up to an hour before the committer time.
/// Commit ids are 40 hex digits from a hash of the seed and the commit number. The result is newest first, like
/// <c>git log</c>.</para>
/// <para>Randomness is a seeded splitmix64 generator (not <see cref="Random"/>, whose sequence may change between
/// runtimes), so a seed names the same history everywhere.</para>
/// </remarks>
public static class SyntheticHistory
{
    /// <summary>Generates a history with the given shape. O(commits · files per commit + directories).</summary>
    /// <param name="options">The shape, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    public static CommitHistory Generate(SyntheticHistoryOptions? options = null)
    {
        options ??= new SyntheticHistoryOptions();
        ImmutableArray<string> problems = options.Validate();
        if (!problems.IsEmpty)
        {
            throw new ArgumentException("Invalid synthetic history options: " + string.Join(" ", problems), nameof(options));
        }

        var random = new SplitMix64(options.Seed);
        List<string> directories = BuildDirectories(options);
        Shuffle(directories, ref random);
        double[] cumulative = ZipfCumulative(directories.Count, options.DirectorySkew);

        var commits = new HistoryCommit[options.Commits];
        double time = options.StartTime;
        var files = new SortedSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < options.Commits; i++)
        {
            if (i > 0)
            {
                time += -Math.Log(1 - random.NextUnit()) * options.MeanIntervalSeconds;
            }

            files.Clear();
            string home = directories[Pick(cumulative, random.NextUnit())];
            int size = FileCount(options, ref random);
            for (int f = 0; f < size; f++)
            {
                string directory = random.NextUnit() < options.Locality ? home : directories[Pick(cumulative, random.NextUnit())];
                files.Add(directory + "/f" + random.NextInt(options.FilesPerDirectory).ToString(CultureInfo.InvariantCulture) + ".cs");
            }

            if (random.NextUnit() < options.HotSpotShare)
            {
                files.Add(options.HotSpots[random.NextInt(options.HotSpots.Length)]);
            }

            long commitTime = (long)time;
            long authorTime = commitTime - (long)(random.NextUnit() * 3600);
            commits[options.Commits - 1 - i] = new HistoryCommit(Sha(options.Seed, i), commitTime, authorTime, [.. files]);
        }

        string name = "synthetic(seed=" + options.Seed.ToString(CultureInfo.InvariantCulture) + ")";
        return new CommitHistory(name, ImmutableArray.Create(commits));
    }

    private static List<string> BuildDirectories(SyntheticHistoryOptions options)
    {
        var all = new List<string>();
        var level = new List<string>();
        for (int t = 0; t < options.TopLevelDirectories; t++)
        {
            level.Add("t" + t.ToString(CultureInfo.InvariantCulture));
        }

        for (int depth = 1; depth <= options.Depth && level.Count > 0; depth++)
        {
            all.AddRange(level);
            var next = new List<string>();
            if (depth < options.Depth)
            {
                foreach (string parent in level)
                {
                    for (int d = 0; d < options.SubdirectoriesPerDirectory; d++)
                    {
                        next.Add(parent + "/d" + d.ToString(CultureInfo.InvariantCulture));
                    }
                }
            }

            level = next;
        }

        return all;
    }

    private static void Shuffle(List<string> items, ref SplitMix64 random)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static double[] ZipfCumulative(int count, double skew)
    {
        var cumulative = new double[count];
        double total = 0;
        for (int r = 0; r < count; r++)
        {
            total += 1.0 / Math.Pow(r + 1, skew);
            cumulative[r] = total;
        }

        for (int r = 0; r < count; r++)
        {
            cumulative[r] /= total;
        }

        return cumulative;
    }

    private static int Pick(double[] cumulative, double unit)
    {
        int index = Array.BinarySearch(cumulative, unit);
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, cumulative.Length - 1);
    }

    private static int FileCount(SyntheticHistoryOptions options, ref SplitMix64 random)
    {
        // 1 + Geometric(p) on {0, 1, …} with mean (1 − p) / p = MeanFilesPerCommit − 1.
        double extraMean = options.MeanFilesPerCommit - 1;
        int count = 1;
        if (extraMean > 0)
        {
            double p = 1 / (1 + extraMean);
            while (count < options.MaxFilesPerCommit && random.NextUnit() >= p)
            {
                count++;
            }
        }

        return count;
    }

    private static string Sha(ulong seed, int index)
    {
        var builder = new StringBuilder(40);
        ulong state = SplitMix64.Mix(seed ^ SplitMix64.Mix((ulong)index + 1));
        while (builder.Length < 40)
        {
            state = SplitMix64.Mix(state + 0x9E3779B97F4A7C15UL);
            builder.Append(state.ToString("x16", CultureInfo.InvariantCulture));
        }

        return builder.ToString(0, 40);
    }
}
