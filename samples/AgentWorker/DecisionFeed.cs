using System.Collections.Immutable;
using System.Threading.Channels;
using ClaimGraph.Coordination;
using ClaimGraph.Hosting;
using ClaimGraph.Policy;

namespace AgentWorker;

/// <summary>Every append's decisions (the orchestrator's own and the tick service's), in the order they were made, for the orchestrator's loop.</summary>
internal sealed class DecisionFeed
{
    private readonly Channel<ImmutableArray<Decision>> _channel = Channel.CreateUnbounded<ImmutableArray<Decision>>();

    public ChannelReader<ImmutableArray<Decision>> Reader => _channel.Reader;

    /// <summary>The observer the host calls after each append; it forwards to the feed.</summary>
    internal sealed class Observer(DecisionFeed feed) : IClaimDecisionObserver
    {
        public ValueTask OnAppendedAsync(IReadOnlyList<PolicyEvent> events, ClaimAppendResult result) =>
            feed._channel.Writer.WriteAsync(result.Decisions, CancellationToken.None);
    }
}
