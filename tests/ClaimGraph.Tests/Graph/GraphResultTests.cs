using ClaimGraph.Graph;

namespace ClaimGraph.Tests.Graph;

public class GraphResultTests
{
    [Fact]
    public void Success_ValueAndTryGetValue()
    {
        GraphResult r = GraphResult.Success(WorkGraph.Empty);
        Assert.True(r.IsSuccess);
        Assert.Null(r.Error);
        Assert.Same(WorkGraph.Empty, r.Value);
        Assert.True(r.TryGetValue(out WorkGraph? g));
        Assert.Same(WorkGraph.Empty, g);
        Assert.Equal("Success", r.ToString());
    }

    [Fact]
    public void Failure_ValueThrowsWithError()
    {
        var error = new GraphError(GraphErrorCode.UnknownRun, ["r"], "no run", "add it");
        GraphResult r = GraphResult.Failure(error);
        Assert.False(r.IsSuccess);
        Assert.False(r.TryGetValue(out _));
        GraphOperationException ex = Assert.Throws<GraphOperationException>(() => r.Value);
        Assert.Same(error, ex.Error);
        Assert.Equal("UnknownRun: no run; add it", ex.Message);
        WorkGraph fallback = WorkGraph.Empty.MarkEventProcessed("x");
        Assert.Same(fallback, r.GetValueOrDefault(fallback));
    }

    [Fact]
    public void Factories_Null_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => GraphResult.Success(null!));
        Assert.Throws<ArgumentNullException>(() => GraphResult.Failure(null!));
    }
    [Fact]
    public void GraphError_Equality_Structural()
    {
        var a = new GraphError(GraphErrorCode.DependencyCycle, ["a", "b"], "m");
        var b = new GraphError(GraphErrorCode.DependencyCycle, ["a", "b"], "m");
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new GraphError(GraphErrorCode.DependencyCycle, ["b", "a"], "m"));
        Assert.Empty(new GraphError(GraphErrorCode.DuplicateId, default, "m").Ids);
    }
}
