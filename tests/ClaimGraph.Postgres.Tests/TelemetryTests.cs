using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ClaimGraph.Postgres.Tests;

/// <summary>Not run in parallel with other tests: metrics carry no stream id, so other tests' appends would be counted.</summary>
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryTestGroup;

/// <summary>Metrics, spans, logs and the clock of a known scenario.</summary>
[Collection(nameof(TelemetryTests))]
public class TelemetryTests
{
    [SkippableFact]
    public async Task AppendAsync_OneLostRaceThenAnAlreadyLoggedResend_CountsAttemptsRetriesEventsDurationsAndSpans()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        string stream = "telemetry-" + Guid.NewGuid().ToString("N");
        await using PostgresCoordinator a = await db.OpenAsync(stream);
        await using PostgresCoordinator b = await db.OpenAsync(stream);
        using var metrics = new Recorder();
        var spans = new ConcurrentQueue<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CoordinatorTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("claimgraph.stream"), stream))
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(tracing);
        a.BeforeWrite = async ct =>
        {
            a.BeforeWrite = null;
            await b.AppendAsync(Ev.Item("b1", "y"), ct);
        };

        await a.AppendAsync([Ev.Item("a1", "x"), Ev.Item("a2", "z")]);
        await a.AppendAsync(Ev.Item("a1", "x"));

        // b: one attempt, one event; a: a lost race (2 attempts, 1 retry) writing 2 events, then a resend of a logged id.
        Assert.Equal(4, metrics.Sum("claimgraph.postgres.append.attempts"));
        Assert.Equal(1, metrics.Sum("claimgraph.postgres.append.retries"));
        Assert.Equal(3, metrics.Sum("claimgraph.postgres.append.events"));
        Assert.Equal(3, metrics.Count("claimgraph.postgres.append.duration"));
        Assert.Equal(2, metrics.Count("claimgraph.postgres.append.duration", ("claimgraph.outcome", "appended")));
        Assert.Equal(1, metrics.Count("claimgraph.postgres.append.duration", ("claimgraph.outcome", "logged")));
        Assert.All(metrics.Tags("claimgraph.postgres.append.attempts"), tags => Assert.Equal("optimistic", tags["claimgraph.concurrency"]));
        Activity[] appends = [.. spans];
        Assert.Equal(3, appends.Length);
        Assert.All(appends, s => Assert.Equal("claimgraph.append", s.OperationName));
        Assert.Equal([1, 2, 1], appends.Select(s => (int)s.GetTagItem("claimgraph.attempts")!));
        Assert.Equal([1L, 3L, 3L], appends.Select(s => (long)s.GetTagItem("claimgraph.version")!));
    }

    [SkippableFact]
    public async Task WaitForAppendAsync_NoNotificationWhileTheClockPassesThePollInterval_ReadsTheHeadCountsAndLogsAFallback()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var logs = new ListLoggerFactory();
        await using PostgresCoordinator reader = await db.OpenAsync("s", new CoordinatorOptions { NotificationPollInterval = TimeSpan.FromHours(1), TimeProvider = clock, LoggerFactory = logs });
        using var metrics = new Recorder();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<long> waiting = reader.WaitForAppendAsync(stop.Token);
        await Task.Delay(600);
        Assert.Equal(0, metrics.Sum("claimgraph.postgres.listener.fallbacks"));

        // An hour passes on the coordinator's clock (in no time): the next wire slice ends in a head read.
        clock.Advance(TimeSpan.FromHours(1));
        for (int i = 0; i < 100 && metrics.Sum("claimgraph.postgres.listener.fallbacks") == 0; i++)
        {
            await Task.Delay(50);
        }

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.True(metrics.Sum("claimgraph.postgres.listener.fallbacks") >= 1);
        Assert.Contains(logs.Messages, m => m.Level == LogLevel.Debug && m.Text.Contains("no notification for 01:00:00", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task AppendAsync_StreamDiverged_CountedAndLoggedAsAnError()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        var logs = new ListLoggerFactory();
        await using PostgresCoordinator a = await db.OpenAsync("s", new CoordinatorOptions { LoggerFactory = logs });
        await a.AppendAsync(Ev.Item("e1", "x"));
        await LostCommitTests.LoseEventsAfterAsync(db, "s", 0);
        using var metrics = new Recorder();

        ClaimLogException ex = await Assert.ThrowsAsync<ClaimLogException>(() => a.AppendAsync(Ev.Item("e2", "y")));

        Assert.Equal(ClaimLogErrorCode.StreamDiverged, ex.Code);
        Assert.Equal(1, metrics.Sum("claimgraph.postgres.divergences"));
        Assert.Contains(logs.Messages, m => m.Level == LogLevel.Error && m.Text.Contains("reload it from the log", StringComparison.Ordinal));
    }

    /// <summary>Records every measurement of the coordinator's meter.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)> _measurements = new();

        public Recorder()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == CoordinatorTelemetry.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.Start();
        }

        public double Sum(string name) => _measurements.Where(m => m.Name == name).Sum(m => m.Value);

        public int Count(string name, (string Key, string Value)? tag = null) =>
            _measurements.Count(m => m.Name == name && (tag is null || Equals(m.Tags.GetValueOrDefault(tag.Value.Key), tag.Value.Value)));

        public IEnumerable<Dictionary<string, object?>> Tags(string name) => _measurements.Where(m => m.Name == name).Select(m => m.Tags);

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            _measurements.Enqueue((instrument.Name, value, copy));
        }
    }

    /// <summary>Keeps every log line.</summary>
    private sealed class ListLoggerFactory : ILoggerFactory, ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Text)> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue((logLevel, formatter(state, exception)));

        public void Dispose()
        {
        }
    }
}
