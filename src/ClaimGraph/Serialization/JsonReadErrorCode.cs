namespace ClaimGraph.Serialization;

/// <summary>Why a JSON input of ClaimGraph (events, scenarios, policy options) was refused. Stable numbers.</summary>
public enum JsonReadErrorCode
{
    /// <summary>Not one well-formed JSON value: a syntax error, content after the value, a string escape that is not a character (a lone surrogate such as <c>\ud800</c>), nesting deeper than 64.</summary>
    MalformedJson = 1,

    /// <summary>The bytes are not UTF-8 (or a string given as text holds a lone surrogate, which has no UTF-8 form).</summary>
    NotUtf8 = 2,

    /// <summary>A value of the wrong kind: a string where a number belongs, a fraction where a whole number belongs, <c>null</c> where a value is required.</summary>
    UnexpectedValue = 3,

    /// <summary>A field the format does not have (a typo, or a field of another event type).</summary>
    UnknownField = 4,

    /// <summary>A required field is absent.</summary>
    MissingField = 5,

    /// <summary>One object has the same field twice.</summary>
    DuplicateField = 6,

    /// <summary>An event's <c>"type"</c> names no event type.</summary>
    UnknownEventType = 7,

    /// <summary>A value of the right kind that is not allowed: an empty event id, an empty step, an unknown reservation mode.</summary>
    InvalidValue = 8,

    /// <summary>A claim line that does not parse, is blank, is only a comment or holds a line break.</summary>
    InvalidClaim = 9,

    /// <summary>A changed path that is not a valid repository path.</summary>
    InvalidPath = 10,

    /// <summary>Policy options that <c>PolicyOptions.Validate</c> refuses.</summary>
    InvalidOptions = 11,
}
