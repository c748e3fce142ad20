using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>
/// The order of the admission pass and of reservations under a bypass budget K: runs whose budget is used up
/// (<see cref="Run.Bypasses"/> ≥ K) first, then the others; each group in <see cref="RunOrder.Admission"/>. With K = 0
/// every run's budget is used up, so this is <see cref="RunOrder.Admission"/> (strict reservation).
/// </summary>
internal sealed class ReservationOrder : IComparer<Run>
{
    private readonly int _budget;

    private ReservationOrder(int budget) => _budget = budget;

    /// <summary>The order for a budget: <see cref="RunOrder.Admission"/> itself when it is 0.</summary>
    public static IComparer<Run> For(int budget) => budget == 0 ? RunOrder.Admission : new ReservationOrder(budget);

    /// <summary>Whether a run requested earlier (then: smaller id) than <paramref name="b"/> is <paramref name="a"/>.</summary>
    public static bool ArrivedBefore(Run a, Run b) =>
        a.RequestedAt != b.RequestedAt ? a.RequestedAt < b.RequestedAt : string.CompareOrdinal(a.Id, b.Id) < 0;

    /// <inheritdoc/>
    public int Compare(Run? x, Run? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        bool xReserved = x.Bypasses >= _budget;
        bool yReserved = y.Bypasses >= _budget;
        if (xReserved != yReserved)
        {
            return xReserved ? -1 : 1;
        }

        return RunOrder.Admission.Compare(x, y);
    }
}
