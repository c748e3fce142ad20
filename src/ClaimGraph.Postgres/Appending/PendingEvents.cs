using System.Collections.Immutable;
using ClaimGraph.Policy;
using ClaimGraph.Serialization;

namespace ClaimGraph.Postgres.Appending;

/// <summary>
/// The distinct events of one append, in order of first appearance, with their JSON written once; events the log
/// cannot store (see <see cref="EventText"/>) are set apart with their <see cref="ReasonCode.InvalidEvent"/> rejection.
/// </summary>
internal sealed class PendingEvents
{
    private readonly HashSet<string> _ids;

    private PendingEvents(List<PolicyEvent> all, HashSet<string> ids, Dictionary<string, RejectDecision> refused)
    {
        All = all;
        _ids = ids;
        Refused = refused;
        var events = new List<PolicyEvent>(all.Count);
        foreach (PolicyEvent e in all)
        {
            if (!refused.ContainsKey(e.EventId))
            {
                events.Add(e);
            }
        }

        Events = events;
        Ids = new string[events.Count];
        Json = new string[events.Count];
        for (int i = 0; i < events.Count; i++)
        {
            Ids[i] = events[i].EventId;
            Json[i] = PolicyJson.WriteEvent(events[i]);
        }
    }

    /// <summary>Every distinct event, refused ones included, in order of first appearance.</summary>
    public List<PolicyEvent> All { get; }

    /// <summary>The events to log (not refused).</summary>
    public List<PolicyEvent> Events { get; }

    /// <summary>The ids of <see cref="Events"/>.</summary>
    public string[] Ids { get; }

    /// <summary>The JSON of <see cref="Events"/>.</summary>
    public string[] Json { get; }

    /// <summary>The refused events' rejections, by event id.</summary>
    public Dictionary<string, RejectDecision> Refused { get; }

    public int Count => Events.Count;

    /// <exception cref="ArgumentNullException"><paramref name="events"/> is null.</exception>
    /// <exception cref="ArgumentException">An event is null or has no id.</exception>
    public static PendingEvents From(IEnumerable<PolicyEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var distinct = new List<PolicyEvent>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var refused = new Dictionary<string, RejectDecision>(StringComparer.Ordinal);
        int index = 0;
        foreach (PolicyEvent? e in events)
        {
            if (e is null || string.IsNullOrEmpty(e.EventId))
            {
                throw new ArgumentException($"Event {index} is null or has no id; every appended event needs a non-empty EventId.", nameof(events));
            }

            if (ids.Add(e.EventId))
            {
                distinct.Add(e);
                if (EventText.FindProblem(e) is { } problem)
                {
                    refused[e.EventId] = new RejectDecision(e.EventId, RunOf(e), ReasonCode.InvalidEvent, problem + "; the event was not logged");
                }
            }

            index++;
        }

        return new PendingEvents(distinct, ids, refused);
    }

    public bool Contains(string id) => _ids.Contains(id);

    /// <summary>
    /// The call's outcome: per distinct event in input order, refused ones with their rejection and the others as
    /// <paramref name="outcome"/> says; and the decisions, in input order, of the refused events and of the events
    /// this call appended (<paramref name="decided"/>).
    /// </summary>
    public (ImmutableArray<AppendedEvent> Events, ImmutableArray<Decision> Decisions) Outcomes(
        Func<string, AppendedEvent> outcome,
        Dictionary<string, ImmutableArray<Decision>> decided)
    {
        var events = ImmutableArray.CreateBuilder<AppendedEvent>(All.Count);
        var decisions = ImmutableArray.CreateBuilder<Decision>();
        foreach (PolicyEvent e in All)
        {
            if (Refused.TryGetValue(e.EventId, out RejectDecision? reject))
            {
                events.Add(new AppendedEvent(e.EventId, 0, AlreadyLogged: false, Replay.WriteDecisions([reject])) { Refused = true });
                decisions.Add(reject);
                continue;
            }

            AppendedEvent appended = outcome(e.EventId);
            events.Add(appended);
            if (!appended.AlreadyLogged && decided.TryGetValue(e.EventId, out ImmutableArray<Decision> made))
            {
                decisions.AddRange(made);
            }
        }

        return (events.MoveToImmutable(), decisions.ToImmutable());
    }

    private static string? RunOf(PolicyEvent e) => e switch
    {
        RunRequested r => r.RunId,
        RunHeartbeat h => h.RunId,
        RunSucceeded s => s.RunId,
        RunFailed f => f.RunId,
        RunCancelRequested c => c.RunId,
        ClaimsAmended a => a.RunId,
        _ => null,
    };
}
