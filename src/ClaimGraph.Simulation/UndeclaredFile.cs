namespace ClaimGraph.Simulation;

/// <summary>A file a task changes that its declared claims leave out (<see cref="SimulationTask.Undeclared"/>). Immutable.</summary>
/// <param name="Path">The file.</param>
/// <param name="ClaimLine">The claim line an amendment asks for: <c>write</c> at the task's granularity, or <c>append</c> for a mergeable file.</param>
/// <param name="FoundAt">The share of the task's work, in [0, 1), done when the agent finds that it must change the file.</param>
public sealed record UndeclaredFile(string Path, string ClaimLine, double FoundAt);
