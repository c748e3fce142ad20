namespace ClaimGraph.Graph;

/// <summary>Validation of ids (work items, runs, events): non-null and non-empty; otherwise any ordinal string.</summary>
internal static class GraphIds
{
    public static string Require(string? value, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, paramName);
        return value;
    }
}
