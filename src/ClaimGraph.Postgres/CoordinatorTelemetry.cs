using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ClaimGraph.Postgres;

/// <summary>
/// The names under which the PostgreSQL coordinator reports metrics (<see cref="System.Diagnostics.Metrics"/>) and
/// traces (<see cref="ActivitySource"/>). Listen with a <c>MeterListener</c>/<c>ActivityListener</c>, or add the names
/// to OpenTelemetry (<c>AddMeter(CoordinatorTelemetry.MeterName)</c>, <c>AddSource(CoordinatorTelemetry.ActivitySourceName)</c>).
/// </summary>
/// <remarks>
/// Instruments (all on the meter <see cref="MeterName"/>; the tag <c>claimgraph.concurrency</c> names the
/// <see cref="CoordinatorConcurrency"/>):
/// <list type="table">
/// <item><term><c>claimgraph.postgres.append.duration</c></term><description>histogram, seconds: one <c>AppendAsync</c> call, tagged <c>claimgraph.outcome</c> = <c>appended</c>, <c>logged</c> (every event was already in the log or refused) or <c>failed</c>.</description></item>
/// <item><term><c>claimgraph.postgres.append.attempts</c></term><description>counter: rounds of appends (one per read-decide-write try, or per group-commit round).</description></item>
/// <item><term><c>claimgraph.postgres.append.retries</c></term><description>counter: rounds after the first (an optimistic append that lost the race for the head, a group-commit submitter that waited for another replica, a forwarded append that read the log again after a commit that logged only part of it, a leader's write that found the head moved).</description></item>
/// <item><term><c>claimgraph.postgres.append.events</c></term><description>counter: events this replica wrote to the log (its own and, as a group-commit leader or the stream's leader, other replicas').</description></item>
/// <item><term><c>claimgraph.postgres.group_commit.batch</c></term><description>histogram, events: the size of each commit this replica wrote as a group-commit leader or the stream's leader.</description></item>
/// <item><term><c>claimgraph.postgres.reconnects</c></term><description>counter: calls that failed with <c>ConnectionFailed</c> (the next call takes a new connection), tagged <c>claimgraph.operation</c> = <c>append</c>, <c>catch_up</c>, <c>open</c>, <c>snapshot</c>, <c>listen</c> or <c>lead</c>.</description></item>
/// <item><term><c>claimgraph.postgres.listener.fallbacks</c></term><description>counter: waits for appends that saw no notification for the poll interval and read the stream head instead.</description></item>
/// <item><term><c>claimgraph.postgres.divergences</c></term><description>counter: <c>StreamDiverged</c> errors (the log lost events a replica had applied).</description></item>
/// </list>
/// Spans (on the source <see cref="ActivitySourceName"/>): <c>claimgraph.append</c> around each <c>AppendAsync</c>,
/// tagged <c>claimgraph.stream</c>, <c>claimgraph.concurrency</c>, <c>claimgraph.events</c> (distinct events sent),
/// and when it ends <c>claimgraph.attempts</c> and <c>claimgraph.version</c>; its status is <c>Error</c> when the
/// append throws. Metrics carry no stream id (streams can be many); spans do.
/// </remarks>
public static class CoordinatorTelemetry
{
    /// <summary>The meter's name: <c>ClaimGraph.Postgres</c>.</summary>
    public const string MeterName = "ClaimGraph.Postgres";

    /// <summary>The activity source's name: <c>ClaimGraph.Postgres</c>.</summary>
    public const string ActivitySourceName = "ClaimGraph.Postgres";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Histogram<double> AppendDuration = Meter.CreateHistogram<double>("claimgraph.postgres.append.duration", "s", "How long one AppendAsync call took.");

    internal static readonly Counter<long> AppendAttempts = Meter.CreateCounter<long>("claimgraph.postgres.append.attempts", "{attempt}", "Rounds of appends.");

    internal static readonly Counter<long> AppendRetries = Meter.CreateCounter<long>("claimgraph.postgres.append.retries", "{retry}", "Rounds of appends after the first.");

    internal static readonly Counter<long> EventsWritten = Meter.CreateCounter<long>("claimgraph.postgres.append.events", "{event}", "Events this replica wrote to the log.");

    internal static readonly Histogram<long> GroupCommitBatch = Meter.CreateHistogram<long>("claimgraph.postgres.group_commit.batch", "{event}", "Events per commit written as a group-commit leader.");

    internal static readonly Counter<long> Reconnects = Meter.CreateCounter<long>("claimgraph.postgres.reconnects", "{failure}", "Calls that failed with ConnectionFailed.");

    internal static readonly Counter<long> ListenerFallbacks = Meter.CreateCounter<long>("claimgraph.postgres.listener.fallbacks", "{wait}", "Waits that read the stream head after the poll interval without a notification.");

    internal static readonly Counter<long> Divergences = Meter.CreateCounter<long>("claimgraph.postgres.divergences", "{error}", "StreamDiverged errors.");

    internal static KeyValuePair<string, object?> Concurrency(CoordinatorConcurrency concurrency) => new("claimgraph.concurrency", concurrency switch
    {
        CoordinatorConcurrency.Optimistic => "optimistic",
        CoordinatorConcurrency.HeadLock => "head_lock",
        CoordinatorConcurrency.GroupCommit => "group_commit",
        CoordinatorConcurrency.Leader => "leader",
        _ => "unknown",
    });

    internal static void CountFailure(ClaimLogException ex, string operation)
    {
        if (ex.Code == ClaimLogErrorCode.ConnectionFailed)
        {
            Reconnects.Add(1, new KeyValuePair<string, object?>("claimgraph.operation", operation));
        }
        else if (ex.Code == ClaimLogErrorCode.StreamDiverged)
        {
            Divergences.Add(1);
        }
    }
}
