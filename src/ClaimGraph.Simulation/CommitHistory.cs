using System.Collections.Immutable;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace ClaimGraph.Simulation;

/// <summary>
/// A commit history to replay: commits <b>newest first</b> (the order <c>git log</c> prints and the corpus stores),
/// with the name of where it came from. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Three sources: <see cref="ReadJsonLines(string)"/> (the corpus format, JSON Lines, optionally gzip),
/// <see cref="FromGitRepository"/> (runs <c>git log</c> on a local repository) and
/// <see cref="SyntheticHistory.Generate"/> (a deterministic built-in generator).
/// </remarks>
/// <param name="Name">Where the history came from (a file name, a repository path, <c>synthetic(seed=…)</c>).</param>
/// <param name="Commits">The commits, newest first, never empty.</param>
public sealed record CommitHistory(string Name, ImmutableArray<HistoryCommit> Commits)
{
    /// <summary>
    /// <see cref="FromGitRepository"/> only: merge commits among the commits read, left out because a merge's changes
    /// are those of the commits it merges, which are replayed on their own. 0 for other sources.
    /// </summary>
    public int SkippedMerges { get; init; }

    /// <summary><see cref="FromGitRepository"/> only: commits left out because they change no file. 0 for other sources.</summary>
    public int SkippedEmpty { get; init; }

    /// <summary>Value equality including the commit list (a record compares arrays by reference otherwise).</summary>
    public bool Equals(CommitHistory? other) =>
        other is not null
        && Name == other.Name
        && SkippedMerges == other.SkippedMerges
        && SkippedEmpty == other.SkippedEmpty
        && Commits.AsSpan().SequenceEqual(other.Commits.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Commits.Length);

    /// <summary>The newest <paramref name="count"/> commits (all of them when there are fewer). O(count).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public CommitHistory Newest(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return count >= Commits.Length ? this : this with { Commits = Commits[..count] };
    }

    /// <summary>
    /// Reads a history file in the corpus format: JSON Lines, one commit per line, newest first,
    /// <c>{"sha","time","author_time","files":[...],"parents"}</c>. A gzip file (detected by its magic bytes, whatever
    /// its name) is decompressed. Blank lines are skipped; unknown keys are ignored; a missing <c>author_time</c> is
    /// taken as <c>time</c> and a missing <c>parents</c> as 1.
    /// </summary>
    /// <exception cref="HistoryReadException">A line is malformed (with its line number), or the file holds no commit.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static CommitHistory ReadJsonLines(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream file = File.OpenRead(path);
        return ReadJsonLines(file, Path.GetFileName(path));
    }

    /// <summary>Reads a history in the corpus format from a stream (gzip or plain, detected); see <see cref="ReadJsonLines(string)"/>.</summary>
    /// <param name="stream">The bytes; read to the end, not closed.</param>
    /// <param name="name">The name to report in errors and results.</param>
    /// <exception cref="HistoryReadException">A line is malformed (with its line number), gzip data is corrupt, or the stream holds no commit.</exception>
    public static CommitHistory ReadJsonLines(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        buffer.Position = 0;
        byte[] head = buffer.GetBuffer();
        bool gzip = buffer.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b;
        using Stream content = gzip ? new GZipStream(buffer, CompressionMode.Decompress, leaveOpen: true) : buffer;
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var commits = ImmutableArray.CreateBuilder<HistoryCommit>();
        int lineNumber = 0;
        while (ReadLine(reader, name, lineNumber + 1) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            commits.Add(ParseLine(line, name, lineNumber));
        }

        if (commits.Count == 0)
        {
            throw new HistoryReadException(HistoryErrorCode.Empty, name, 0, "the history holds no commit", "give a JSON Lines file with one commit per line");
        }

        return new CommitHistory(name, commits.ToImmutable());
    }

    /// <summary>
    /// Runs <c>git log --no-merges --no-renames --name-only</c> on the repository at <paramref name="repositoryPath"/>
    /// (from <c>HEAD</c>) and reads its commits, newest first, exactly as the corpus was produced. Commits that touch
    /// no file are dropped. The history says how many commits were left out (<see cref="SkippedMerges"/>: the merges
    /// among the commits read, counted with <c>git rev-list --merges</c>; <see cref="SkippedEmpty"/>). Needs <c>git</c>
    /// on the <c>PATH</c>.
    /// </summary>
    /// <param name="repositoryPath">A work tree or a bare repository.</param>
    /// <param name="maxCount">The newest this many commits (before dropping empty ones), or <see langword="null"/> for all.</param>
    /// <exception cref="HistoryReadException"><c>git</c> is missing (<see cref="HistoryErrorCode.GitNotFound"/>), fails
    /// (<see cref="HistoryErrorCode.GitFailed"/>, with its error output), or the repository has no commit with files.</exception>
    public static CommitHistory FromGitRepository(string repositoryPath, int? maxCount = null) =>
        GitLogReader.Read(repositoryPath, maxCount);

    /// <summary>The next line, or <see langword="null"/> at the end; gzip data that does not decompress is a <see cref="HistoryErrorCode.InvalidCompression"/>.</summary>
    private static string? ReadLine(StreamReader reader, string name, int lineNumber)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (InvalidDataException ex)
        {
            throw new HistoryReadException(
                HistoryErrorCode.InvalidCompression,
                name,
                lineNumber,
                "the gzip data does not decompress: " + ex.Message,
                "give a JSON Lines file, plain or compressed with gzip",
                ex);
        }
    }

    private static HistoryCommit ParseLine(string line, string name, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new HistoryReadException(HistoryErrorCode.InvalidJson, name, lineNumber, "the line is not valid JSON: " + ex.Message, "each line must be one JSON object", ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new HistoryReadException(HistoryErrorCode.InvalidJson, name, lineNumber, $"the line is a JSON {root.ValueKind}, not an object");
            }

            string sha = RequiredString(root, "sha", name, lineNumber);
            long time = RequiredInt64(root, "time", name, lineNumber);
            long authorTime = root.TryGetProperty("author_time", out _) ? RequiredInt64(root, "author_time", name, lineNumber) : time;
            int parents = root.TryGetProperty("parents", out _) ? (int)RequiredInt64(root, "parents", name, lineNumber) : 1;
            if (!root.TryGetProperty("files", out JsonElement filesElement))
            {
                throw Missing("files", name, lineNumber);
            }

            if (filesElement.ValueKind != JsonValueKind.Array || filesElement.GetArrayLength() == 0)
            {
                throw new HistoryReadException(HistoryErrorCode.InvalidField, name, lineNumber, "'files' must be a non-empty array of paths");
            }

            var files = ImmutableArray.CreateBuilder<string>(filesElement.GetArrayLength());
            foreach (JsonElement file in filesElement.EnumerateArray())
            {
                if (file.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(file.GetString()))
                {
                    throw new HistoryReadException(HistoryErrorCode.InvalidField, name, lineNumber, "'files' must hold non-empty strings");
                }

                files.Add(file.GetString()!);
            }

            return new HistoryCommit(sha, time, authorTime, files.MoveToImmutable()) { Parents = parents };
        }
    }

    private static string RequiredString(JsonElement root, string field, string name, int lineNumber)
    {
        if (!root.TryGetProperty(field, out JsonElement value))
        {
            throw Missing(field, name, lineNumber);
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(value.GetString()))
        {
            throw new HistoryReadException(HistoryErrorCode.InvalidField, name, lineNumber, $"'{field}' must be a non-empty string");
        }

        return value.GetString()!;
    }

    private static long RequiredInt64(JsonElement root, string field, string name, int lineNumber)
    {
        if (!root.TryGetProperty(field, out JsonElement value))
        {
            throw Missing(field, name, lineNumber);
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number))
        {
            throw new HistoryReadException(HistoryErrorCode.InvalidField, name, lineNumber, $"'{field}' must be an integer");
        }

        return number;
    }

    private static HistoryReadException Missing(string field, string name, int lineNumber) =>
        new(HistoryErrorCode.MissingField, name, lineNumber, $"the field '{field}' is missing", "see the corpus README for the line format");
}
