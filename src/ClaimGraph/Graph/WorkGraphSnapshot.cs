using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ClaimGraph.Claims;
using ClaimGraph.Globs;

namespace ClaimGraph.Graph;

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
/// bytes.
/// </para>
/// <para>
/// Loading is all or nothing: a document that is not JSON, not a snapshot, of an unknown version, of the wrong shape
/// or with invalid content gives a <see cref="SnapshotError"/> (code, JSON path, line and position where known, hint)
/// and no graph.
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
    public static string Save(WorkGraph graph, bool indented = false) => Encoding.UTF8.GetString(SaveToUtf8Bytes(graph, indented));

    /// <summary>The graph as UTF-8 JSON bytes. O(n).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    public static byte[] SaveToUtf8Bytes(WorkGraph graph, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return JsonSerializer.SerializeToUtf8Bytes(ToDto(graph), Context(indented).SnapshotDto);
    }

    /// <summary>Writes the graph as UTF-8 JSON to <paramref name="utf8Json"/>. O(n).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Save(WorkGraph graph, Stream utf8Json, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(utf8Json);
        JsonSerializer.Serialize(utf8Json, ToDto(graph), Context(indented).SnapshotDto);
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

    /// <summary>Loads a graph from JSON text without throwing; on failure <paramref name="error"/> says why.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    public static bool TryLoad(string json, [NotNullWhen(true)] out WorkGraph? graph, [NotNullWhen(false)] out SnapshotError? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryLoad(Encoding.UTF8.GetBytes(json), out graph, out error);
    }

    /// <summary>Loads a graph from UTF-8 JSON bytes without throwing; on failure <paramref name="error"/> says why.</summary>
    public static bool TryLoad(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out WorkGraph? graph, [NotNullWhen(false)] out SnapshotError? error)
    {
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
        graph = reader.Read(dto!);
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

    private static SnapshotDto ToDto(WorkGraph graph)
    {
        var items = new WorkItemDto[graph.WorkItemCount];
        int i = 0;
        foreach (WorkItem item in graph.WorkItems.Values)
        {
            ImmutableSortedSet<string> deps = graph.DependenciesOf(item.Id);
            items[i++] = new WorkItemDto
            {
                Id = item.Id,
                Revision = item.Revision,
                Status = item.Status,
                Priority = item.Priority,
                Labels = item.Labels.IsEmpty ? null : [.. item.Labels],
                DependsOn = deps.IsEmpty ? null : [.. deps],
            };
        }

        var runs = new RunDto[graph.RunCount];
        i = 0;
        foreach (Run run in graph.Runs.Values)
        {
            runs[i++] = ToDto(run);
        }

        var changes = new MergedChangeDto[graph.MergedChanges.Count];
        i = 0;
        foreach (MergedChange change in graph.MergedChanges)
        {
            changes[i++] = new MergedChangeDto { Version = change.Version, Paths = [.. change.Paths], RunId = change.RunId };
        }

        return new SnapshotDto
        {
            Format = FormatName,
            Version = CurrentVersion,
            BaseVersion = graph.BaseVersion,
            Now = graph.Now,
            NextFencingToken = graph.NextFencingToken,
            WorkItems = items,
            Runs = runs,
            MergedChanges = changes,
            ProcessedEventIds = [.. graph.ProcessedEventIds],
        };
    }

    private static RunDto ToDto(Run run)
    {
        Dictionary<string, long>? revisions = null;
        if (!run.AdmittedUpstreamRevisions.IsEmpty)
        {
            // Inserted in ordinal order, which a dictionary without removals keeps when enumerated.
            revisions = new Dictionary<string, long>(run.AdmittedUpstreamRevisions.Count, StringComparer.Ordinal);
            foreach (KeyValuePair<string, long> entry in run.AdmittedUpstreamRevisions)
            {
                revisions.Add(entry.Key, entry.Value);
            }
        }

        HistoryEntryDto[]? history = null;
        if (!run.History.IsEmpty)
        {
            history = new HistoryEntryDto[run.History.Count];
            int i = 0;
            foreach (RunHistoryEntry entry in run.History)
            {
                history[i++] = new HistoryEntryDto
                {
                    EventId = entry.EventId,
                    At = entry.At,
                    Kind = entry.Kind,
                    Reason = entry.Reason,
                    Message = entry.Message,
                    RelatedRunIds = entry.RelatedRunIds.IsEmpty ? null : [.. entry.RelatedRunIds],
                    WitnessPath = entry.WitnessPath,
                    Sequence = entry.Sequence,
                };
            }
        }

        return new RunDto
        {
            Id = run.Id,
            WorkItemId = run.WorkItemId,
            Attempt = run.Attempt,
            Claims = run.Claims.ToString(),
            ClaimsIgnoreCase = IgnoreCaseMask(run.Claims),
            Priority = run.Priority,
            RequestedAt = run.RequestedAt,
            Status = run.Status,
            NotBefore = run.NotBefore,
            ReservesPlace = run.ReservesPlace,
            Bypasses = run.Bypasses == 0 ? null : run.Bypasses,
            LastBypassedBy = run.LastBypassedBy,
            AdmittedBase = run.AdmittedBase,
            AdmittedUpstreamRevisions = revisions,
            WorkspaceKey = run.WorkspaceKey,
            Failures = run.Failures,
            PreviousRunId = run.PreviousRunId,
            LeaseExpiresAt = run.LeaseExpiresAt,
            FencingToken = run.FencingToken,
            History = history,
        };
    }

    /// <summary>
    /// The text form does not carry pattern options: <see langword="null"/> when no pattern ignores case, "1" when all
    /// do, otherwise one digit per line of the text form (entries, then exclusions).
    /// </summary>
    private static string? IgnoreCaseMask(ClaimSet claims)
    {
        var mask = new StringBuilder(claims.Entries.Length + claims.Exclusions.Length);
        foreach (ClaimEntry entry in claims.Entries)
        {
            mask.Append(entry.Pattern.IgnoreCase ? '1' : '0');
        }

        foreach (Glob exclusion in claims.Exclusions)
        {
            mask.Append(exclusion.IgnoreCase ? '1' : '0');
        }

        string text = mask.ToString();
        return !text.Contains('1', StringComparison.Ordinal) ? null : !text.Contains('0', StringComparison.Ordinal) ? "1" : text;
    }

    /// <summary>Turns a deserialised document into a graph, validating every value; stops at the first error.</summary>
    private sealed class SnapshotReader
    {
        private readonly WorkGraphBuilder _builder = WorkGraph.CreateBuilder();
        private readonly HashSet<string> _itemIds = new(StringComparer.Ordinal);
        private readonly HashSet<string> _runIds = new(StringComparer.Ordinal);

        // Runs share claim texts (every retry keeps its claims; modules repeat): parse each text once and share the set.
        private readonly Dictionary<(string Text, string? Mask), ClaimSet> _claims = [];

        public SnapshotError? Error { get; private set; }

        public WorkGraph? Read(SnapshotDto dto)
        {
            if (!ReadItems(dto.WorkItems) || !ReadRuns(dto.Runs) || !ReadChanges(dto) || !ReadProcessed(dto.ProcessedEventIds))
            {
                return null;
            }

            if (dto.NextFencingToken < 1)
            {
                return Fail(SnapshotErrorCode.InvalidValue, "$.nextFencingToken", "The next fencing token must be at least 1.");
            }

            _builder.NextFencingToken = dto.NextFencingToken;
            GraphResult result = _builder.Build();
            if (result.Error is { } graphError)
            {
                // Unknown items and runs are caught above with their paths; what is left is a cycle.
                return Fail(SnapshotErrorCode.DependencyCycle, "$.workItems", graphError.Message, graphError.Hint);
            }

            return result.Value.WithNow(dto.Now);
        }

        private bool ReadItems(WorkItemDto[]? items)
        {
            if (items is null)
            {
                return Reject(SnapshotErrorCode.SchemaMismatch, "$.workItems", "The work items must be an array.");
            }

            for (int i = 0; i < items.Length; i++)
            {
                string path = Path("$.workItems", i);
                WorkItemDto? dto = items[i];
                if (dto is null)
                {
                    return Reject(SnapshotErrorCode.SchemaMismatch, path, "A work item must be an object.");
                }

                if (!Id(dto.Id, path + ".id") || !Defined(dto.Status, path + ".status") || !Strings(dto.Labels, path + ".labels", allowEmpty: true)
                    || !Strings(dto.DependsOn, path + ".dependsOn", allowEmpty: false))
                {
                    return false;
                }

                if (dto.Revision < 0)
                {
                    return Reject(SnapshotErrorCode.InvalidValue, path + ".revision", "A revision cannot be negative.");
                }

                if (!_itemIds.Add(dto.Id))
                {
                    return Reject(SnapshotErrorCode.DuplicateId, path + ".id", $"Another work item already has the id '{dto.Id}'.");
                }

                _builder.AddWorkItem(new WorkItem(dto.Id)
                {
                    Revision = dto.Revision,
                    Status = dto.Status,
                    Priority = dto.Priority,
                    Labels = Structural.Ids(dto.Labels),
                });
                foreach (string dependency in dto.DependsOn ?? [])
                {
                    _builder.AddDependency(dto.Id, dependency);
                }
            }

            return true;
        }

        private bool ReadRuns(RunDto[]? runs)
        {
            if (runs is null)
            {
                return Reject(SnapshotErrorCode.SchemaMismatch, "$.runs", "The runs must be an array.");
            }

            for (int i = 0; i < runs.Length; i++)
            {
                string path = Path("$.runs", i);
                RunDto? dto = runs[i];
                if (dto is null)
                {
                    return Reject(SnapshotErrorCode.SchemaMismatch, path, "A run must be an object.");
                }

                if (!Id(dto.Id, path + ".id") || !Id(dto.WorkItemId, path + ".workItemId") || !Defined(dto.Status, path + ".status"))
                {
                    return false;
                }

                if (!_runIds.Add(dto.Id))
                {
                    return Reject(SnapshotErrorCode.DuplicateId, path + ".id", $"Another run already has the id '{dto.Id}'.");
                }

                if (!_itemIds.Contains(dto.WorkItemId))
                {
                    return Reject(SnapshotErrorCode.UnknownWorkItem, path + ".workItemId", $"There is no work item '{dto.WorkItemId}'.", "List the run's work item under workItems.");
                }

                if (dto.Failures < 0)
                {
                    return Reject(SnapshotErrorCode.InvalidValue, path + ".failures", "Failures are never negative.");
                }

                if (dto.Bypasses < 0)
                {
                    return Reject(SnapshotErrorCode.InvalidValue, path + ".bypasses", "Bypasses are never negative.");
                }

                if (dto.Attempt < 1 || dto.FencingToken < 0)
                {
                    return Reject(SnapshotErrorCode.InvalidValue, path + (dto.Attempt < 1 ? ".attempt" : ".fencingToken"), "Attempts start at 1 and fencing tokens are never negative.");
                }

                ClaimSet? claims = ReadClaimsOnce(dto, path);
                ImmutableList<RunHistoryEntry>? history = ReadHistory(dto.History, path + ".history");
                ImmutableSortedDictionary<string, long>? revisions = ReadRevisions(dto.AdmittedUpstreamRevisions, path + ".admittedUpstreamRevisions");
                if (claims is null || history is null || revisions is null)
                {
                    return false;
                }

                _builder.AddRun(new Run(dto.Id, dto.WorkItemId, claims)
                {
                    Attempt = dto.Attempt,
                    Priority = dto.Priority,
                    RequestedAt = dto.RequestedAt,
                    Status = dto.Status,
                    NotBefore = dto.NotBefore,
                    ReservesPlace = dto.ReservesPlace,
                    Bypasses = dto.Bypasses ?? 0,
                    LastBypassedBy = dto.LastBypassedBy,
                    AdmittedBase = dto.AdmittedBase,
                    AdmittedUpstreamRevisions = revisions,
                    WorkspaceKey = dto.WorkspaceKey,
                    Failures = dto.Failures,
                    PreviousRunId = dto.PreviousRunId,
                    LeaseExpiresAt = dto.LeaseExpiresAt,
                    FencingToken = dto.FencingToken,
                    History = history,
                });
            }

            return true;
        }

        private ClaimSet? ReadClaimsOnce(RunDto dto, string path)
        {
            if (dto.Claims is not null && _claims.TryGetValue((dto.Claims, dto.ClaimsIgnoreCase), out ClaimSet? known))
            {
                return known;
            }

            ClaimSet? claims = ReadClaims(dto, path);
            if (claims is not null)
            {
                _claims[(dto.Claims!, dto.ClaimsIgnoreCase)] = claims;
            }

            return claims;
        }

        private ClaimSet? ReadClaims(RunDto dto, string path)
        {
            if (dto.Claims is null)
            {
                return Fail<ClaimSet>(SnapshotErrorCode.InvalidValue, path + ".claims", "The claims must be a string (empty for a run that declares none).");
            }

            string? mask = dto.ClaimsIgnoreCase;
            if (mask is null || mask == "1")
            {
                GlobOptions options = mask is null ? GlobOptions.None : GlobOptions.IgnoreCase;
                return ClaimSet.TryParse(dto.Claims, options, out ClaimSet? claims, out ClaimSetError? error)
                    ? claims
                    : Fail<ClaimSet>(SnapshotErrorCode.InvalidClaims, path + ".claims", "The claim set does not parse: " + error, error.Hint);
            }

            // Mixed options: one line at a time, each with its own flag.
            string[] lines = dto.Claims.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length != mask.Length || mask.AsSpan().IndexOfAnyExcept('0', '1') >= 0)
            {
                return Fail<ClaimSet>(SnapshotErrorCode.InvalidValue, path + ".claimsIgnoreCase", "The ignore-case mask must have one 0 or 1 per claim line.");
            }

            var entries = new List<ClaimEntry>();
            var exclusions = new List<Glob>();
            for (int k = 0; k < lines.Length; k++)
            {
                GlobOptions options = mask[k] == '1' ? GlobOptions.IgnoreCase : GlobOptions.None;
                string line = lines[k];
                if (line.StartsWith('!'))
                {
                    if (!Glob.TryParse(line[1..], options, out Glob? glob, out GlobError? globError))
                    {
                        return Fail<ClaimSet>(SnapshotErrorCode.InvalidClaims, path + ".claims", "An exclusion does not parse: " + globError, globError.Hint);
                    }

                    exclusions.Add(glob);
                }
                else if (ClaimSet.TryParse(line, options, out ClaimSet? single, out ClaimSetError? error) && single.Entries.Length == 1)
                {
                    entries.Add(single.Entries[0]);
                }
                else
                {
                    return Fail<ClaimSet>(SnapshotErrorCode.InvalidClaims, path + ".claims", "A claim line does not parse: " + (error?.ToString() ?? line));
                }
            }

            return entries.Count == 0
                ? Fail<ClaimSet>(SnapshotErrorCode.InvalidClaims, path + ".claims", "A claim set with exclusions needs at least one entry.")
                : ClaimSet.Create(entries, exclusions);
        }

        private ImmutableList<RunHistoryEntry>? ReadHistory(HistoryEntryDto[]? entries, string path)
        {
            if (entries is null)
            {
                return [];
            }

            ImmutableList<RunHistoryEntry>.Builder history = ImmutableList.CreateBuilder<RunHistoryEntry>();
            for (int i = 0; i < entries.Length; i++)
            {
                string at = Path(path, i);
                HistoryEntryDto? dto = entries[i];
                if (dto is null || dto.EventId is null || dto.Message is null)
                {
                    return Fail<ImmutableList<RunHistoryEntry>>(SnapshotErrorCode.InvalidValue, at, "A history entry needs an event id and a message.");
                }

                if (!Defined(dto.Kind, at + ".kind") || !Defined(dto.Reason, at + ".reason") || !Strings(dto.RelatedRunIds, at + ".relatedRunIds", allowEmpty: false))
                {
                    return null;
                }

                history.Add(new RunHistoryEntry(dto.EventId, dto.At, dto.Kind, dto.Reason, dto.Message)
                {
                    RelatedRunIds = dto.RelatedRunIds is null ? [] : [.. dto.RelatedRunIds],
                    WitnessPath = dto.WitnessPath,
                    Sequence = dto.Sequence,
                });
            }

            return history.ToImmutable();
        }

        private ImmutableSortedDictionary<string, long>? ReadRevisions(Dictionary<string, long>? revisions, string path)
        {
            if (revisions is null || revisions.Count == 0)
            {
                return Structural.NoRevisions;
            }

            ImmutableSortedDictionary<string, long>.Builder result = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, long> entry in revisions)
            {
                if (entry.Key.Length == 0 || entry.Value < 0)
                {
                    return Fail<ImmutableSortedDictionary<string, long>>(SnapshotErrorCode.InvalidValue, path, "Upstream revisions map non-empty item ids to revisions that are not negative.");
                }

                result[entry.Key] = entry.Value;
            }

            return result.ToImmutable();
        }

        private bool ReadChanges(SnapshotDto dto)
        {
            if (dto.MergedChanges is null)
            {
                return Reject(SnapshotErrorCode.SchemaMismatch, "$.mergedChanges", "The merged changes must be an array.");
            }

            long last = long.MinValue;
            for (int i = 0; i < dto.MergedChanges.Length; i++)
            {
                string path = Path("$.mergedChanges", i);
                MergedChangeDto? change = dto.MergedChanges[i];
                if (change is null)
                {
                    return Reject(SnapshotErrorCode.SchemaMismatch, path, "A merged change must be an object.");
                }

                if (!Strings(change.Paths, path + ".paths", allowEmpty: false))
                {
                    return false;
                }

                if (change.Paths is null)
                {
                    return Reject(SnapshotErrorCode.InvalidValue, path + ".paths", "A merged change must list its paths.");
                }

                if (change.Version <= last)
                {
                    return Reject(SnapshotErrorCode.InvalidValue, path + ".version", "Merged change versions must increase.");
                }

                if (change.RunId is not null && !_runIds.Contains(change.RunId))
                {
                    return Reject(SnapshotErrorCode.UnknownRun, path + ".runId", $"There is no run '{change.RunId}'.");
                }

                last = change.Version;
                _builder.AddMergedChange(new MergedChange(change.Version, [.. change.Paths], change.RunId));
            }

            if (dto.BaseVersion < _builder.BaseVersion)
            {
                return Reject(SnapshotErrorCode.InvalidValue, "$.baseVersion", "The base version cannot be below the last merged change's version.");
            }

            _builder.BaseVersion = dto.BaseVersion;
            return true;
        }

        private bool ReadProcessed(string[]? ids)
        {
            if (!Strings(ids, "$.processedEventIds", allowEmpty: true))
            {
                return false;
            }

            if (ids is null)
            {
                return Reject(SnapshotErrorCode.SchemaMismatch, "$.processedEventIds", "The processed event ids must be an array.");
            }

            foreach (string id in ids)
            {
                _builder.MarkEventProcessed(id);
            }

            return true;
        }

        private bool Id(string? id, string path) =>
            !string.IsNullOrEmpty(id) || Reject(SnapshotErrorCode.InvalidValue, path, "An id must be a non-empty string.");

        private bool Defined<TEnum>(TEnum value, string path)
            where TEnum : struct, Enum =>
            Enum.IsDefined(value) || Reject(SnapshotErrorCode.InvalidValue, path, $"'{value}' is not a defined {typeof(TEnum).Name}.");

        private bool Strings(string[]? values, string path, bool allowEmpty)
        {
            if (values is null)
            {
                return true;
            }

            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] is null || (!allowEmpty && values[i].Length == 0))
                {
                    return Reject(SnapshotErrorCode.InvalidValue, Path(path, i), allowEmpty ? "The value must be a string." : "The value must be a non-empty string.");
                }
            }

            return true;
        }

        private WorkGraph? Fail(SnapshotErrorCode code, string path, string message, string? hint = null) => Fail<WorkGraph>(code, path, message, hint);

        private bool Reject(SnapshotErrorCode code, string path, string message, string? hint = null)
        {
            Fail<WorkGraph>(code, path, message, hint);
            return false;
        }

        private T? Fail<T>(SnapshotErrorCode code, string path, string message, string? hint = null)
            where T : class
        {
            Error = new SnapshotError(code, message, path, null, null, hint ?? "Save the graph again with WorkGraphSnapshot.Save, or fix the value at the path given.");
            return null;
        }

        private static string Path(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");
    }
}
