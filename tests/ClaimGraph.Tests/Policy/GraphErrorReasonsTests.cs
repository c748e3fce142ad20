using ClaimGraph.Graph;
using ClaimGraph.Policy;

namespace ClaimGraph.Tests.Policy;

/// <summary>The reject reason the policy gives a refused graph operation.</summary>
public class GraphErrorReasonsTests
{
    [Theory]
    [InlineData(GraphErrorCode.UnknownWorkItem, ReasonCode.UnknownWorkItem)]
    [InlineData(GraphErrorCode.UnknownRun, ReasonCode.UnknownRun)]
    [InlineData(GraphErrorCode.DuplicateId, ReasonCode.DuplicateId)]
    [InlineData(GraphErrorCode.DependencyCycle, ReasonCode.DependencyCycle)]
    [InlineData(GraphErrorCode.InvalidTransition, ReasonCode.InvalidTransition)]
    public void RejectReason_EveryCode_MapsToTheReasonOfTheSameName(GraphErrorCode code, ReasonCode reason)
    {
        Assert.Equal(reason, new GraphError(code, [], "m").RejectReason());
    }
}
