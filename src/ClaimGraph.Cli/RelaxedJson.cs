using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ClaimGraph.Cli;

/// <summary>
/// JSON for the terminal, escaped as every CLI answer is (see <see cref="CliJsonContext.Output"/>): quotes, <c>+</c> and
/// non-ASCII letters as they are, since the output is for programs and people, never embedded in HTML.
/// </summary>
internal static class RelaxedJson
{
    /// <summary>What <paramref name="write"/> writes, as one line of compact JSON followed by <c>\n</c>.</summary>
    public static string Line(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }
}
