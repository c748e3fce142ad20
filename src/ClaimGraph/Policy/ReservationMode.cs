namespace ClaimGraph.Policy;

/// <summary>How a held run keeps its place in line (see <see cref="PolicyOptions.Reservation"/>).</summary>
public enum ReservationMode
{
    /// <summary>
    /// Every held run that waits only on claims or concurrency limits reserves its place at once: a later conflicting
    /// run queues behind it (FIFO per conflicting claim, by admission order), even when nothing active blocks that run.
    /// No run is ever overtaken by a conflicting run behind it, at the price of head-of-line blocking.
    /// </summary>
    Strict = 0,

    /// <summary>
    /// A held run reserves its place only once it has been overtaken <see cref="PolicyOptions.BypassBudget"/> times;
    /// until then a conflicting run that nothing active blocks may start ahead of it. Backfill with a budget of 0 is
    /// <see cref="Strict"/>.
    /// </summary>
    Backfill = 1,
}
