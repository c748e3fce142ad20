using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ClaimGraph.Cli;

/// <summary>
/// Re-writes the library's JSON for the terminal: quotes, <c>+</c> and non-ASCII letters as they are (the library's
/// writer escapes them as <c>\u0027</c> and the like), <c>\n</c> line ends whatever the platform. Same values.
/// </summary>
internal static class RelaxedJson
{
    /// <summary>A JSON object with <paramref name="first"/> written before the object's own properties.</summary>
    public static string Object(string json, bool indented, Action<Utf8JsonWriter>? first = null)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Indented = indented,
            NewLine = "\n",
        }))
        {
            writer.WriteStartObject();
            first?.Invoke(writer);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
