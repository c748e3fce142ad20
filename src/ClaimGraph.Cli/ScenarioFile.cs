using System.Text;
using ClaimGraph.Serialization;

namespace ClaimGraph.Cli;

/// <summary>A scenario as the CLI read it: the file it came from, as named on the command line, and the scenario.</summary>
/// <param name="File">The file (or <see cref="ScenarioCommand.StdinName"/>).</param>
/// <param name="Scenario">What it holds.</param>
internal sealed record ScenarioSource(string File, Scenario Scenario);

/// <summary>
/// Loads scenario files (<c>docs/scenario.md</c>) with the library's reader, <see cref="ScenarioJson"/>, and turns its
/// error into the CLI's one-line message: file, line, column, JSON path and why.
/// </summary>
internal static class ScenarioFile
{
    /// <summary>Reads and checks the scenario in <paramref name="file"/>.</summary>
    /// <exception cref="ScenarioException">The file cannot be read or is not a valid scenario.</exception>
    public static ScenarioSource Load(string file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ScenarioException(file, null, null, null, $"cannot read the scenario file: {Echo.Message(ex.Message)}");
        }

        return Parse(file, bytes);
    }

    /// <summary>Checks a scenario given as UTF-8 bytes (a leading byte order mark is skipped); <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="ScenarioException">It is not a valid scenario.</exception>
    public static ScenarioSource Parse(string file, byte[] bytes) =>
        ScenarioJson.TryRead(bytes, out Scenario? scenario, out JsonReadError? error)
            ? new ScenarioSource(file, scenario)
            : throw new ScenarioException(file, error.Line, error.Column, error.JsonPath, error.Message);
}

/// <summary>
/// A scenario file that cannot be used: the file, where in it (one-based line and column, when known), the JSON path
/// of the field at fault (when there is one) and why. <see cref="OneLine"/> is the message the CLI prints.
/// </summary>
internal sealed class ScenarioException : Exception
{
    public ScenarioException()
    {
        File = string.Empty;
    }

    public ScenarioException(string message)
        : base(message)
    {
        File = string.Empty;
    }

    public ScenarioException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
    }

    public ScenarioException(string file, int? line, int? column, string? jsonPath, string message)
        : base(message)
    {
        File = file;
        Line = line;
        Column = column;
        JsonPath = jsonPath;
    }

    public string File { get; }

    public int? Line { get; }

    public int? Column { get; }

    public string? JsonPath { get; }

    /// <summary><c>FILE:LINE:COLUMN: PATH: message</c>, leaving out what is not known.</summary>
    public string OneLine
    {
        get
        {
            // Every part may come from the file (a 10 MB property name is one): each is capped and kept on one line.
            var text = new StringBuilder(Echo.Value(File));
            if (Line is int line)
            {
                text.Append(':').Append(line);
                if (Column is int column)
                {
                    text.Append(':').Append(column);
                }
            }

            text.Append(": ");
            if (JsonPath is not null)
            {
                text.Append(Echo.Value(JsonPath)).Append(": ");
            }

            return text.Append(Echo.Message(Message)).ToString();
        }
    }
}
