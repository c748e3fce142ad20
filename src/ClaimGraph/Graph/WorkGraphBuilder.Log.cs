using System.Collections.Immutable;

namespace ClaimGraph.Graph;

public sealed partial class WorkGraphBuilder
{
    private readonly ImmutableSortedSet<string>.Builder _processed;
    private readonly ImmutableList<MergedChange>.Builder _changes;
    private readonly long _now;
    private long _baseVersion;
    private VersionTable _versions;

    /// <summary>Sets the current version of a named base or resource (a snapshot load).</summary>
    internal WorkGraphBuilder SetCurrentVersion(AssumptionKind kind, string subject, CurrentVersion current)
    {
        _versions = _versions.With(kind, subject, current);
        return this;
    }

    /// <summary>
    /// The base version. Adding a merged change raises it to the change's version; it cannot be set below the last
    /// merged change's version.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below the last merged change's version.</exception>
    public long BaseVersion
    {
        get => _baseVersion;
        set
        {
            if (_changes.Count > 0 && value < _changes[^1].Version)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The base version cannot be below the last merged change's version.");
            }

            _baseVersion = value;
        }
    }

    /// <summary>Records that the event <paramref name="eventId"/> was applied (idempotent).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="eventId"/> is null.</exception>
    public WorkGraphBuilder MarkEventProcessed(string eventId)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        _processed.Add(eventId);
        return this;
    }

    /// <summary>
    /// Appends a merged change and raises <see cref="BaseVersion"/> to its version when lower. Its run, if any, must be
    /// in the graph by the time <see cref="Build"/> runs.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="change"/> is null.</exception>
    /// <exception cref="GraphOperationException">The version is not greater than the last change's
    /// (<see cref="GraphErrorCode.InvalidTransition"/>).</exception>
    public WorkGraphBuilder AddMergedChange(MergedChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (_changes.Count > 0 && change.Version <= _changes[^1].Version)
        {
            throw new GraphOperationException(GraphError.Transition(
                change.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"Merged change versions must increase; {change.Version} follows {_changes[^1].Version}.",
                "Add merged changes in ascending version order."));
        }

        _changes.Add(change);
        _baseVersion = Math.Max(_baseVersion, change.Version);
        return this;
    }

    /// <summary>The first merged change whose run is unknown, as an error; <see langword="null"/> when there is none.</summary>
    private GraphError? ValidateLog()
    {
        foreach (MergedChange change in _changes)
        {
            if (change.RunId is not null && !_runs.ContainsKey(change.RunId))
            {
                return GraphError.UnknownRun(change.RunId);
            }
        }

        return null;
    }

    private BaseLog BuildLog() => BaseLog.Create(_baseVersion, _changes.ToImmutable());

    private EventLedger BuildEvents() => EventLedger.Create(_processed.ToImmutable());
}
