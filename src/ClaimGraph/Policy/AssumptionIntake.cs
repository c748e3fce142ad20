using System.Collections.Immutable;
using ClaimGraph.Claims;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>
/// Reads and checks the assumption fields of events: a request's named base and revision and its <c>resource@version</c>
/// lines, and the fields of <see cref="NamedBaseAdvanced"/> and <see cref="ResourceChanged"/>. A problem is a sentence
/// for the <c>Reject(InvalidEvent)</c> detail; nothing here throws on bad input.
/// </summary>
internal static class AssumptionIntake
{
    /// <summary>The assumptions a request declares (named base first, then resources in order), or why they are invalid.</summary>
    public static bool TryRead(RunRequested e, out ImmutableArray<Assumption> assumptions, [NotNullWhen(false)] out string? problem)
    {
        assumptions = [];
        var result = ImmutableArray.CreateBuilder<Assumption>();
        if (e.Base is not null || e.BaseRevision is not null)
        {
            if (string.IsNullOrEmpty(e.Base) || string.IsNullOrEmpty(e.BaseRevision))
            {
                problem = "a named base needs a non-empty 'base' and 'baseRevision', each given with the other";
                return false;
            }

            result.Add(new Assumption(AssumptionKind.Base, e.Base, e.BaseRevision));
        }

        ImmutableArray<string> lines = e.Assumes.IsDefault ? [] : e.Assumes;
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            if (!TryParseLine(lines[i], out Assumption? assumption, out problem))
            {
                problem = $"assumption {i}: {problem}";
                return false;
            }

            if (!seen.Add(assumption.Subject))
            {
                problem = $"assumption {i}: resource '{assumption.Subject}' is assumed twice";
                return false;
            }

            result.Add(assumption);
        }

        assumptions = result.ToImmutable();
        problem = null;
        return true;
    }

    /// <summary>Reads one <c>resource@version</c> line (the version is after the last <c>@</c>).</summary>
    public static bool TryParseLine(string? line, [NotNullWhen(true)] out Assumption? assumption, [NotNullWhen(false)] out string? problem)
    {
        assumption = null;
        int at = line?.LastIndexOf('@') ?? -1;
        if (line is null || at <= 0 || at == line.Length - 1)
        {
            problem = $"'{line}' is not 'resource@version' (for example 'schema:billing@v42')";
            return false;
        }

        string resource = line[..at];
        problem = CheckResource(resource);
        if (problem is not null)
        {
            return false;
        }

        assumption = new Assumption(AssumptionKind.Resource, resource, line[(at + 1)..]);
        return true;
    }

    /// <summary>Why <paramref name="resource"/> is not a resource (<c>[namespace:]path</c> with a valid path), or null.</summary>
    public static string? CheckResource(string? resource) =>
        resource is null || !ResourcePath.IsValid(resource)
            ? $"'{resource}' is not a resource: write '[namespace:]path', such as 'schema:billing' or 'artifact:build/app.dll'"
            : null;

    /// <summary>Why a named-base move is invalid, or null.</summary>
    public static string? Check(NamedBaseAdvanced e) =>
        string.IsNullOrEmpty(e.Base) || string.IsNullOrEmpty(e.Revision)
            ? "a named base move needs a non-empty 'base' and 'revision'"
            : null;

    /// <summary>Why a resource change is invalid, or null.</summary>
    public static string? Check(ResourceChanged e) =>
        string.IsNullOrEmpty(e.Version) ? "a resource change needs a non-empty 'version'" : CheckResource(e.Resource);
}
