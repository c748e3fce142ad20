using System.Collections.Immutable;
using ClaimGraph.Claims;

namespace ClaimGraph.Simulation;

/// <summary>
/// Turns a commit's files into a task's declared claims: <c>write</c> at the chosen granularity (coarsened past
/// <see cref="SimulationOptions.MaxClaimEntries"/>), <c>append</c> for mergeable files, and, with
/// <see cref="SimulationOptions.MissingClaimShare"/>, a seeded share of the files left out to be found during the work.
/// </summary>
internal sealed class Footprints
{
    private readonly MergeableFiles _mergeable;
    private readonly ClaimGranularity _granularity;
    private readonly int? _maxEntries;
    private readonly double _missingShare;
    private readonly ulong _seed;

    public Footprints(SimulationOptions options)
    {
        _mergeable = MergeableFiles.Parse(options.Mergeable);
        _granularity = options.Granularity;
        _maxEntries = options.MaxClaimEntries;
        _missingShare = options.MissingClaimShare;
        _seed = options.Seed;
    }

    /// <summary>The task of a commit whose <paramref name="files"/> are valid, distinct and sorted.</summary>
    public SimulationTask Task(string id, string sha, long arrival, long duration, ImmutableArray<string> files)
    {
        ImmutableArray<string> mergeable = [.. files.Where(_mergeable.Contains)];
        ImmutableArray<string> declared = _missingShare > 0 ? Declared(sha, files) : files;
        ImmutableArray<string> lines = DeclaredLines(declared, mergeable);
        return new SimulationTask(id, sha, arrival, duration, files, lines)
        {
            Mergeable = mergeable,
            Undeclared = declared.Length == files.Length ? [] : Undeclared(sha, files, declared, mergeable, lines),
        };
    }

    private ImmutableArray<string> DeclaredLines(ImmutableArray<string> declared, ImmutableArray<string> mergeable)
    {
        var appends = new List<string>();
        var writes = new List<string>();
        foreach (string file in declared)
        {
            if (mergeable.AsSpan().BinarySearch(file, StringComparer.Ordinal) >= 0)
            {
                appends.Add("append " + SimulationTask.Escape(file));
            }
            else
            {
                writes.Add(file);
            }
        }

        // Appends are never coarsened (a directory append would not cover the directory's other files for writing).
        int? writeLimit = _maxEntries is { } max ? Math.Max(1, max - appends.Count) : null;
        return [.. (writes.Count == 0 ? [] : SimulationTask.ClaimLines(writes, _granularity, writeLimit)).Concat(appends).Order(StringComparer.Ordinal)];
    }

    /// <summary>The files the prediction keeps: each with probability 1 − share, and at least the one most likely kept.</summary>
    private ImmutableArray<string> Declared(string sha, ImmutableArray<string> files)
    {
        var kept = ImmutableArray.CreateBuilder<string>();
        string best = files[0];
        double bestUnit = -1;
        foreach (string file in files)
        {
            double unit = SplitMix64.HashUnit(_seed, "declared\n" + sha + "\n" + file);
            if (unit >= _missingShare)
            {
                kept.Add(file);
            }

            if (unit > bestUnit)
            {
                (best, bestUnit) = (file, unit);
            }
        }

        return kept.Count > 0 ? kept.ToImmutable() : [best];
    }

    private ImmutableArray<UndeclaredFile> Undeclared(string sha, ImmutableArray<string> files, ImmutableArray<string> declared, ImmutableArray<string> mergeable, ImmutableArray<string> lines)
    {
        ClaimSet claims = ClaimSet.Parse(string.Join('\n', lines));
        var undeclared = new List<UndeclaredFile>();
        foreach (string file in files)
        {
            if (declared.AsSpan().BinarySearch(file, StringComparer.Ordinal) >= 0 || claims.AllowsChange(file))
            {
                continue;
            }

            string line = mergeable.AsSpan().BinarySearch(file, StringComparer.Ordinal) >= 0
                ? "append " + SimulationTask.Escape(file)
                : SimulationTask.ClaimLines([file], _granularity)[0];
            undeclared.Add(new UndeclaredFile(file, line, SplitMix64.HashUnit(_seed, "found\n" + sha + "\n" + file)));
        }

        return [.. undeclared.OrderBy(u => u.FoundAt).ThenBy(u => u.Path, StringComparer.Ordinal)];
    }
}
