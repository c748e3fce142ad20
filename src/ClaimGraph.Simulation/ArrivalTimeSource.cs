namespace ClaimGraph.Simulation;

/// <summary>Which commit time becomes a task's arrival time. Stable numbers.</summary>
public enum ArrivalTimeSource
{
    /// <summary>The committer date (<c>time</c>): when the change landed. The default.</summary>
    Committer = 0,

    /// <summary>The author date (<c>author_time</c>): when the change was written (earlier for squash and rebase merges).</summary>
    Author = 1,
}
