using System.Collections.Immutable;

namespace ClaimGraph.Simulation;

/// <summary>Collects option problems so that every one is reported at once.</summary>
internal static class Validation
{
    public static void Check(ImmutableArray<string>.Builder problems, bool ok, string problem)
    {
        if (!ok)
        {
            problems.Add(problem);
        }
    }
}
