using System.Collections.Immutable;
using ClaimGraph.Policy;
using Microsoft.Extensions.Logging;

namespace ClaimGraph.Postgres;

/// <summary>How replicas appending to one stream take turns. Either way, an append commits only on the stream version it decided on.</summary>
public enum CoordinatorConcurrency
{
    /// <summary>
    /// Read the tail, decide, then commit on condition that the stream head is still the version read; when another
    /// replica got there first, read its events and decide again. No lock is held while deciding.
    /// </summary>
    Optimistic = 0,

    /// <summary>
    /// Lock the stream's head row (<c>SELECT … FOR UPDATE</c>) first, then read the tail, decide and commit: appenders
    /// queue on the lock and never redo work, at the price of holding the lock while deciding.
    /// </summary>
    HeadLock = 1,

    /// <summary>
    /// Group commit: the replica that finds the stream's group-commit lock (a PostgreSQL advisory lock) free becomes the
    /// leader for one commit: it decides its own events together with every event other replicas queued in the stream's
    /// inbox meanwhile, writes them all in one transaction (on the head it read) and releases the lock, in two round
    /// trips. A replica that finds the lock taken queues its events in the inbox in the same round trip and waits for
    /// the leader's notification (or leads the next commit itself). Many replicas then share one commit, one disk flush
    /// and one decision pass instead of queueing or retrying one by one.
    /// </summary>
    GroupCommit = 2,

    /// <summary>
    /// One replica leads: it holds the stream's leader lock (a PostgreSQL advisory lock) and appends for all. The others
    /// forward their events through the stream's inbox (one statement, which notifies the leader) and wait for the
    /// leader's commit, which logs everything forwarded meanwhile together in one transaction. The first replica to
    /// append becomes the leader; when the leader's connection or process dies, a replica whose forwarded events wait
    /// longer than <see cref="CoordinatorOptions.LeaderTimeout"/> takes over. The lock only chooses who does the work:
    /// every append still commits only on the stream head it decided on.
    /// </summary>
    Leader = 3,
}

/// <summary>Settings of a <see cref="PostgresCoordinator"/>. Immutable; validate with <see cref="Validate"/>.</summary>
public sealed record CoordinatorOptions
{
    /// <summary>The defaults.</summary>
    public static CoordinatorOptions Default { get; } = new();

    /// <summary>
    /// The policy's options. Every replica of a stream must use equal options (and the same library version):
    /// replay checks the logged decisions (see <see cref="VerifyReplayedDecisions"/>). Default <see cref="PolicyOptions.Default"/>.
    /// </summary>
    public PolicyOptions Policy { get; init; } = PolicyOptions.Default;

    /// <summary>
    /// Whether opening may change the stream's policy options on purpose. A stream records the fingerprint
    /// (<see cref="PolicyOptions.Fingerprint"/>) of the options it was created with; opening it, or appending to it, with
    /// other options fails with <see cref="ClaimLogErrorCode.OptionsMismatch"/> unless this is true: then opening sets the
    /// stream's fingerprint to <see cref="Policy"/>'s and records the change (old and new fingerprint, at the stream's
    /// head version) in its options changes (<see cref="PostgresClaimLog.ReadOptionsChangesAsync"/>), then saves a
    /// snapshot there under the new options. It starts from a snapshot at the head when there is one (save it with the
    /// old options first); otherwise it replays the earlier events under the new options. Replicas still open with the
    /// old options are refused from their next append on. A stream created before schema version 3 has no fingerprint
    /// and adopts the first one it is opened with, whatever this says. Default false.
    /// </summary>
    public bool OptionsChanging { get; init; }

    /// <summary>How replicas take turns. Default <see cref="CoordinatorConcurrency.Optimistic"/>.</summary>
    public CoordinatorConcurrency Concurrency { get; init; } = CoordinatorConcurrency.Optimistic;

    /// <summary>
    /// A snapshot is written, in the appending transaction, whenever an append crosses a multiple of this many
    /// events; 0 writes none automatically. Default 1,000.
    /// </summary>
    public int SnapshotInterval { get; init; } = 1_000;

    /// <summary>How many of the newest snapshots a stream keeps when one is written (older ones are deleted; events are never deleted). Default 3.</summary>
    public int SnapshotsToKeep { get; init; } = 3;

    /// <summary>Whether opening starts from the newest snapshot (then replays the events after it) rather than from the first event. Default true.</summary>
    public bool UseSnapshots { get; init; } = true;

    /// <summary>
    /// Whether replaying a logged event checks that the policy makes the logged decisions again, byte for byte
    /// (<see cref="ClaimLogErrorCode.DecisionsDiverged"/> otherwise). Turn it off only to read a log written with other
    /// policy options or by another library version on purpose. Default true.
    /// </summary>
    public bool VerifyReplayedDecisions { get; init; } = true;

    /// <summary>
    /// How many times one append may lose the race for the stream head before it fails with
    /// <see cref="ClaimLogErrorCode.ConcurrencyRetriesExhausted"/>. Default 1,000.
    /// </summary>
    public int MaxConflictRetries { get; init; } = 1_000;

    /// <summary>
    /// How long <see cref="AppendListener.WaitForAppendAsync"/> waits for a notification before it reads the stream
    /// head anyway (a safety net; notifications are not lost while the listening connection lives). Default 10 s.
    /// </summary>
    public TimeSpan NotificationPollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Under <see cref="CoordinatorConcurrency.Leader"/>: how long a replica waits for the leader to log the events it
    /// forwarded before it appends them itself (and takes the leader's place when the leader's lock is free). It bounds
    /// the extra wait of an append when the leader has died; keep it well above the leader's usual commit time.
    /// Between 10 ms and 24 days; default 1 s.
    /// </summary>
    public TimeSpan LeaderTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest one database round trip of the coordinator may take (a statement, a commit, a rollback, opening a
    /// connection, the reads of a catch-up); past it the coordinator cancels the round trip, drops the connection and
    /// throws <see cref="ClaimLogException"/> with <see cref="ClaimLogErrorCode.ConnectionFailed"/>. It bounds how long a
    /// dead server or a half-open socket can stall a replica, so it must exceed the slowest expected statement
    /// (including waits for another replica's lock under <see cref="CoordinatorConcurrency.HeadLock"/>). Between 1 s and
    /// 24 days; default 30 s.
    /// </summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether the coordinator prepares its statements on each connection it uses (the server then parses and plans each
    /// of them once per connection instead of once per call, which roughly halves its CPU time per append). Turn it off
    /// behind a connection pooler that does not support prepared statements (e.g. PgBouncer before 1.21 in transaction
    /// mode). Default true.
    /// </summary>
    public bool PrepareStatements { get; init; } = true;

    /// <summary>
    /// Where the coordinator logs (lost races, group commits, connection failures, divergence, listener fallbacks), or
    /// <see langword="null"/> to log nothing. Never receives the connection string. Default null.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// The clock of every timer the coordinator and its listener keep (poll intervals, back-off delays, group-commit
    /// waits, round-trip deadlines). Socket reads bounded by Npgsql itself still use real time. Default
    /// <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Every problem with these options (empty when valid), the policy's included.</summary>
    public ImmutableArray<string> Validate()
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        if (Policy is null)
        {
            problems.Add($"{nameof(Policy)} must not be null.");
        }
        else
        {
            problems.AddRange(Policy.Validate().Select(p => p.Message));
        }

        if (!Enum.IsDefined(Concurrency))
        {
            problems.Add($"{nameof(Concurrency)} is not a defined value (was {(int)Concurrency}).");
        }

        if (SnapshotInterval < 0)
        {
            problems.Add($"{nameof(SnapshotInterval)} must be 0 or more (was {SnapshotInterval}).");
        }

        if (SnapshotsToKeep < 1)
        {
            problems.Add($"{nameof(SnapshotsToKeep)} must be at least 1 (was {SnapshotsToKeep}).");
        }

        if (MaxConflictRetries < 0)
        {
            problems.Add($"{nameof(MaxConflictRetries)} must be 0 or more (was {MaxConflictRetries}).");
        }

        if (NotificationPollInterval <= TimeSpan.Zero || NotificationPollInterval.TotalMilliseconds > int.MaxValue)
        {
            problems.Add($"{nameof(NotificationPollInterval)} must be positive and under 24 days (was {NotificationPollInterval}).");
        }

        if (LeaderTimeout < TimeSpan.FromMilliseconds(10) || LeaderTimeout.TotalMilliseconds > int.MaxValue)
        {
            problems.Add($"{nameof(LeaderTimeout)} must be between 10 ms and 24 days (was {LeaderTimeout}).");
        }

        if (TimeProvider is null)
        {
            problems.Add($"{nameof(TimeProvider)} must not be null.");
        }

        if (CommandTimeout < TimeSpan.FromSeconds(1) || CommandTimeout.TotalMilliseconds > int.MaxValue)
        {
            problems.Add($"{nameof(CommandTimeout)} must be between 1 s and 24 days (was {CommandTimeout}).");
        }

        return problems.ToImmutable();
    }

    /// <summary>Throws when <see cref="Validate"/> finds a problem.</summary>
    /// <exception cref="ArgumentException">Every problem, one per line.</exception>
    public void EnsureValid()
    {
        ImmutableArray<string> problems = Validate();
        if (!problems.IsEmpty)
        {
            throw new ArgumentException("Invalid coordinator options:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }
    }
}
