namespace ClaimGraph.Simulation;

/// <summary>Why a history could not be read. Stable numbers: renumbering is a breaking change.</summary>
public enum HistoryErrorCode
{
    /// <summary>A line is not a JSON object.</summary>
    InvalidJson = 1,

    /// <summary>A required field (<c>sha</c>, <c>time</c>, <c>files</c>) is missing.</summary>
    MissingField = 2,

    /// <summary>A field has the wrong type or an empty value (e.g. an empty <c>files</c> list).</summary>
    InvalidField = 3,

    /// <summary>The history holds no commit.</summary>
    Empty = 4,

    /// <summary>The <c>git</c> executable could not be started.</summary>
    GitNotFound = 5,

    /// <summary><c>git log</c> exited with an error (e.g. the path is not a repository).</summary>
    GitFailed = 6,

    /// <summary><c>git log</c> printed something the reader does not understand.</summary>
    GitOutputInvalid = 7,

    /// <summary>The file starts like gzip but does not decompress (corrupt or not gzip after all).</summary>
    InvalidCompression = 8,
}
