using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClaimGraph.Cli;

/// <summary>The answer to one overlap request: <c>{"overlaps":true,"witness":"src/x.md"}</c>.</summary>
internal sealed record OverlapAnswer(
    [property: JsonPropertyName("overlaps")] bool Overlaps,
    [property: JsonPropertyName("witness")] string? Witness);

/// <summary>The answer to one match request: <c>{"isMatch":true,"covers":true}</c>.</summary>
internal sealed record MatchAnswer(
    [property: JsonPropertyName("isMatch")] bool IsMatch,
    [property: JsonPropertyName("covers")] bool Covers);

/// <summary>An error line: <c>{"error":{...}}</c>.</summary>
internal sealed record ErrorAnswer([property: JsonPropertyName("error")] CliError Error);

/// <summary>
/// A rejected request. <see cref="Code"/> is a <c>GlobErrorCode</c> name or <c>InvalidInput</c>; <see cref="Field"/>
/// names the request field at fault (<c>null</c> when the line as a whole is); <see cref="Position"/> is zero-based:
/// a character index into that field's value for pattern and path errors, a column of the input line for
/// <c>InvalidInput</c>, <c>null</c> when there is no one place (a missing field).
/// </summary>
internal sealed record CliError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("position")] int? Position,
    [property: JsonPropertyName("field")] string? Field,
    [property: JsonPropertyName("hint")] string? Hint)
{
    /// <summary>The code of every error about the shape of a batch line rather than a pattern or a path.</summary>
    public const string InvalidInput = "InvalidInput";
}

/// <summary>Source-generated (reflection-free) serialisation of the CLI's answers, properties in declaration order.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(OverlapAnswer))]
[JsonSerializable(typeof(MatchAnswer))]
[JsonSerializable(typeof(ErrorAnswer))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the CLI writes with. Paths are written as they are (no <c>\u002B</c> for <c>+</c>, no escaping of
    /// non-ASCII letters): the output is for programs and people, never embedded in HTML.
    /// </summary>
    public static CliJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
