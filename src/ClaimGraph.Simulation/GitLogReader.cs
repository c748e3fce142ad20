using System.Collections.Immutable;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ClaimGraph.Simulation;

/// <summary>
/// Reads a local repository's history with <c>git log</c>, in the same shape as the corpus histories:
/// <c>git log HEAD --no-merges --no-renames -z --name-only --format=%x01%H %ct %at %P</c>. Records are separated by
/// <c>\x01</c>; a record's header (<c>sha committer-time author-time parent…</c>) ends at the first NUL, then come a
/// newline and the NUL-separated paths (<c>-z</c>: paths are never quoted).
/// </summary>
internal static class GitLogReader
{
    public static CommitHistory Read(string repositoryPath, int? maxCount)
    {
        ArgumentNullException.ThrowIfNull(repositoryPath);
        if (maxCount is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxCount), maxCount, "must be at least 1 or null");
        }

        string[] log = ["log", "HEAD", "--no-merges", "--no-renames", "--no-color", "-z", "--name-only", "--format=%x01%H %ct %at %P"];
        if (maxCount is { } n)
        {
            log = [.. log, "-n", n.ToString(CultureInfo.InvariantCulture)];
        }

        ImmutableArray<HistoryCommit> commits = Parse(RunGit(repositoryPath, log), repositoryPath, out int records, out string? oldest);
        if (commits.IsEmpty)
        {
            throw new HistoryReadException(HistoryErrorCode.Empty, repositoryPath, 0, "git log found no non-merge commit that touches a file");
        }

        // The merges newer than the oldest commit read (all of them when the log reached the first commit).
        string[] merges = maxCount is { } max && records >= max && oldest is not null
            ? ["rev-list", "--count", "--merges", "HEAD", "^" + oldest]
            : ["rev-list", "--count", "--merges", "HEAD"];
        int skippedMerges = int.TryParse(RunGit(repositoryPath, merges).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count) ? count : 0;
        return new CommitHistory(repositoryPath, commits) { SkippedMerges = skippedMerges, SkippedEmpty = records - commits.Length };
    }

    internal static ImmutableArray<HistoryCommit> Parse(string output, string source) => Parse(output, source, out _, out _);

    /// <summary>The commits with files, newest first; <paramref name="records"/> counts every commit read, <paramref name="oldest"/> is the last one's id.</summary>
    internal static ImmutableArray<HistoryCommit> Parse(string output, string source, out int records, out string? oldest)
    {
        oldest = null;
        var commits = ImmutableArray.CreateBuilder<HistoryCommit>();
        int recordNumber = 0;
        foreach (string record in output.Split('\u0001'))
        {
            if (record.Length == 0)
            {
                continue;
            }

            recordNumber++;
            int headerEnd = record.IndexOf('\0', StringComparison.Ordinal);
            string header = headerEnd < 0 ? record : record[..headerEnd];
            string[] parts = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long time)
                || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long authorTime))
            {
                throw new HistoryReadException(HistoryErrorCode.GitOutputInvalid, source, recordNumber, $"unexpected commit header '{header}'");
            }

            oldest = parts[0];

            var files = ImmutableArray.CreateBuilder<string>();
            if (headerEnd >= 0)
            {
                foreach (string path in record[(headerEnd + 1)..].Split('\0'))
                {
                    string trimmed = path.TrimStart('\n');
                    if (trimmed.Length > 0)
                    {
                        files.Add(trimmed);
                    }
                }
            }

            if (files.Count > 0)
            {
                commits.Add(new HistoryCommit(parts[0], time, authorTime, files.ToImmutable()) { Parents = parts.Length - 3 });
            }
        }

        records = recordNumber;
        return commits.ToImmutable();
    }

    private static string RunGit(string repositoryPath, string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(repositoryPath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new HistoryReadException(HistoryErrorCode.GitNotFound, repositoryPath, 0, "git could not be started");
        }
        catch (Win32Exception ex)
        {
            throw new HistoryReadException(HistoryErrorCode.GitNotFound, repositoryPath, 0, "git could not be started: " + ex.Message, "install git and put it on the PATH", ex);
        }

        using (process)
        {
            // Read both pipes at once: a child blocked on a full stderr pipe would never finish stdout.
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            string errorText = error.GetAwaiter().GetResult().Trim();
            if (process.ExitCode != 0)
            {
                throw new HistoryReadException(
                    HistoryErrorCode.GitFailed,
                    repositoryPath,
                    0,
                    $"git {arguments[0]} exited with code {process.ExitCode}: {errorText}",
                    "give the path of a git repository with at least one commit");
            }

            return output;
        }
    }
}
