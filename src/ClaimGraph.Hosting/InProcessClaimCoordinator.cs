using System.Collections.Immutable;
using ClaimGraph.Coordination;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Hosting;

/// <summary>
/// The coordinator of a single orchestrator process: it keeps the graph in memory, decides each append with
/// <see cref="ClaimPolicy.Step"/> on the graph of every event before it, and (when given a file) saves the state after
/// every append and reloads it when opened. For several orchestrator processes on one repository use a shared
/// coordinator (ClaimGraph.Postgres) instead: two processes must never write the same snapshot file.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe: appends run one at a time; <see cref="Current"/> may be read from any thread and is always a graph with
/// its version. The version counts the events applied (an event whose id the graph already holds counts once; a
/// rejected event counts, as a log would hold it).
/// </para>
/// <para>
/// With a snapshot file, an append returns only after its state is on disk: the file is written beside its final
/// name, flushed, then renamed over the old one, so a crash leaves the old or the new state and never a torn file. When
/// the write fails the append throws and changes nothing (send the same events again). Saving costs time and bytes
/// proportional to the graph, once per append: batch events into one append where you can.
/// </para>
/// </remarks>
public sealed class InProcessClaimCoordinator : IClaimCoordinator, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ClaimCoordinatorState _current;

    private InProcessClaimCoordinator(PolicyOptions policy, string? snapshotPath, ClaimCoordinatorState state)
    {
        Policy = policy;
        SnapshotPath = snapshotPath;
        _current = state;
    }

    /// <summary>The policy's options.</summary>
    public PolicyOptions Policy { get; }

    /// <summary>The file the state is saved to, or <see langword="null"/> for memory only.</summary>
    public string? SnapshotPath { get; }

    /// <inheritdoc/>
    public ClaimCoordinatorState Current => Volatile.Read(ref _current);

    /// <summary>
    /// Opens a coordinator: from <paramref name="snapshotPath"/> when that file exists, else from an empty graph.
    /// </summary>
    /// <param name="policy">The policy's options. Default <see cref="PolicyOptions.Default"/>.</param>
    /// <param name="snapshotPath">The state file, or <see langword="null"/> to keep the state in memory only.</param>
    /// <exception cref="PolicyOptionsException"><paramref name="policy"/> is invalid (every problem listed).</exception>
    /// <exception cref="InvalidDataException">The state file is not one this class wrote (the message says where and why).</exception>
    /// <exception cref="IOException">The state file cannot be read.</exception>
    public static InProcessClaimCoordinator Open(PolicyOptions? policy = null, string? snapshotPath = null)
    {
        policy ??= PolicyOptions.Default;
        policy.EnsureValid();
        ClaimCoordinatorState state = snapshotPath is not null && File.Exists(snapshotPath)
            ? SnapshotFile.Read(snapshotPath)
            : new ClaimCoordinatorState(WorkGraph.Empty, 0);
        return new InProcessClaimCoordinator(policy, snapshotPath, state);
    }

    /// <inheritdoc/>
    /// <exception cref="IOException">The snapshot file could not be written; nothing was applied.</exception>
    public async Task<ClaimAppendResult> AppendAsync(IReadOnlyList<PolicyEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        for (int i = 0; i < events.Count; i++)
        {
            if (events[i] is null || string.IsNullOrEmpty(events[i].EventId))
            {
                throw new ArgumentException($"Event {i} is null or has no id.", nameof(events));
            }
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ClaimCoordinatorState before = Current;
            long version = before.Version + NewEvents(before.Graph, events);
            PolicyStepResult step = ClaimPolicy.Step(before.Graph, events, Policy);
            var after = new ClaimCoordinatorState(step.Graph, version);
            if (SnapshotPath is not null && version != before.Version)
            {
                SnapshotFile.Write(SnapshotPath, after);
            }

            Volatile.Write(ref _current, after);
            return new ClaimAppendResult(step.Decisions, after);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Returns <see cref="Current"/>: this coordinator is its stream's only writer.</summary>
    public Task<ClaimCoordinatorState> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Current);
    }

    /// <summary>Releases the append lock's resources.</summary>
    public void Dispose() => _gate.Dispose();

    /// <summary>How many of <paramref name="events"/> the graph has not applied yet (a repeated id counts once).</summary>
    private static int NewEvents(WorkGraph graph, IReadOnlyList<PolicyEvent> events)
    {
        var seen = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        int count = 0;
        foreach (PolicyEvent e in events)
        {
            if (!graph.IsEventProcessed(e.EventId) && seen.Add(e.EventId))
            {
                count++;
            }
        }

        return count;
    }
}
