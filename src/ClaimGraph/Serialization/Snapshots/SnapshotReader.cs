using System.Collections.Immutable;
using System.Globalization;
using ClaimGraph.Claims;
using ClaimGraph.Graph;

namespace ClaimGraph.Serialization;

/// <summary>Turns a deserialised document into a graph, validating every value; stops at the first error.</summary>
internal sealed partial class SnapshotReader
{
    private readonly WorkGraphBuilder _builder = WorkGraph.CreateBuilder();
    private readonly HashSet<string> _itemIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _runIds = new(StringComparer.Ordinal);

    // Runs share claim texts (every retry keeps its claims; modules repeat): parse each text once and share the set.
    private readonly Dictionary<(string Text, string? Mask), ClaimSet> _claims = [];

    public SnapshotError? Error { get; private set; }

    public WorkGraph? Read(SnapshotDto dto, SnapshotLoadOptions options)
    {
        if (!ReadOptionsFingerprint(dto.OptionsFingerprint, options)
            || !ReadItems(dto.WorkItems) || !ReadRuns(dto.Runs) || !ReadChanges(dto) || !ReadProcessed(dto.ProcessedEventIds)
            || !ReadVersions(dto.NamedBases, AssumptionKind.Base, "$.namedBases") || !ReadVersions(dto.Resources, AssumptionKind.Resource, "$.resources"))
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

        WorkGraph graph = result.Value.WithNow(dto.Now);
        return !options.CheckInvariants || CheckInvariants(graph, dto.Runs!) ? graph : null;
    }

    /// <summary>The recorded fingerprint is a non-empty string, and the one the caller expects unless it says it is changing options.</summary>
    private bool ReadOptionsFingerprint(string? recorded, SnapshotLoadOptions options)
    {
        const string path = "$.optionsFingerprint";
        if (recorded is { Length: 0 })
        {
            return Reject(SnapshotErrorCode.InvalidValue, path, "The options fingerprint must be a non-empty string when present.");
        }

        if (options.ExpectedOptionsFingerprint is not { } expected || options.OptionsChanging || string.Equals(recorded, expected, StringComparison.Ordinal))
        {
            return true;
        }

        string message = recorded is null
            ? $"The snapshot records no policy options; the caller expects options with fingerprint '{expected}'."
            : $"The snapshot was kept under policy options with fingerprint '{recorded}'; the caller expects '{expected}'.";
        return Reject(
            SnapshotErrorCode.OptionsMismatch,
            path,
            message,
            "Load it with the options it was kept under, or set SnapshotLoadOptions.OptionsChanging to change them on purpose.");
    }

    /// <summary>
    /// What the policy keeps true of every graph it makes: no two active runs hold conflicting claims (each active run's
    /// claims queried against the overlap index, in run id order) and no two active runs share a fencing token above 0.
    /// </summary>
    private bool CheckInvariants(WorkGraph graph, RunDto[] runs)
    {
        var indexOf = new Dictionary<string, int>(runs.Length, StringComparer.Ordinal);
        for (int i = 0; i < runs.Length; i++)
        {
            indexOf[runs[i].Id] = i;
        }

        var tokens = new Dictionary<long, string>();
        foreach (Run run in graph.Runs.Values)
        {
            if (run.Status != RunStatus.Active)
            {
                continue;
            }

            string path = Path("$.runs", indexOf[run.Id]);
            if (run.FencingToken > 0 && !tokens.TryAdd(run.FencingToken, run.Id))
            {
                return Reject(
                    SnapshotErrorCode.DuplicateFencingToken,
                    path + ".fencingToken",
                    string.Create(CultureInfo.InvariantCulture, $"Active runs '{tokens[run.FencingToken]}' and '{run.Id}' both carry fencing token {run.FencingToken}."));
            }

            foreach (RunConflict conflict in graph.ConflictsWith(run.Claims, run.Id))
            {
                if (conflict.Run.Status == RunStatus.Active)
                {
                    return Reject(
                        SnapshotErrorCode.ConflictingActiveRuns,
                        path + ".claims",
                        $"Active runs '{run.Id}' and '{conflict.Run.Id}' hold conflicting claims ({conflict.Evidence}); the policy never admits both.");
                }
            }
        }

        return true;
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
