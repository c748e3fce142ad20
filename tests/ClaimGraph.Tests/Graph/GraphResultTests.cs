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
    public void GraphError_PropertiesAsGiven_EqualityByReference()
    {
        var a = new GraphError(GraphErrorCode.DependencyCycle, ["a", "b"], "m");
        var b = new GraphError(GraphErrorCode.DependencyCycle, ["a", "b"], "m");
        Assert.Equal(GraphErrorCode.DependencyCycle, a.Code);
        Assert.Equal<string>(["a", "b"], a.Ids);
        Assert.Equal("m", a.Message);
        Assert.Null(a.Hint);
        Assert.Equal<string>(["a", "b"], b.Ids);
        Assert.NotEqual(a, b); // a class: compare the properties, not the objects
        Assert.Empty(new GraphError(GraphErrorCode.DuplicateId, default, "m").Ids);
        Assert.Throws<ArgumentNullException>(() => new GraphError(GraphErrorCode.DuplicateId, [], null!));
    }
}
