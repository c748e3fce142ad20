namespace ClaimGraph.Simulation;

/// <summary>
/// How coarsely a replayed commit claims what it touched. Coarser claims are cheaper to declare and safer against
/// footprints that were guessed wrong, but let fewer tasks run side by side. Stable numbers.
/// </summary>
public enum ClaimGranularity
{
    /// <summary>Each touched file exactly: <c>write src/app/main.cs</c>.</summary>
    File = 0,

    /// <summary>The directory of each touched file: <c>write src/app/</c> (everything below it). A file at the repository root claims itself.</summary>
    Directory = 1,

    /// <summary>The top-level directory of each touched file: <c>write src/</c>. A file at the repository root claims itself.</summary>
    TopLevelDirectory = 2,
}
