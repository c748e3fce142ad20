namespace ClaimGraph.Serialization;

/// <summary>Why a snapshot could not be loaded. The numbers are part of the public contract.</summary>
public enum SnapshotErrorCode
{
    /// <summary>The text is not well-formed JSON (or is empty).</summary>
    InvalidJson = 1,

    /// <summary>The JSON is not a ClaimGraph work graph snapshot (the top level is not an object, or <c>format</c> is wrong).</summary>
    WrongFormat = 2,

    /// <summary>The top-level <c>version</c> is missing or not an integer.</summary>
    MissingVersion = 3,

    /// <summary>The snapshot's version is not one this library reads (typically written by a newer version).</summary>
    UnsupportedVersion = 4,

    /// <summary>The JSON does not have the snapshot's shape: a missing or unknown property, or a value of the wrong type.</summary>
    SchemaMismatch = 5,

    /// <summary>A value is out of range: an empty id, a negative revision, an undefined status, versions out of order.</summary>
    InvalidValue = 6,

    /// <summary>A run's claim set text does not parse.</summary>
    InvalidClaims = 7,

    /// <summary>Two work items or two runs share an id.</summary>
    DuplicateId = 8,

    /// <summary>A run or dependent names a work item that is not in the snapshot.</summary>
    UnknownWorkItem = 9,

    /// <summary>A merged change names a run that is not in the snapshot.</summary>
    UnknownRun = 10,

    /// <summary>The dependencies contain a cycle.</summary>
    DependencyCycle = 11,

    /// <summary>Two active runs hold claims that conflict: the policy never admits both, so the snapshot was changed or built by hand.</summary>
    ConflictingActiveRuns = 12,

    /// <summary>Two active runs carry the same fencing token: every admission issues a new one.</summary>
    DuplicateFencingToken = 13,

    /// <summary>The snapshot was kept under other policy options than the caller expects (or recorded none), and the caller did not say it is changing them.</summary>
    OptionsMismatch = 14,
}
