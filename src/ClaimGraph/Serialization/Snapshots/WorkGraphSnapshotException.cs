namespace ClaimGraph.Serialization;

/// <summary>Thrown by <see cref="WorkGraphSnapshot.Load(string)"/> for a snapshot it cannot read; carries the <see cref="SnapshotError"/>.</summary>
public sealed class WorkGraphSnapshotException : FormatException
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public WorkGraphSnapshotException(SnapshotError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString()) => Error = error;

    /// <summary>The full error.</summary>
    public SnapshotError Error { get; }

    /// <summary>The stable error code.</summary>
    public SnapshotErrorCode Code => Error.Code;
}
