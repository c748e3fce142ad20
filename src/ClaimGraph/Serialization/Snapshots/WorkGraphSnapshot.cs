using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;

namespace ClaimGraph.Serialization;

/// <summary>
/// Saves a <see cref="WorkGraph"/> as versioned JSON and loads it back: <c>Load(Save(g))</c> equals <c>g</c>.
/// Serialisation is source-generated (no reflection at run time, AOT-friendly). Thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// The document is an object with <c>format</c> (<c>"claimgraph.workgraph"</c>), <c>version</c>
/// (<see cref="CurrentVersion"/>), <c>baseVersion</c>, <c>now</c> (<see cref="WorkGraph.Now"/>; 0 when absent),
/// <c>nextFencingToken</c>, <c>workItems</c> (each with its
/// <c>dependsOn</c> list), <c>runs</c> (claim sets in their text form, see <see cref="ClaimSet.ToString"/>),
/// <c>mergedChanges</c> and <c>processedEventIds</c>, every list in ordinal id order, so equal graphs give identical
/// bytes; and, when the saver gave one, <c>optionsFingerprint</c> (see <see cref="Save(WorkGraph, bool, string?)"/>).
/// </para>
/// <para>
/// Loading is all or nothing and trusts nothing: a document that is not JSON, not a snapshot, of an unknown version, of
/// the wrong shape, with invalid content, breaking an invariant the policy keeps (two active runs whose claims
/// conflict, two active runs with one fencing token) or recorded under other policy options than the caller expects
/// gives a <see cref="SnapshotError"/> (code, JSON path, line and position where known, hint) and no graph.
/// </para>
/// </remarks>
public static class WorkGraphSnapshot
{
    /// <summary>The snapshot format version this library writes and the newest it reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The value of the top-level <c>format</c> property.</summary>
    public const string FormatName = "claimgraph.workgraph";

    private static readonly SnapshotJsonContext Indented = new(new JsonSerializerOptions(SnapshotJsonContext.Default.Options) { WriteIndented = true });

    /// <summary>The graph as JSON text. O(n).</summary>
    /// <param name="graph">The graph to save.</param>
    /// <param name="indented">Whether to indent the output for people to read.</param>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    public static string Save(WorkGraph graph, bool indented = false) => Save(graph, indented, null);

    /// <summary>
    /// The graph as JSON text, recording <paramref name="optionsFingerprint"/>: the fingerprint of the policy options
    /// the graph is kept under (<c>PolicyOptions.Fingerprint</c>), which a later load can insist on
    /// (<see cref="SnapshotLoadOptions.ExpectedOptionsFingerprint"/>). O(n).
    /// </summary>
    /// <param name="graph">The graph to save.</param>
    /// <param name="indented">Whether to indent the output for people to read.</param>
    /// <param name="optionsFingerprint">The fingerprint to record, or <see langword="null"/> to record none (the document is then as without it).</param>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="optionsFingerprint"/> is empty.</exception>
    public static string Save(WorkGraph graph, bool indented, string? optionsFingerprint) => Encoding.UTF8.GetString(SaveToUtf8Bytes(graph, indented, optionsFingerprint));

    /// <summary>The graph as UTF-8 JSON bytes. O(n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    public static byte[] SaveToUtf8Bytes(WorkGraph graph, bool indented = false) => SaveToUtf8Bytes(graph, indented, null);

    /// <summary>The graph as UTF-8 JSON bytes, recording <paramref name="optionsFingerprint"/> as <see cref="Save(WorkGraph, bool, string?)"/> does. O(n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="optionsFingerprint"/> is empty.</exception>
    public static byte[] SaveToUtf8Bytes(WorkGraph graph, bool indented, string? optionsFingerprint)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (optionsFingerprint is { Length: 0 })
        {
            throw new ArgumentException("An options fingerprint must not be empty; pass null to record none.", nameof(optionsFingerprint));
        }

        return JsonSerializer.SerializeToUtf8Bytes(SnapshotWriter.ToDto(graph, optionsFingerprint), Context(indented).SnapshotDto);
    }

    /// <summary>Writes the graph as UTF-8 JSON to <paramref name="utf8Json"/>. O(n).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Save(WorkGraph graph, Stream utf8Json, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(utf8Json);
        JsonSerializer.Serialize(utf8Json, SnapshotWriter.ToDto(graph), Context(indented).SnapshotDto);
    }

    /// <summary>Loads a graph from JSON text.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="WorkGraphSnapshotException">The text is not a readable snapshot; the exception carries the <see cref="SnapshotError"/>.</exception>
    public static WorkGraph Load(string json) =>
        TryLoad(json, out WorkGraph? graph, out SnapshotError? error) ? graph : throw new WorkGraphSnapshotException(error);

    /// <summary>Loads a graph from UTF-8 JSON bytes.</summary>
    /// <exception cref="WorkGraphSnapshotException">The bytes are not a readable snapshot.</exception>
    public static WorkGraph Load(ReadOnlySpan<byte> utf8Json) =>
        TryLoad(utf8Json, out WorkGraph? graph, out SnapshotError? error) ? graph : throw new WorkGraphSnapshotException(error);

    /// <summary>Loads a graph from a stream of UTF-8 JSON (read to its end).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is null.</exception>
    /// <exception cref="WorkGraphSnapshotException">The content is not a readable snapshot.</exception>
    public static WorkGraph Load(Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        using var buffer = new MemoryStream();
        utf8Json.CopyTo(buffer);
        return Load(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Loads a graph from JSON text, checked as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="WorkGraphSnapshotException">The text is not a readable snapshot, breaks an invariant or was kept under other options.</exception>
    public static WorkGraph Load(string json, SnapshotLoadOptions options) =>
        TryLoad(json, options, out WorkGraph? graph, out SnapshotError? error) ? graph : throw new WorkGraphSnapshotException(error);

    /// <summary>Loads a graph from UTF-8 JSON bytes, checked as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="WorkGraphSnapshotException">The bytes are not a readable snapshot, break an invariant or were kept under other options.</exception>
    public static WorkGraph Load(ReadOnlySpan<byte> utf8Json, SnapshotLoadOptions options) =>
        TryLoad(utf8Json, options, out WorkGraph? graph, out SnapshotError? error) ? graph : throw new WorkGraphSnapshotException(error);

    /// <summary>Loads a graph from JSON text without throwing; on failure <paramref name="error"/> says why. Checks as <see cref="SnapshotLoadOptions.Default"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    public static bool TryLoad(string json, [NotNullWhen(true)] out WorkGraph? graph, [NotNullWhen(false)] out SnapshotError? error) =>
        TryLoad(json, SnapshotLoadOptions.Default, out graph, out error);

    /// <summary>Loads a graph from JSON text without throwing, checked as <paramref name="options"/> say; on failure <paramref name="error"/> says why.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static bool TryLoad(string json, SnapshotLoadOptions options, [NotNullWhen(true)] out WorkGraph? graph, [NotNullWhen(false)] out SnapshotError? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryLoad(Encoding.UTF8.GetBytes(json), options, out graph, out error);
    }

    /// <summary>Loads a graph from UTF-8 JSON bytes without throwing; on failure <paramref name="error"/> says why. Checks as <see cref="SnapshotLoadOptions.Default"/>.</summary>
    public static bool TryLoad(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out WorkGraph? graph, [NotNullWhen(false)] out SnapshotError? error) =>
        TryLoad(utf8Json, SnapshotLoadOptions.Default, out graph, out error);

    /// <summary>
    /// Loads a graph from UTF-8 JSON bytes without throwing, checked as <paramref name="options"/> say: the shape and
    /// values, then (unless <see cref="SnapshotLoadOptions.CheckInvariants"/> is off) the invariants the policy keeps
    /// (<see cref="SnapshotErrorCode.ConflictingActiveRuns"/>, <see cref="SnapshotErrorCode.DuplicateFencingToken"/>),
    /// then the recorded options fingerprint (<see cref="SnapshotErrorCode.OptionsMismatch"/>). On failure
    /// <paramref name="error"/> says why and <paramref name="graph"/> is null.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static bool TryLoad(ReadOnlySpan<byte> utf8Json, SnapshotLoadOptions options, [NotNullWhen(true)] out WorkGraph? graph, [NotNullWhen(false)] out SnapshotError? error)
    {
        ArgumentNullException.ThrowIfNull(options);
        graph = null;
        error = CheckHeader(utf8Json);
        if (error is not null)
        {
            return false;
        }

        SnapshotDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(utf8Json, SnapshotJsonContext.Default.SnapshotDto);
        }
        catch (JsonException ex)
        {
            error = new SnapshotError(
                SnapshotErrorCode.SchemaMismatch,
                FirstSentence(ex.Message),
                ex.Path,
                ex.LineNumber,
                ex.BytePositionInLine,
                "Compare the document with one written by WorkGraphSnapshot.Save.");
            return false;
        }

        var reader = new SnapshotReader();
        graph = reader.Read(dto!, options);
        error = reader.Error;
        return graph is not null;
    }

    private static SnapshotJsonContext Context(bool indented) => indented ? Indented : SnapshotJsonContext.Default;

    /// <summary>Checks that the bytes are well-formed JSON whose top level is a snapshot object of a version this library reads.</summary>
    private static SnapshotError? CheckHeader(ReadOnlySpan<byte> utf8Json)
    {
        string? format = null;
        long? version = null;
        bool versionPresent = false;
        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            if (!reader.Read())
            {
                return new SnapshotError(SnapshotErrorCode.InvalidJson, "The document is empty.", null, 0, 0, "Give the text WorkGraphSnapshot.Save wrote.");
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                while (reader.Read())
                {
                }

                return WrongFormat("The top level of the document is not an object.", "$");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isFormat = reader.ValueTextEquals("format"u8);
                bool isVersion = reader.ValueTextEquals("version"u8);
                reader.Read();
                if (isFormat && reader.TokenType == JsonTokenType.String)
                {
                    format = reader.GetString();
                }
                else if (isVersion)
                {
                    versionPresent = true;
                    version = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long v) ? v : null;
                }

                reader.Skip();
            }

            // Reading past the end object makes the reader reject any trailing content.
            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            return new SnapshotError(
                SnapshotErrorCode.InvalidJson,
                FirstSentence(ex.Message),
                null,
                ex.LineNumber,
                ex.BytePositionInLine,
                "The file is damaged or truncated; restore it from a copy or save the graph again.");
        }

        if (!string.Equals(format, FormatName, StringComparison.Ordinal))
        {
            return WrongFormat(
                format is null ? "The document has no \"format\" property; it is not a work graph snapshot." : $"The document's format is '{format}', not '{FormatName}'.",
                "$.format");
        }

        if (version is null)
        {
            return new SnapshotError(
                SnapshotErrorCode.MissingVersion,
                versionPresent ? "The snapshot's \"version\" is not an integer." : "The snapshot has no \"version\" property.",
                "$.version",
                null,
                null,
                string.Create(CultureInfo.InvariantCulture, $"Add \"version\": {CurrentVersion} if the file was written by this library."));
        }

        if (version is < 1 or > CurrentVersion)
        {
            return new SnapshotError(
                SnapshotErrorCode.UnsupportedVersion,
                string.Create(CultureInfo.InvariantCulture, $"The snapshot has version {version}; this library reads versions 1 to {CurrentVersion}."),
                "$.version",
                null,
                null,
                version > CurrentVersion ? "It was written by a newer ClaimGraph: upgrade the library to read it." : "The file is damaged; restore it from a copy.");
        }

        return null;
    }

    private static SnapshotError WrongFormat(string message, string path) =>
        new(SnapshotErrorCode.WrongFormat, message, path, null, null, "Give the text WorkGraphSnapshot.Save wrote.");

    /// <summary>The exception message without the location suffix System.Text.Json appends (we report it separately).</summary>
    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        return (cut < 0 ? message : message[..cut]).TrimEnd(' ', '|');
    }
}
