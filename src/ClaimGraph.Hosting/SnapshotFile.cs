using System.Text.Json;
using ClaimGraph.Coordination;
using ClaimGraph.Graph;
using ClaimGraph.Serialization;

namespace ClaimGraph.Hosting;

/// <summary>
/// The in-process coordinator's state file: one header line <c>{"format":"claimgraph.inprocess","formatVersion":1,"version":N}</c>,
/// then the graph as <see cref="WorkGraphSnapshot"/> JSON.
/// </summary>
internal static class SnapshotFile
{
    public const string FormatName = "claimgraph.inprocess";

    public const int FormatVersion = 1;

    /// <summary>Writes <paramref name="state"/> to a temporary file beside <paramref name="path"/>, flushes it to disk, then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, ClaimCoordinatorState state)
    {
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var header = new Utf8JsonWriter(stream))
            {
                header.WriteStartObject();
                header.WriteString("format", FormatName);
                header.WriteNumber("formatVersion", FormatVersion);
                header.WriteNumber("version", state.Version);
                header.WriteEndObject();
            }

            stream.WriteByte((byte)'\n');
            WorkGraphSnapshot.Save(state.Graph, stream);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a state file.</summary>
    /// <exception cref="InvalidDataException">The file is not a state file of this format.</exception>
    public static ClaimCoordinatorState Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int newline = Array.IndexOf(bytes, (byte)'\n');
        if (newline < 0)
        {
            throw Invalid(path, "it has no header line");
        }

        long version;
        try
        {
            using JsonDocument header = JsonDocument.Parse(bytes.AsMemory(0, newline));
            JsonElement root = header.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.String || format.GetString() != FormatName
                || !root.TryGetProperty("formatVersion", out JsonElement formatVersion) || formatVersion.ValueKind != JsonValueKind.Number)
            {
                throw Invalid(path, $"its header does not name the format '{FormatName}'");
            }

            if (!formatVersion.TryGetInt32(out int number) || number != FormatVersion)
            {
                throw Invalid(path, $"its format version {formatVersion.GetRawText()} is not {FormatVersion} (written by another version of ClaimGraph.Hosting?)");
            }

            if (!root.TryGetProperty("version", out JsonElement v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out version) || version < 0)
            {
                throw Invalid(path, "its header has no 'version' of 0 or more");
            }
        }
        catch (JsonException ex)
        {
            throw Invalid(path, "its header line is not JSON: " + ex.Message);
        }

        if (!WorkGraphSnapshot.TryLoad(bytes.AsSpan(newline + 1), out WorkGraph? graph, out SnapshotError? error))
        {
            throw Invalid(path, $"its graph is not a valid snapshot ({error.Code}: {error.Message})");
        }

        return new ClaimCoordinatorState(graph, version);
    }

    private static InvalidDataException Invalid(string path, string why) =>
        new($"The ClaimGraph state file '{path}' cannot be loaded: {why}. Move it away to start from an empty graph, or restore a backup.");
}
