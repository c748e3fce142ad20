using System.Text.Json.Serialization.Metadata;
using ClaimGraph.Globs;

namespace ClaimGraph.Cli;

/// <summary>The streams of one CLI run and the ways answers and errors are written to them.</summary>
internal sealed class CliSession
{
    /// <summary>Inputs longer than this are not echoed under a caret: the line would be unreadable.</summary>
    private const int MaxEchoLength = 160;

    public CliSession(TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        Stdin = stdin;
        Stdout = stdout;
        Stderr = stderr;
    }

    public TextReader Stdin { get; }

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
        Stderr.WriteLine($"claimgraph: {what} is invalid: {error.Message} ({error.Code} at position {error.Position})");
        if (error.Input.Length <= MaxEchoLength && !HasControl(error.Input))
        {
            Stderr.WriteLine($"  {error.Input}");
            Stderr.WriteLine($"  {new string(' ', Math.Min(error.Position, error.Input.Length))}^");
        }

        if (error.Hint is not null)
        {
            Stderr.WriteLine($"  hint: {error.Hint}");
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
        TextReader reader;
        try
        {
            reader = interactive ? Stdin : new StreamReader(source, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Stderr.WriteLine($"claimgraph: cannot read the batch file '{source}': {ex.Message}");
            return CliApp.ExitBadInput;
        }

        // Standard input belongs to the caller; a file opened here is closed here.
        using TextReader? owned = interactive ? null : reader;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            string output;
            try
            {
                CliError? error = JsonLine.TryRead(line, spec, out JsonLineValues values);
                output = error is null ? answer(values) : ErrorJson(error);
            }
#pragma warning disable CA1031 // One failing line must not stop the batch; it is reported on its own line.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                output = ErrorJson(new CliError("InternalError", $"{ex.GetType().Name}: {ex.Message}", null, null, null));
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

    private static bool HasControl(string text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
