using System.Text.Json.Serialization;
using ClaimGraph.Graph;

namespace ClaimGraph.Serialization;

// The snapshot's JSON shape, version 1. Plain mutable classes for the source generator; only WorkGraphSnapshot uses
// them. Collections are arrays in a defined order so the output is deterministic.
#pragma warning disable CA1819 // Properties return arrays: these are serialisation shapes, never exposed.

internal sealed class SnapshotDto
{
    public required string Format { get; set; }

    public required int Version { get; set; }

    /// <summary>The fingerprint of the policy options the graph was kept under (opaque here), or null when not recorded.</summary>
    public string? OptionsFingerprint { get; set; }

    public required long BaseVersion { get; set; }

    public long Now { get; set; }

    public required long NextFencingToken { get; set; }

    public required WorkItemDto[] WorkItems { get; set; }

    public required RunDto[] Runs { get; set; }

    public required MergedChangeDto[] MergedChanges { get; set; }

    public required string[] ProcessedEventIds { get; set; }

    /// <summary>The current revision of each named base an event moved, by name; absent when none did.</summary>
    public CurrentVersionDto[]? NamedBases { get; set; }

    /// <summary>The current version of each resource an event changed, by resource; absent when none did.</summary>
    public CurrentVersionDto[]? Resources { get; set; }
}

internal sealed class CurrentVersionDto
{
    public required string Subject { get; set; }

    public required string Version { get; set; }

    public required string EventId { get; set; }
}

internal sealed class WorkItemDto
{
    public required string Id { get; set; }

    public long Revision { get; set; }

    public WorkItemStatus Status { get; set; }

    public int Priority { get; set; }

    public string[]? Labels { get; set; }

    public string[]? DependsOn { get; set; }
}

internal sealed class RunDto
{
    public required string Id { get; set; }

    public required string WorkItemId { get; set; }

    public int Attempt { get; set; } = 1;

    public required string Claims { get; set; }

    /// <summary>"1" when every claim pattern ignores case; otherwise one digit per claim line; absent when none does.</summary>
    public string? ClaimsIgnoreCase { get; set; }

    public int Priority { get; set; }

    public long RequestedAt { get; set; }

    public RunStatus Status { get; set; }

    public long? NotBefore { get; set; }

    public bool ReservesPlace { get; set; }

    /// <summary>Absent when 0, so snapshots of graphs without backfill read and write as before.</summary>
    public int? Bypasses { get; set; }

    public string? LastBypassedBy { get; set; }

    public long? AdmittedBase { get; set; }

    public Dictionary<string, long>? AdmittedUpstreamRevisions { get; set; }

    public string? WorkspaceKey { get; set; }

    public int Failures { get; set; }

    public string? PreviousRunId { get; set; }

    public long? LeaseExpiresAt { get; set; }

    public long FencingToken { get; set; }

    public HistoryEntryDto[]? History { get; set; }

    public AssumptionDto[]? Assumptions { get; set; }
}

internal sealed class HistoryEntryDto
{
    public required string EventId { get; set; }

    public long At { get; set; }

    public DecisionKind Kind { get; set; }

    public ReasonCode Reason { get; set; }

    public required string Message { get; set; }

    public string[]? RelatedRunIds { get; set; }

    public string? WitnessPath { get; set; }

    public long Sequence { get; set; }
}

internal sealed class MergedChangeDto
{
    public required long Version { get; set; }

    public required string[] Paths { get; set; }

    public string? RunId { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SnapshotDto))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;

#pragma warning restore CA1819
