using System.Collections.Immutable;
using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Postgres.Tests.Workload;

/// <summary>What a <see cref="ReplicaDriver"/> needs of a replica: a PostgreSQL coordinator, or the in-process baseline.</summary>
internal interface IReplicaEndpoint : IAsyncDisposable
{
    WorkGraph Graph { get; }

    long Version { get; }

    Task<AppendResult> AppendAsync(IEnumerable<PolicyEvent> events, CancellationToken cancellationToken);

    /// <summary>Returns once the stream holds events after <paramref name="afterVersion"/>, with <see cref="Graph"/> caught up.</summary>
    Task WaitForAppendAsync(long afterVersion, CancellationToken cancellationToken);

    Task CatchUpAsync(CancellationToken cancellationToken);
}

/// <summary>A replica backed by a <see cref="PostgresCoordinator"/>.</summary>
internal sealed class PostgresEndpoint(PostgresCoordinator coordinator) : IReplicaEndpoint
{
    public PostgresCoordinator Coordinator { get; } = coordinator;

    public WorkGraph Graph => Coordinator.Graph;

    public long Version => Coordinator.Version;

    public static async Task<IReplicaEndpoint> OpenAsync(PostgresClaimLog log, string stream, CoordinatorOptions options) =>
        new PostgresEndpoint(await PostgresCoordinator.OpenAsync(log, stream, options));

    public Task<AppendResult> AppendAsync(IEnumerable<PolicyEvent> events, CancellationToken cancellationToken) => Coordinator.AppendAsync(events, cancellationToken);

    public Task WaitForAppendAsync(long afterVersion, CancellationToken cancellationToken) => Coordinator.WaitForAppendAsync(afterVersion, cancellationToken);

    public Task CatchUpAsync(CancellationToken cancellationToken) => Coordinator.CatchUpAsync(cancellationToken);

    public ValueTask DisposeAsync() => Coordinator.DisposeAsync();
}

/// <summary>
/// The baseline: one coordinator in this process, no database. Appends are serialised by a lock and decided with
/// the same policy call, decisions written as JSON as the log would store them; every replica sees every append at once.
/// </summary>
internal sealed class InMemoryCoordinator(PolicyOptions options)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, AppendedEvent> _logged = new(StringComparer.Ordinal);
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WorkGraph Graph { get; private set; } = WorkGraph.Empty;

    public long Version { get; private set; }

    /// <summary>Every logged event's decisions JSON, in version order.</summary>
    public List<string> Decisions { get; } = [];

    public Task<AppendResult> AppendAsync(IEnumerable<PolicyEvent> events)
    {
        TaskCompletionSource wake;
        AppendResult result;
        lock (_lock)
        {
            var answers = ImmutableArray.CreateBuilder<AppendedEvent>();
            var decisions = ImmutableArray.CreateBuilder<Decision>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (PolicyEvent e in events)
            {
                if (!seen.Add(e.EventId))
                {
                    continue;
                }

                if (_logged.TryGetValue(e.EventId, out AppendedEvent? logged))
                {
                    answers.Add(logged with { AlreadyLogged = true });
                    continue;
                }

                PolicyStepResult step = ClaimPolicy.Step(Graph, [e], options);
                Graph = step.Graph;
                decisions.AddRange(step.Decisions);
                string json = Replay.WriteDecisions(step.Decisions);
                Decisions.Add(json);
                var answer = new AppendedEvent(e.EventId, ++Version, false, json);
                _logged[e.EventId] = answer;
                answers.Add(answer);
            }

            result = new AppendResult(answers.ToImmutable(), decisions.ToImmutable(), Graph, Version, 1, null);
            wake = _appended;
            _appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        wake.SetResult();
        return Task.FromResult(result);
    }

    public Task NextAppend(long afterVersion)
    {
        lock (_lock)
        {
            return Version > afterVersion ? Task.CompletedTask : _appended.Task;
        }
    }

    /// <summary>A replica of this coordinator: it sees every append as soon as it is made.</summary>
    public IReplicaEndpoint Connect() => new Endpoint(this);

    private sealed class Endpoint(InMemoryCoordinator owner) : IReplicaEndpoint
    {
        public WorkGraph Graph => owner.Graph;

        public long Version => owner.Version;

        public Task<AppendResult> AppendAsync(IEnumerable<PolicyEvent> events, CancellationToken cancellationToken) => owner.AppendAsync(events);

        public Task WaitForAppendAsync(long afterVersion, CancellationToken cancellationToken) => owner.NextAppend(afterVersion).WaitAsync(cancellationToken);

        public Task CatchUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
