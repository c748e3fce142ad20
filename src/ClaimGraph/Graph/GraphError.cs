using System.Collections.Immutable;
using System.Text;

namespace ClaimGraph.Graph;

/// <summary>
/// Why a graph operation was refused: a stable code, the ids involved, a message and a hint. Immutable. Equality is
/// reference equality: compare the properties you mean, such as <see cref="Code"/> and <see cref="Ids"/>.
/// </summary>
public sealed class GraphError
{
    /// <summary>Creates an error.</summary>
    /// <param name="code">The stable code.</param>
    /// <param name="ids">The ids involved, in a meaningful order (for a cycle: its members in order, see <see cref="Ids"/>).</param>
    /// <param name="message">A sentence saying what went wrong.</param>
    /// <param name="hint">What to do instead, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    public GraphError(GraphErrorCode code, ImmutableArray<string> ids, string message, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        Code = code;
        Ids = Structural.Normalize(ids, nameof(ids));
        Message = message;
        Hint = hint;
    }

    /// <summary>The stable code.</summary>
    public GraphErrorCode Code { get; }

    /// <summary>
    /// The ids involved. For <see cref="GraphErrorCode.DependencyCycle"/>: the cycle's members in order, starting with
    /// the dependent of the refused edge, each depending on the next and the last on the first (a self-dependency
    /// gives one member). Otherwise the unknown, duplicate or offending ids. Never default.
    /// </summary>
    public ImmutableArray<string> Ids { get; }

    /// <summary>A sentence saying what went wrong.</summary>
    public string Message { get; }

    /// <summary>What to do instead, or <see langword="null"/>.</summary>
    public string? Hint { get; }

    /// <summary>The code, the message and the hint in one line.</summary>
    public override string ToString() => Hint is null ? $"{Code}: {Message}" : $"{Code}: {Message}; {Hint}";

    internal static GraphError UnknownWorkItem(string id) =>
        new(GraphErrorCode.UnknownWorkItem, [id], $"There is no work item '{id}'.", "Add the work item first.");

    internal static GraphError UnknownRun(string id) =>
        new(GraphErrorCode.UnknownRun, [id], $"There is no run '{id}'.", "Add the run first.");

    internal static GraphError DuplicateWorkItem(string id) =>
        new(GraphErrorCode.DuplicateId, [id], $"A work item '{id}' already exists.", "Replace it with WithWorkItem, or choose another id.");

    internal static GraphError DuplicateRun(string id) =>
        new(GraphErrorCode.DuplicateId, [id], $"A run '{id}' already exists.", "Replace it with WithRun, or choose another id.");

    internal static GraphError Cycle(ImmutableArray<string> members, bool existing = false)
    {
        var text = new StringBuilder();
        foreach (string m in members)
        {
            text.Append('\'').Append(m).Append("' -> ");
        }

        text.Append('\'').Append(members[0]).Append('\'');
        return new GraphError(
            GraphErrorCode.DependencyCycle,
            members,
            existing
                ? $"The dependencies contain the cycle {text} (each depends on the next)."
                : $"The dependency would close the cycle {text} (each depends on the next).",
            existing
                ? "Remove one of the cycle's dependencies."
                : "Remove one of the cycle's dependencies first, or drop this one.");
    }

    internal static GraphError Transition(string id, string message, string? hint = null) =>
        new(GraphErrorCode.InvalidTransition, [id], message, hint);
}

/// <summary>
/// Thrown by <see cref="GraphResult.Value"/> on a failed result, and by <see cref="WorkGraphBuilder"/> for invalid
/// content; carries the <see cref="GraphError"/>.
/// </summary>
public sealed class GraphOperationException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public GraphOperationException(GraphError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString()) => Error = error;

    /// <summary>The full error.</summary>
    public GraphError Error { get; }

    /// <summary>The stable error code.</summary>
    public GraphErrorCode Code => Error.Code;
}
