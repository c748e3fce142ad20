using ClaimGraph.Policy;

namespace ClaimGraph.Hosting;

/// <summary>
/// Settings of ClaimGraph in a host, set with <c>services.AddClaimGraph(o => …)</c> (or bound from configuration).
/// Validated once when the host starts: every problem is listed in one <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>.
/// </summary>
public sealed class ClaimGraphOptions
{
    /// <summary>The policy's options; every writer of a stream must use equal ones. Default <see cref="PolicyOptions.Default"/>.</summary>
    public PolicyOptions Policy { get; set; } = PolicyOptions.Default;

    /// <summary>
    /// Whether the host sends the <see cref="Tick"/> events that expire leases and end backoffs when they are due.
    /// Turn it off only when something else sends ticks. Default true.
    /// </summary>
    public bool SendTicks { get; set; } = true;

    /// <summary>
    /// The longest the tick service sleeps before it catches up with other writers of the stream and looks for due
    /// deadlines again. Deadlines it knows of are met on time whatever this is (it wakes at the deadline, and whenever
    /// an event is appended through this host); this bounds how late it notices deadlines that other replicas created.
    /// Between 1 ms and 24 days; default 5 s.
    /// </summary>
    public TimeSpan TickPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// For the in-process coordinator: the file its state is saved to after every append (written to a temporary file
    /// beside it and then renamed over it, so a crash leaves the old or the new state, never a torn one) and reloaded
    /// from when the host starts. <see langword="null"/> keeps the state in memory only. Its folder must exist. Default null.
    /// </summary>
    public string? SnapshotPath { get; set; }
}
