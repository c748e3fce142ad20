using System.Text;
using System.Text.Json.Serialization.Metadata;
using ClaimGraph.Globs;

namespace ClaimGraph.Cli;

/// <summary>The streams of one CLI run and the ways answers and errors are written to them.</summary>
internal sealed class CliSession
{
    private readonly TextReader? _stdinText;
    private readonly Stream? _stdinBytes;

    /// <summary>A session whose standard input is text (in process: tests and embedders).</summary>
    public CliSession(TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        _stdinText = stdin;
        Stdout = stdout;
        Stderr = stderr;
    }

    /// <summary>A session whose standard input is bytes (the process's), read as strict UTF-8 like every file.</summary>
    public CliSession(Stream stdin, TextWriter stdout, TextWriter stderr)
    {
        _stdinBytes = stdin;
        Stdout = stdout;
        Stderr = stderr;
    }

    public TextWriter Stdout { get; }

    public TextWriter Stderr { get; }

    public static string ToJson<T>(T value, JsonTypeInfo<T> typeInfo) => System.Text.Json.JsonSerializer.Serialize(value, typeInfo);

    public static string ErrorJson(CliError error) => ToJson(new ErrorAnswer(error), CliJsonContext.Output.ErrorAnswer);

    /// <summary>The error of a rejected pattern or path, attributed to a request field.</summary>
    public static CliError FromGlobError(string field, GlobError error) =>
        new(error.Code.ToString(), $"{field}: {error.Message}", error.Position, field, error.Hint);

    /// <summary>
    /// Reports a rejected pattern or path of a single-mode command: a readable message with a caret on standard error
    /// and, with <c>--json</c>, the error object on standard output. Returns <see cref="CliApp.ExitBadInput"/>.
    /// </summary>
    public int Reject(string what, string field, GlobError error, bool json)
    {
        Stderr.WriteLine($"claimgraph: {what} is invalid: {Echo.Message(error.Message)} ({error.Code} at position {error.Position})");
        if (Echo.FitsUnderCaret(error.Input))
        {
            Stderr.WriteLine($"  {error.Input}");
            Stderr.WriteLine($"  {new string(' ', Math.Min(error.Position, error.Input.Length))}^");
        }

        if (error.Hint is not null)
        {
            Stderr.WriteLine($"  hint: {Echo.Message(error.Hint)}");
        }

        if (json)
        {
            Stdout.WriteLine(ErrorJson(FromGlobError(field, error)));
        }

        return CliApp.ExitBadInput;
    }

    /// <summary>
    /// Runs a JSON Lines batch: one output line per input line, in order, never stopping early. A line the
    /// <paramref name="answer"/> function cannot handle (a bug) becomes an <c>InternalError</c> line.
    /// Returns <see cref="CliApp.ExitSuccess"/>, or <see cref="CliApp.ExitBadInput"/> when the source cannot be read.
    /// </summary>
    public int RunBatch(string source, IReadOnlyList<FieldSpec> spec, Func<JsonLineValues, string> answer)
    {
        bool interactive = source == "-";
        Stream? file = null;
        if (!interactive)
        {
            try
            {
                file = File.OpenRead(source);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                Stderr.WriteLine($"claimgraph: cannot read the batch file {Echo.Quote(source)}: {Echo.Message(ex.Message)}");
                return CliApp.ExitBadInput;
            }
        }

        // Standard input belongs to the caller; a file opened here is closed here.
        using Stream? owned = file;
        foreach (InputLine line in file is null ? StdinLines() : Utf8Input.Lines(file))
        {
            string output;
            try
            {
                JsonLineValues? values = null;
                CliError? error = line.Text is null ? JsonLine.NotUtf8(line.BadColumn) : JsonLine.TryRead(line.Text, spec, out values);
                output = error is null ? answer(values!) : ErrorJson(error);
            }
#pragma warning disable CA1031 // One failing line must not stop the batch; it is reported on its own line.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                output = ErrorJson(new CliError("InternalError", $"{ex.GetType().Name}: {Echo.Message(ex.Message)}", null, null, null));
            }

            Stdout.WriteLine(output);
            if (interactive)
            {
                // A driver may write one request and wait for its answer.
                Stdout.Flush();
            }
        }

        return CliApp.ExitSuccess;
    }

    /// <summary>All of standard input: the process's bytes, or text given in process encoded as UTF-8.</summary>
    public byte[] ReadStdin()
    {
        if (_stdinBytes is null)
        {
            return Encoding.UTF8.GetBytes(_stdinText!.ReadToEnd());
        }

        using var bytes = new MemoryStream();
        _stdinBytes.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>Standard input line by line, each line given as soon as it is complete.</summary>
    private IEnumerable<InputLine> StdinLines()
    {
        if (_stdinBytes is not null)
        {
            foreach (InputLine line in Utf8Input.Lines(_stdinBytes))
            {
                yield return line;
            }

            yield break;
        }

        while (_stdinText!.ReadLine() is { } text)
        {
            yield return new InputLine(text, 0);
        }
    }
}
