using System.Collections.Immutable;
using ClaimGraph.Graph;

namespace ClaimGraph.Serialization;

/// <summary>A run's <see cref="Assumption"/> in a snapshot; runs that assume nothing write no list.</summary>
internal sealed class AssumptionDto
{
    public AssumptionKind Kind { get; set; }

    public required string Subject { get; set; }

    public required string Version { get; set; }

    public string? ActualVersion { get; set; }

    public string? BrokenBy { get; set; }

    /// <summary>The list to write: <see langword="null"/> (absent) when the run assumes nothing, so older snapshots read and write as before.</summary>
    public static AssumptionDto[]? Of(ImmutableArray<Assumption> assumptions)
    {
        if (assumptions.IsDefaultOrEmpty)
        {
            return null;
        }

        var result = new AssumptionDto[assumptions.Length];
        for (int i = 0; i < result.Length; i++)
        {
            Assumption a = assumptions[i];
            result[i] = new AssumptionDto { Kind = a.Kind, Subject = a.Subject, Version = a.Version, ActualVersion = a.ActualVersion, BrokenBy = a.BrokenByEventId };
        }

        return result;
    }

    /// <summary>The assumptions read back, or <see langword="null"/> when one is malformed (an empty text, a broken one without both its event and version).</summary>
    public static ImmutableArray<Assumption>? Read(AssumptionDto[]? list)
    {
        if (list is null)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<Assumption>(list.Length);
        foreach (AssumptionDto? dto in list)
        {
            if (dto is null || dto.Kind is not (AssumptionKind.Base or AssumptionKind.Resource)
                || string.IsNullOrEmpty(dto.Subject) || string.IsNullOrEmpty(dto.Version)
                || (dto.BrokenBy is null) != (dto.ActualVersion is null) || dto.BrokenBy?.Length == 0 || dto.ActualVersion?.Length == 0)
            {
                return null;
            }

            result.Add(new Assumption(dto.Kind, dto.Subject, dto.Version) { ActualVersion = dto.ActualVersion, BrokenByEventId = dto.BrokenBy });
        }

        return result.MoveToImmutable();
    }
}
