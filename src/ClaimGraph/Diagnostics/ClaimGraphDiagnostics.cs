namespace ClaimGraph.Diagnostics;

/// <summary>
/// The names under which ClaimGraph publishes telemetry with <c>System.Diagnostics</c> (no package needed): a
/// <see cref="System.Diagnostics.Metrics.Meter"/> and an <see cref="System.Diagnostics.ActivitySource"/>, both named
/// <c>ClaimGraph</c>. Subscribe with OpenTelemetry (<c>AddMeter(ClaimGraphDiagnostics.MeterName)</c>,
/// <c>AddSource(ClaimGraphDiagnostics.ActivitySourceName)</c>), <c>dotnet-counters</c> or a <c>MeterListener</c>.
/// The instruments and their tags are listed in docs/telemetry.md.
/// </summary>
/// <remarks>
/// Telemetry never changes what the policy decides (same inputs, same bytes, listened to or not), and costs a few field
/// reads per step when nobody listens: every measurement is guarded by its instrument's <c>Enabled</c>.
/// </remarks>
public static class ClaimGraphDiagnostics
{
    /// <summary>The name of the meter: <c>ClaimGraph</c>.</summary>
    public const string MeterName = "ClaimGraph";

    /// <summary>The name of the activity source: <c>ClaimGraph</c>.</summary>
    public const string ActivitySourceName = "ClaimGraph";
}
