using Microsoft.Extensions.Logging;

namespace ClaimGraph.Postgres;

/// <summary>The coordinator's log messages (source-generated; event ids are stable).</summary>
internal static partial class CoordinatorLog
{
    [LoggerMessage(1, LogLevel.Debug, "Stream '{Stream}': append lost the race for the head at version {Version} (attempt {Attempt}); deciding again.")]
    public static partial void LostRace(ILogger logger, string stream, long version, int attempt);

    [LoggerMessage(2, LogLevel.Debug, "Stream '{Stream}': group commit of {Events} events ({Submissions} submissions) at version {Version}.")]
    public static partial void GroupCommitted(ILogger logger, string stream, int events, int submissions, long version);

    [LoggerMessage(3, LogLevel.Warning, "Stream '{Stream}': {Code} during {Operation}; the next call takes a new connection.")]
    public static partial void Failed(ILogger logger, string stream, ClaimLogErrorCode code, string operation, Exception exception);

    [LoggerMessage(4, LogLevel.Error, "Stream '{Stream}': the log no longer continues this replica's history at version {Version}; reload it from the log.")]
    public static partial void Diverged(ILogger logger, string stream, long? version, Exception exception);

    [LoggerMessage(5, LogLevel.Debug, "Stream '{Stream}': no notification for {Interval}; read the head instead (version {Version}).")]
    public static partial void ListenerFallback(ILogger logger, string stream, TimeSpan interval, long version);

    [LoggerMessage(6, LogLevel.Information, "Stream '{Stream}': reloaded from the log at version {Version} (was {Previous}); {Lost} runs active before are not active in the log.")]
    public static partial void Reloaded(ILogger logger, string stream, long version, long previous, int lost);

    [LoggerMessage(7, LogLevel.Warning, "Stream '{Stream}': refused event '{EventId}': {Problem}")]
    public static partial void Refused(ILogger logger, string stream, string eventId, string problem);

    [LoggerMessage(8, LogLevel.Warning, "Stream '{Stream}': dropped inbox row {Seq} (event '{EventId}'): its JSON does not parse.")]
    public static partial void DroppedInboxRow(ILogger logger, string stream, long seq, string eventId, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "Stream '{Stream}': this replica now leads: it appends the events the other replicas forward.")]
    public static partial void Leading(ILogger logger, string stream);

    [LoggerMessage(10, LogLevel.Information, "Stream '{Stream}': this replica no longer leads; another replica takes over when its forwarded events wait too long.")]
    public static partial void LeaderStopped(ILogger logger, string stream, Exception? exception);

    [LoggerMessage(11, LogLevel.Warning, "Stream '{Stream}': policy options changed at version {Version} from {Old} to {New} (recorded in the stream's options changes).")]
    public static partial void OptionsChanged(ILogger logger, string stream, long version, string? old, string @new);
}
