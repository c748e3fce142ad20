namespace ClaimGraph.Graph;

/// <summary>
/// The outcome of a graph operation: the new graph, or the <see cref="GraphError"/> that refused the change (in which
/// case nothing changed). Immutable.
/// </summary>
public sealed class GraphResult
{
    private readonly WorkGraph? _graph;

    private GraphResult(WorkGraph? graph, GraphError? error)
    {
        _graph = graph;
        Error = error;
    }

    /// <summary>Whether the operation succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The error when the operation was refused; otherwise <see langword="null"/>.</summary>
    public GraphError? Error { get; }

    /// <summary>The new graph.</summary>
    /// <exception cref="GraphOperationException">The operation was refused; the exception carries <see cref="Error"/>.</exception>
    public WorkGraph Value => _graph ?? throw new GraphOperationException(Error!);

    /// <summary>Gets the new graph without throwing.</summary>
    public bool TryGetValue([NotNullWhen(true)] out WorkGraph? graph)
    {
        graph = _graph;
        return graph is not null;
    }

    /// <summary>The new graph, or <paramref name="fallback"/> when the operation was refused.</summary>
    public WorkGraph GetValueOrDefault(WorkGraph fallback) => _graph ?? fallback;

    /// <summary>A successful result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    public static GraphResult Success(WorkGraph graph) =>
        new(graph ?? throw new ArgumentNullException(nameof(graph)), null);

    /// <summary>A failed result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public static GraphResult Failure(GraphError error) =>
        new(null, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>A failed result.</summary>
    public static implicit operator GraphResult(GraphError error) => Failure(error);

    /// <summary>A successful result.</summary>
    public static implicit operator GraphResult(WorkGraph graph) => Success(graph);

    /// <summary>"Success" or the error.</summary>
    public override string ToString() => Error is null ? "Success" : Error.ToString();
}
