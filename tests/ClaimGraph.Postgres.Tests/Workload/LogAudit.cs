using System.Text.Json;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Policy;

namespace ClaimGraph.Postgres.Tests.Workload;

/// <summary>What <see cref="LogAudit.Check"/> counted.</summary>
internal sealed record AuditReport(int Events, int Admits, int ContendedHolds, int Rejects, int MostActiveAtOnce);

/// <summary>
/// Reads a stream's log the way an auditor would, trusting only the rows: the events say which claims each run
/// declared, the logged decisions say when runs became active and when they stopped. At every <c>Admit</c>, the
/// admitted run's claims must conflict with no run active at that point (<see cref="ClaimSet.Conflicts"/>).
/// Independent of the policy's code: it replays decisions, not events.
/// </summary>
internal static class LogAudit
{
    /// <exception cref="InvalidOperationException">The log holds two conflicting admitted runs at once, a repeated event id, a version out of sequence, or an event this audit does not model.</exception>
    public static AuditReport Check(IReadOnlyList<LoggedEvent> rows)
    {
        var claims = new Dictionary<string, ClaimSet>(StringComparer.Ordinal);
        var active = new SortedDictionary<string, ClaimSet>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int admits = 0, contended = 0, rejects = 0, most = 0;
        long expected = 1;
        foreach (LoggedEvent row in rows)
        {
            Require(row.Version == expected++, $"version {row.Version} out of sequence");
            Require(ids.Add(row.EventId), $"event id '{row.EventId}' logged twice (again at version {row.Version})");
            PolicyEvent e = row.ReadEvent();
            using JsonDocument doc = JsonDocument.Parse(row.DecisionsJson);
            JsonElement[] decisions = [.. doc.RootElement.EnumerateArray()];
            bool rejected = decisions.Any(d => Kind(d) == nameof(DecisionKind.Reject));
            rejects += rejected ? 1 : 0;
            if (!rejected)
            {
                switch (e)
                {
                    case RunRequested r:
                        claims[r.RunId] = r.Claims.IsEmpty
                            ? ClaimSet.Barrier
                            : ClaimSet.Parse(string.Join("\n", r.Claims), r.IgnoreCase ? GlobOptions.IgnoreCase : GlobOptions.None);
                        break;
                    case RunSucceeded s:
                        active.Remove(s.RunId);
                        break;
                    case RunFailed f:
                        active.Remove(f.RunId);
                        break;
                    case ClaimsAmended:
                        throw new InvalidOperationException("the audit does not model claim amendments");
                }
            }

            foreach (JsonElement d in decisions)
            {
                string run = d.GetProperty("run").GetString() ?? string.Empty;
                switch (Kind(d))
                {
                    case nameof(DecisionKind.Admit):
                        Require(claims.TryGetValue(run, out ClaimSet? mine), $"version {row.Version}: admitted run '{run}' was never requested");
                        foreach ((string other, ClaimSet theirs) in active)
                        {
                            ClaimConflictResult conflict = ClaimSet.Conflicts(mine!, theirs);
                            Require(
                                other == run || !conflict.IsConflict,
                                $"version {row.Version} (event '{row.EventId}'): '{run}' admitted while '{other}' is active: {conflict}");
                        }

                        active[run] = mine!;
                        admits++;
                        most = Math.Max(most, active.Count);
                        break;
                    case nameof(DecisionKind.Cancel):
                        active.Remove(run);
                        break;
                    case nameof(DecisionKind.Retry):
                        claims[d.GetProperty("newRun").GetString()!] = claims[run];
                        break;
                    case nameof(DecisionKind.Hold):
                        contended += d.GetProperty("reasons").EnumerateArray().Any(r => r.GetProperty("reason").GetString() is "ClaimConflict" or "QueuedBehind") ? 1 : 0;
                        break;
                }
            }
        }

        return new AuditReport(rows.Count, admits, contended, rejects, most);
    }

    private static string? Kind(JsonElement decision) => decision.GetProperty("kind").GetString();

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Log audit: " + message);
        }
    }
}
