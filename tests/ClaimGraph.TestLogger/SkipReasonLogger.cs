using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Client;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace ClaimGraph.TestLogger;

/// <summary>
/// Prints the reason of every skipped test on the line below the console logger's <c>Skipped</c> line, which gives
/// only the name at the default (minimal) verbosity. Enabled for every test project by <c>tests/test.runsettings</c>,
/// which also silences xUnit's own <c>[SKIP]</c> line, so each skipped test is listed once, with its reason.
/// </summary>
/// <remarks>
/// VSTest raises each event to the loggers in turn, this one (from the runsettings) before the console logger. So the
/// reason is held back and written when the next event arrives (another result, a message, the end of the run): after
/// the console logger's line for the skipped test and before anything it writes next. <c>.ci/run</c> checks the order.
/// </remarks>
[FriendlyName(FriendlyName)]
[ExtensionUri("logger://ClaimGraph/SkipReasonLogger/v1")]
public sealed class SkipReasonLogger : ITestLogger
{
    /// <summary>The name that runsettings and <c>--logger</c> use.</summary>
    public const string FriendlyName = "skipreasons";

    /// <summary>The start of every line this logger writes (after the indentation), for .ci/run to find.</summary>
    public const string Marker = "why: ";

    private readonly Lock _gate = new();
    private string? _pending;

    /// <inheritdoc/>
    public void Initialize(TestLoggerEvents events, string testRunDirectory)
    {
        ArgumentNullException.ThrowIfNull(events);
        events.TestResult += (_, e) => Next(e.Result.Outcome == TestOutcome.Skipped ? Line(e.Result.ErrorMessage) : null);
        events.TestRunMessage += (_, _) => Next(null);
        events.TestRunComplete += (_, _) => Next(null);
    }

    /// <summary>The line written for a skipped test whose reason is <paramref name="reason"/> (null or blank: none was given).</summary>
    public static string Line(string? reason) =>
        "    " + Marker + (string.IsNullOrWhiteSpace(reason) ? "(no reason given)" : reason.ReplaceLineEndings(" "));

    private void Next(string? line)
    {
        lock (_gate)
        {
            if (_pending is not null)
            {
                Console.WriteLine(_pending);
            }

            _pending = line;
        }
    }
}
